// Copyright The otelcol-rum Authors
// SPDX-License-Identifier: Apache-2.0

package dimensions // import "github.com/otelcol-rum/otelcol-rum/internal/dimensions"

import (
	"strings"
	"sync"
	"time"

	"go.opentelemetry.io/collector/pdata/pcommon"

	"github.com/otelcol-rum/otelcol-rum/internal/pattrs"
)

// Other is the value of a dimension past its max_values.
const Other = "other"

// MaxValueLen bounds a value, in bytes: attributes come from browsers, and a series keeps
// its labels for as long as it lives.
const MaxValueLen = 256

// Values are the values of a series' dimensions, in the configured order; "" where the
// resource had none. An array, so that a series key holding it is comparable and free.
type Values [Max]string

// Stats count what the limiter did.
type Stats struct {
	Folded int64 // values replaced by Other
}

// Limiter bounds the values of each dimension per service. It is safe for concurrent
// use; nothing it does under its lock calls into pdata.
type Limiter struct {
	names []string
	max   []int
	ttl   int64

	mu       sync.Mutex
	services map[string][]valueSet // per service, one set per dimension
	stats    Stats
}

// valueSet holds a dimension's admitted values of one service, each with when it was
// last seen. The entry keeps the value's own copy, which series keys share, so that no
// key holds a record's memory.
type valueSet map[string]seen

type seen struct {
	value string
	last  int64
}

// NewLimiter bounds dims (checked by Check); a value not seen for ttl is forgotten.
func NewLimiter(dims []Dimension, ttl time.Duration) *Limiter {
	l := &Limiter{ttl: int64(ttl), services: map[string][]valueSet{}}
	for _, d := range dims {
		l.names = append(l.names, d.Name)
		l.max = append(l.max, d.MaxValues)
	}
	return l
}

// Names are the attribute names of the dimensions, in the order of Values.
func (l *Limiter) Names() []string { return l.names }

// Apply reads the dimensions of a resource of service at now (Unix nanoseconds) and
// returns their bounded values. A known value costs no allocation.
func (l *Limiter) Apply(service string, res pcommon.Map, now int64) Values {
	var v Values
	if len(l.names) == 0 {
		return v
	}
	var raw Values
	present := false
	for i, name := range l.names {
		raw[i] = clip(pattrs.Str(res, name))
		present = present || raw[i] != ""
	}
	if !present {
		return v
	}
	l.mu.Lock()
	defer l.mu.Unlock()
	sets, ok := l.services[service]
	if !ok {
		sets = make([]valueSet, len(l.names))
		for i := range sets {
			sets[i] = valueSet{}
		}
		l.services[strings.Clone(service)] = sets
	}
	for i, value := range raw[:len(l.names)] {
		if value == "" {
			continue
		}
		set := sets[i]
		if s, ok := set[value]; ok {
			s.last = now
			set[value] = s
			v[i] = s.value
			continue
		}
		if len(set) >= l.max[i] {
			v[i] = Other
			l.stats.Folded++
			continue
		}
		own := strings.Clone(value)
		set[own] = seen{value: own, last: now}
		v[i] = own
	}
	return v
}

// Expire forgets the values not seen since before now-ttl, which makes room for new
// ones. The series that had them expire with the same TTL.
func (l *Limiter) Expire(now int64) {
	cutoff := now - l.ttl
	l.mu.Lock()
	defer l.mu.Unlock()
	for service, sets := range l.services {
		left := 0
		for _, set := range sets {
			for k, s := range set {
				if s.last < cutoff {
					delete(set, k)
				}
			}
			left += len(set)
		}
		if left == 0 {
			delete(l.services, service)
		}
	}
}

// Stats returns the counts so far.
func (l *Limiter) Stats() Stats {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.stats
}

// Put writes the non-empty values as attributes of a data point.
func (l *Limiter) Put(m pcommon.Map, v *Values) {
	for i, name := range l.names {
		pattrs.PutNonEmpty(m, name, v[i])
	}
}

// Compare orders two sets of values, for a stable output.
func Compare(a, b *Values) int {
	for i := range a {
		if c := strings.Compare(a[i], b[i]); c != 0 {
			return c
		}
	}
	return 0
}

// clip cuts s to MaxValueLen bytes, at a rune boundary.
func clip(s string) string { return pattrs.Clip(s, MaxValueLen) }
