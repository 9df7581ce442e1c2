// Copyright The otelcol-rum Authors
// SPDX-License-Identifier: Apache-2.0

// Package ratelimit keeps one token bucket per key (an app, a client address) and
// forgets the least recently used keys beyond a bound, so a flood of new addresses costs
// bounded memory.
package ratelimit // import "github.com/otelcol-rum/otelcol-rum/receiver/rumreceiver/internal/ratelimit"

import (
	"container/list"
	"math"
	"sync"
	"time"

	"golang.org/x/time/rate"
)

// Limiter is a set of token buckets with the same rate and burst.
type Limiter struct {
	limit   rate.Limit
	burst   int
	maxKeys int

	mu    sync.Mutex
	keys  map[string]*list.Element
	order *list.List // front = most recently used
}

type entry struct {
	key    string
	bucket *rate.Limiter
}

// New returns a limiter allowing perSecond requests per key with bursts of burst, keeping
// at most maxKeys buckets. A nil *Limiter allows everything, which is how a disabled
// limit is represented.
func New(perSecond float64, burst, maxKeys int) *Limiter {
	if perSecond <= 0 {
		return nil
	}
	return &Limiter{
		limit:   rate.Limit(perSecond),
		burst:   burst,
		maxKeys: maxKeys,
		keys:    map[string]*list.Element{},
		order:   list.New(),
	}
}

// Allow takes a token for key at now. When none is left it returns false and how long the
// client should wait before the next token.
func (l *Limiter) Allow(key string, now time.Time) (ok bool, retryAfter time.Duration) {
	if l == nil {
		return true, 0
	}
	b := l.bucket(key)
	if b.AllowN(now, 1) {
		return true, 0
	}
	r := b.ReserveN(now, 1)
	delay := r.DelayFrom(now)
	r.CancelAt(now)
	if delay <= 0 || delay == rate.InfDuration {
		delay = time.Duration(math.Ceil(float64(time.Second) / float64(l.limit)))
	}
	return false, delay
}

func (l *Limiter) bucket(key string) *rate.Limiter {
	l.mu.Lock()
	defer l.mu.Unlock()
	if el, ok := l.keys[key]; ok {
		l.order.MoveToFront(el)
		return el.Value.(*entry).bucket
	}
	// A forgotten key starts with a full bucket again: the bound trades exactness for
	// memory, and a client has to be idle for a long time to be forgotten.
	if l.maxKeys > 0 && len(l.keys) >= l.maxKeys {
		oldest := l.order.Back()
		l.order.Remove(oldest)
		delete(l.keys, oldest.Value.(*entry).key)
	}
	e := &entry{key: key, bucket: rate.NewLimiter(l.limit, l.burst)}
	l.keys[key] = l.order.PushFront(e)
	return e.bucket
}
