// Copyright The otelcol-rum Authors
// SPDX-License-Identifier: Apache-2.0

// Package errorcount keeps the browser.errors counter: one cumulative series per service,
// environment, release, route, error group and exception type, each with the latest
// error as its exemplar. Its memory is bounded whatever the traffic: at most MaxSeries
// series, each label clipped to MaxLabelLen bytes; what does not fit is counted in one
// overflow series.
package errorcount // import "github.com/otelcol-rum/otelcol-rum/processor/jserrorsprocessor/internal/errorcount"

import (
	"strings"
	"sync"
	"time"
	"unicode/utf8"

	"go.opentelemetry.io/collector/pdata/pcommon"

	"github.com/otelcol-rum/otelcol-rum/internal/dimensions"
	"github.com/otelcol-rum/otelcol-rum/internal/pattrs"
)

// MaxLabelLen bounds each label of a series, in bytes. The exception type, the release
// and the names of the service and environment come from the browser: a hostile page
// could send megabytes in each, and a series keeps its labels for as long as it lives.
const MaxLabelLen = 256

// maxSessionIDRunes bounds the session id an exemplar keeps. Prometheus refuses exemplar
// labels longer than 128 runes in all; trace_id, span_id and session_id with their values
// leave 55 for the session id. A longer id is left out rather than cut: a cut id would
// name no session.
const maxSessionIDRunes = 55

// Key names a series. Service and Environment become the resource of the emitted
// series, the others attributes of its point.
type Key struct {
	Service     string
	Environment string
	Version     string
	Route       string
	Group       string
	Type        string
	// Dims are the configured dimensions' values, bounded and owned by the limiter.
	Dims dimensions.Values
}

// Exemplar is the error a series shows as its example: where to find its trace and its
// session.
type Exemplar struct {
	TraceID   pcommon.TraceID
	SpanID    pcommon.SpanID
	SessionID string
	Time      pcommon.Timestamp
}

// Error is one error to count.
type Error struct {
	Key      Key
	Exemplar Exemplar
}

// Settings bound the counter.
type Settings struct {
	// MaxSeries is the number of series kept besides the overflow series.
	MaxSeries int
	// SeriesTTL drops a series that counted nothing for that long.
	SeriesTTL time.Duration
	// Forget is told when the last series of a service's route is dropped, so that the
	// route templater can admit another route in its place. It must not call back into
	// the counter.
	Forget func(service, route string)
	// Dimensions write Key.Dims on the emitted points; nil writes none.
	Dimensions *dimensions.Limiter
}

// Stats are the counter's totals since it was made.
type Stats struct {
	Counted    int64 // errors counted, in a series of their own or in the overflow series
	Overflowed int64 // errors counted in the overflow series
	Expired    int64 // series dropped after SeriesTTL
}

// Counter is safe for concurrent use. Nothing it does under its lock calls into pdata or
// a consumer: Export copies the series out and builds the metrics after unlocking.
type Counter struct {
	set Settings

	mu       sync.Mutex
	series   map[Key]*series
	overflow series
	routes   map[routeKey]int // series per route, so a route is forgotten with its last series
	stats    Stats
}

type routeKey struct{ service, route string }

type series struct {
	count       int64
	start, last int64 // Unix nanoseconds: the first and the latest count
	exemplar    Exemplar
	hasExemplar bool
}

// New returns an empty counter.
func New(set Settings) *Counter {
	if set.Forget == nil {
		set.Forget = func(string, string) {}
	}
	return &Counter{set: set, series: map[Key]*series{}, routes: map[routeKey]int{}}
}

// Add counts a batch of errors at now (Unix nanoseconds) and returns how many of them
// went to the overflow series.
func (c *Counter) Add(errs []Error, now int64) (overflowed int64) {
	c.mu.Lock()
	defer c.mu.Unlock()
	for i := range errs {
		k := clipKey(errs[i].Key)
		s, ok := c.series[k]
		if !ok {
			if len(c.series) >= c.set.MaxSeries {
				s = &c.overflow
				overflowed++
			} else {
				k = cloneKey(k)
				s = &series{start: now}
				c.series[k] = s
				c.routes[routeKey{k.Service, k.Route}]++
			}
		}
		s.add(errs[i].Exemplar, now)
	}
	c.stats.Counted += int64(len(errs))
	c.stats.Overflowed += overflowed
	return overflowed
}

func (s *series) add(ex Exemplar, now int64) {
	if s.count == 0 {
		s.start = now
	}
	s.count++
	s.last = now
	// The latest error that has a trace is the most useful example; one without a trace
	// takes the place only of another without.
	if ex.TraceID.IsEmpty() && s.hasExemplar && !s.exemplar.TraceID.IsEmpty() {
		return
	}
	if ex.TraceID.IsEmpty() && ex.SessionID == "" {
		return
	}
	if utf8.RuneCountInString(ex.SessionID) > maxSessionIDRunes {
		ex.SessionID = ""
	} else {
		ex.SessionID = strings.Clone(ex.SessionID)
	}
	s.exemplar, s.hasExemplar = ex, true
}

// Len returns the number of series kept, the overflow series included once it counted.
func (c *Counter) Len() int {
	c.mu.Lock()
	defer c.mu.Unlock()
	n := len(c.series)
	if c.overflow.count > 0 {
		n++
	}
	return n
}

// Stats returns the totals so far.
func (c *Counter) Stats() Stats {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.stats
}

// expire drops the series that counted nothing since before now-SeriesTTL and forgets
// the routes left without a series. The overflow series never expires: it is one series,
// and its count must not go back.
func (c *Counter) expire(now int64) {
	cutoff := now - int64(c.set.SeriesTTL)
	for k, s := range c.series {
		if s.last >= cutoff {
			continue
		}
		delete(c.series, k)
		c.stats.Expired++
		rk := routeKey{k.Service, k.Route}
		if c.routes[rk]--; c.routes[rk] == 0 {
			delete(c.routes, rk)
			c.set.Forget(k.Service, k.Route)
		}
	}
}

// clipKey cuts each label to MaxLabelLen bytes, at a rune boundary.
func clipKey(k Key) Key {
	return Key{
		Service: clip(k.Service), Environment: clip(k.Environment), Version: clip(k.Version),
		Route: clip(k.Route), Group: clip(k.Group), Type: clip(k.Type), Dims: k.Dims,
	}
}

func clip(s string) string { return pattrs.Clip(s, MaxLabelLen) }

// cloneKey copies the labels of a new series, so that it never keeps a record's memory
// alive (a clipped label shares the record's whole string).
func cloneKey(k Key) Key {
	return Key{
		Service: strings.Clone(k.Service), Environment: strings.Clone(k.Environment), Version: strings.Clone(k.Version),
		Route: strings.Clone(k.Route), Group: strings.Clone(k.Group), Type: strings.Clone(k.Type), Dims: k.Dims,
	}
}
