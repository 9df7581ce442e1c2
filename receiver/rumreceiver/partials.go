// Copyright The otelcol-rum Authors
// SPDX-License-Identifier: Apache-2.0

package rumreceiver // import "github.com/otelcol-rum/otelcol-rum/receiver/rumreceiver"

import (
	"hash/maphash"
	"sync"
	"sync/atomic"
	"time"
)

// Bounds of the memory of partly forwarded requests. An SDK retries within seconds to
// minutes; a request that is not retried within partialTTL is never completed. Entries are
// rare (a request refused after part of it went on, after retry_after of offers), so
// partialsKept is far more than a collector sees between two retries.
const (
	partialsKept = 10_000
	partialTTL   = 10 * time.Minute
)

// identityHeaders are the request headers the forwarded data is made of besides the body:
// a beacon's page (Referer, judged against Origin), the browser (User-Agent), Faro's session
// when the body has none.
var identityHeaders = [...]string{"Referer", "Origin", "User-Agent", headerFaroSessID}

// partials remembers, by the content of a request, how far it went on before the rest was
// refused, so that the client's retry of the same request forwards only the rest.
type partials struct {
	seed maphash.Seed
	// kept mirrors len(sent), so that the common case (nothing remembered) costs neither
	// the lock nor a hash of the body.
	kept atomic.Int64

	mu   sync.Mutex
	sent map[uint64]partial
	// order lists the entries in the order they were remembered: the oldest expire and
	// are evicted first. An entry taken or remembered again stays listed until it reaches
	// the front or the list is compacted; its seq tells it from the live one.
	order []remembered
	seq   uint64
}

type partial struct {
	sent  progress
	until time.Time
	seq   uint64
}

// progress is how far a request went on: the signals forwarded whole, and how many calls
// of the next one (with session_metadata a signal is one call per session, always split
// the same way for the same request).
type progress struct {
	signals signals
	parts   int
}

// any reports whether anything went on.
func (p progress) any() bool { return p.signals != 0 || p.parts != 0 }

type remembered struct {
	key uint64
	seq uint64
}

func newPartials() *partials {
	return &partials{seed: maphash.MakeSeed(), sent: map[uint64]partial{}}
}

// key identifies a request by everything its data is made of: the endpoint and query
// string (a beacon's session and page), the app, the identity headers, the client address
// when it is recorded, and the decompressed body. A retry sends all of it again; two
// different requests have the same key only by chance (2^-64).
func (p *partials) key(rq *request) uint64 {
	var h maphash.Hash
	h.SetSeed(p.seed)
	field := func(s string) {
		_, _ = h.WriteString(s)
		_ = h.WriteByte(0)
	}
	field(rq.req.URL.Path)
	field(rq.req.URL.RawQuery)
	field(rq.src.AppName)
	field(rq.src.ClientAddress)
	for _, name := range identityHeaders {
		field(rq.req.Header.Get(name))
	}
	_, _ = h.Write(rq.body)
	return h.Sum64()
}

// take returns, and forgets, how far an earlier attempt of the request went on.
func (p *partials) take(rq *request, now time.Time) progress {
	if p.kept.Load() == 0 {
		return progress{}
	}
	return p.takeKey(p.key(rq), now)
}

func (p *partials) takeKey(key uint64, now time.Time) progress {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.dropExpired(now)
	e, ok := p.sent[key]
	if !ok {
		return progress{}
	}
	p.forget(key)
	return e.sent
}

// remember records how far the request went on.
func (p *partials) remember(rq *request, sent progress, now time.Time) {
	p.rememberKey(p.key(rq), sent, now)
}

func (p *partials) rememberKey(key uint64, sent progress, now time.Time) {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.dropExpired(now)
	for len(p.sent) >= partialsKept && len(p.order) > 0 {
		p.dropOldest()
	}
	if len(p.order) >= 2*partialsKept {
		p.order = p.liveOrder()
	}
	if _, ok := p.sent[key]; !ok {
		p.kept.Add(1)
	}
	p.seq++
	p.sent[key] = partial{sent: sent, until: now.Add(partialTTL), seq: p.seq}
	p.order = append(p.order, remembered{key: key, seq: p.seq})
}

// dropExpired forgets the entries at the front of the order whose time has passed, and
// the stale listings before them; the caller holds the lock.
func (p *partials) dropExpired(now time.Time) {
	for len(p.order) > 0 {
		if e, live := p.live(p.order[0]); live && !now.After(e.until) {
			return
		}
		p.dropOldest()
	}
}

// dropOldest removes the front of the order, and its entry if that listing is the live
// one; the caller holds the lock.
func (p *partials) dropOldest() {
	if _, live := p.live(p.order[0]); live {
		p.forget(p.order[0].key)
	}
	p.order = p.order[1:]
}

// live returns the entry a listing stands for, if it was not taken or remembered again
// since; the caller holds the lock.
func (p *partials) live(r remembered) (partial, bool) {
	e, ok := p.sent[r.key]
	return e, ok && e.seq == r.seq
}

// forget drops key; the caller holds the lock.
func (p *partials) forget(key uint64) {
	if _, ok := p.sent[key]; ok {
		delete(p.sent, key)
		p.kept.Add(-1)
	}
}

// liveOrder is the order without its stale listings; the caller holds the lock.
func (p *partials) liveOrder() []remembered {
	out := p.order[:0]
	for _, r := range p.order {
		if _, live := p.live(r); live {
			out = append(out, r)
		}
	}
	return out
}
