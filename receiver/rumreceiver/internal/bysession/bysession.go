// Copyright The otelcol-rum Authors
// SPDX-License-Identifier: Apache-2.0

// Package bysession splits a request's data into one part per session, by the rule the
// session processor files records by: a record's own session.id where it has one,
// otherwise its resource's session. A request nearly always holds one session, and then
// its data is returned as it is, uncopied.
package bysession // import "github.com/otelcol-rum/otelcol-rum/receiver/rumreceiver/internal/bysession"

import (
	"go.opentelemetry.io/collector/pdata/pcommon"

	"github.com/otelcol-rum/otelcol-rum/internal/pattrs"
	"github.com/otelcol-rum/otelcol-rum/internal/rumconv"
)

// Part is the data of one session.
type Part[T any] struct {
	Key  string
	Data T
}

// ResourceKey returns the session key of a resource's records that name no session of
// their own; it is never empty.
type ResourceKey func(resource pcommon.Map) string

// recordKey is the session of a record whose resource's session is resourceKey.
func recordKey(attrs pcommon.Map, resourceKey string) string {
	if id := pattrs.Str(attrs, rumconv.AttrSessionID); id != "" {
		return id
	}
	return resourceKey
}

// uniform finds whether every record has the same key. It is the cheap first pass: a
// request of one session is never copied.
type uniform struct {
	key   string
	seen  bool
	mixed bool
}

// add notes the key of the next record and reports whether the keys differ so far.
func (u *uniform) add(key string) bool {
	switch {
	case !u.seen:
		u.key, u.seen = key, true
	case key != u.key:
		u.mixed = true
	}
	return u.mixed
}

// parts collects the parts of a mixed request in the order their sessions first appear,
// so that a request is split the same way every time it is sent (the receiver remembers
// how many parts of a refused request went on).
type parts[T any] struct {
	index   map[string]int
	out     []Part[T]
	newData func() T
}

// part returns the index of the part of key, making it on first use.
func (p *parts[T]) part(key string) int {
	if i, ok := p.index[key]; ok {
		return i
	}
	if p.index == nil {
		p.index = map[string]int{}
	}
	p.index[key] = len(p.out)
	p.out = append(p.out, Part[T]{Key: key, Data: p.newData()})
	return len(p.out) - 1
}

// dest keeps, per part, the resource R and scope S its records are copied into: one
// made for each source resource and scope that has records of the part, so that the
// records of one source scope share one destination scope.
type dest[R, S any] struct {
	from  [][2]int // per part: the source resource and scope index its destination is for
	res   []R
	scope []S
}

// at returns part i's scope for source resource ri and scope si, making the resource
// with newRes and the scope with newScope when the source's changed.
func (d *dest[R, S]) at(i, ri, si int, newRes func() R, newScope func(R) S) S {
	for len(d.from) <= i {
		var r R
		var s S
		d.from, d.res, d.scope = append(d.from, [2]int{-1, -1}), append(d.res, r), append(d.scope, s)
	}
	if d.from[i][0] != ri {
		d.res[i] = newRes()
		d.from[i] = [2]int{ri, -1}
	}
	if d.from[i][1] != si {
		d.scope[i] = newScope(d.res[i])
		d.from[i][1] = si
	}
	return d.scope[i]
}
