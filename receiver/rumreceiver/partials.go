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

// partials remembers, by the content of a request, which of its signals went on before the
// rest was refused, so that the client's retry of the same bytes forwards only the rest.
type partials struct {
	seed maphash.Seed
	// kept mirrors len(sent), so that the common case (nothing remembered) costs neither
	// the lock nor a hash of the body.
	kept atomic.Int64

	mu    sync.Mutex
	sent  map[uint64]partial
	order []uint64 // keys in the order they were remembered, for eviction
}

type partial struct {
	sent  signals
	until time.Time
}

func newPartials() *partials {
	return &partials{seed: maphash.MakeSeed(), sent: map[uint64]partial{}}
}

// key identifies a request by its endpoint, its app and its decompressed body: a retry
// sends the same bytes, and two different requests have the same ones only by chance
// (2^-64).
func (p *partials) key(rq *request) uint64 {
	var h maphash.Hash
	h.SetSeed(p.seed)
	_, _ = h.WriteString(rq.format)
	_ = h.WriteByte(0)
	_, _ = h.WriteString(rq.src.AppName)
	_ = h.WriteByte(0)
	_, _ = h.Write(rq.body)
	return h.Sum64()
}

// take returns, and forgets, the signals an earlier attempt of the request forwarded.
func (p *partials) take(rq *request, now time.Time) signals {
	if p.kept.Load() == 0 {
		return 0
	}
	return p.takeKey(p.key(rq), now)
}

func (p *partials) takeKey(key uint64, now time.Time) signals {
	p.mu.Lock()
	defer p.mu.Unlock()
	e, ok := p.sent[key]
	if !ok {
		return 0
	}
	p.forget(key)
	if now.After(e.until) {
		return 0
	}
	return e.sent
}

// remember records that the signals sent of the request went on.
func (p *partials) remember(rq *request, sent signals, now time.Time) {
	p.rememberKey(p.key(rq), sent, now)
}

func (p *partials) rememberKey(key uint64, sent signals, now time.Time) {
	p.mu.Lock()
	defer p.mu.Unlock()
	for len(p.sent) >= partialsKept && len(p.order) > 0 {
		p.forget(p.order[0])
		p.order = p.order[1:]
	}
	if len(p.order) >= 2*partialsKept {
		// Keys taken since they were remembered are still listed; drop those.
		p.order = compactOrder(p.order, p.sent)
	}
	if _, ok := p.sent[key]; !ok {
		p.kept.Add(1)
	}
	p.sent[key] = partial{sent: sent, until: now.Add(partialTTL)}
	p.order = append(p.order, key)
}

// forget drops key; the caller holds the lock.
func (p *partials) forget(key uint64) {
	if _, ok := p.sent[key]; ok {
		delete(p.sent, key)
		p.kept.Add(-1)
	}
}

func compactOrder(order []uint64, live map[uint64]partial) []uint64 {
	out := order[:0]
	for _, k := range order {
		if _, ok := live[k]; ok {
			out = append(out, k)
		}
	}
	return out
}
