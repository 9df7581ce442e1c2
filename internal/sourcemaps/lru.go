// Copyright The otelcol-rum Authors
// SPDX-License-Identifier: Apache-2.0

package sourcemaps // import "github.com/otelcol-rum/otelcol-rum/internal/sourcemaps"

import (
	"container/list"
	"time"
)

// lru is a least-recently-used cache whose entries expire after a TTL, bounded by the
// sum of their weights. The Store keeps two: parsed maps weighed by their estimated
// bytes, and failures weighed 1 each (bounded in entries). Not safe for concurrent use:
// the Store guards it.
type lru[V any] struct {
	maxWeight int64
	ttl       time.Duration
	weigh     func(V) int64
	weight    int64
	order     *list.List // of *lruEntry[V], most recently used first
	entries   map[Key]*list.Element
}

type lruEntry[V any] struct {
	key     Key
	value   V
	weight  int64
	expires time.Time
}

// change is what an operation did to a cache's size, reported to the Observer once the
// Store's lock is released.
type change struct{ weight, entries int64 }

func (c *change) add(o change) { c.weight += o.weight; c.entries += o.entries }

func newLRU[V any](maxWeight int64, ttl time.Duration, weigh func(V) int64) *lru[V] {
	return &lru[V]{maxWeight: maxWeight, ttl: ttl, weigh: weigh, order: list.New(), entries: map[Key]*list.Element{}}
}

// get returns the value of k if it is there and fresh, and marks it used; an expired
// entry is dropped.
func (c *lru[V]) get(k Key, now time.Time) (V, bool, change) {
	var zero V
	el, ok := c.entries[k]
	if !ok {
		return zero, false, change{}
	}
	e := el.Value.(*lruEntry[V])
	if !now.Before(e.expires) {
		return zero, false, c.remove(el)
	}
	c.order.MoveToFront(el)
	return e.value, true, change{}
}

// put adds or replaces the value of k for the TTL, dropping the least recently used
// entries until it fits. A value heavier than the bound alone is not added: the Store
// refuses such maps before.
func (c *lru[V]) put(k Key, v V, now time.Time) change {
	var ch change
	if el, ok := c.entries[k]; ok {
		ch.add(c.remove(el))
	}
	w := c.weigh(v)
	if w > c.maxWeight {
		return ch
	}
	for c.weight+w > c.maxWeight {
		ch.add(c.remove(c.order.Back()))
	}
	c.entries[k] = c.order.PushFront(&lruEntry[V]{key: k, value: v, weight: w, expires: now.Add(c.ttl)})
	c.weight += w
	ch.add(change{weight: w, entries: 1})
	return ch
}

// drop removes k if it is there.
func (c *lru[V]) drop(k Key) change {
	if el, ok := c.entries[k]; ok {
		return c.remove(el)
	}
	return change{}
}

func (c *lru[V]) remove(el *list.Element) change {
	e := c.order.Remove(el).(*lruEntry[V])
	delete(c.entries, e.key)
	c.weight -= e.weight
	return change{weight: -e.weight, entries: -1}
}

func (c *lru[V]) len() int { return c.order.Len() }
