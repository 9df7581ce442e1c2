// Copyright The otelcol-rum Authors
// SPDX-License-Identifier: Apache-2.0

// Package journeycount keeps the journeys processor's metrics: cumulative counters of
// views, transitions, entries, exits and frustration signals, and histograms of views
// and duration per session and of user action durations. Its memory is bounded whatever
// the traffic: at most MaxSeries series, each label clipped to MaxLabelLen bytes, a
// bounded number of distinct transitions and action names per service; what does not fit
// is folded into Other or counted in the metric's overflow series.
package journeycount // import "github.com/otelcol-rum/otelcol-rum/processor/journeysprocessor/internal/journeycount"

import (
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/otelcol-rum/otelcol-rum/internal/dimensions"
	"github.com/otelcol-rum/otelcol-rum/internal/pattrs"
)

// MaxLabelLen bounds each label of a series, in bytes: action names and service names
// come from the browser.
const MaxLabelLen = 256

// Key names a series. Service and Environment become the resource of the emitted series;
// A and B the attributes the Kind names (metrics[kind].labels), Dims the configured
// dimensions.
type Key struct {
	Kind        Kind
	Service     string
	Environment string
	A, B        string
	Dims        dimensions.Values
}

// Observation is one count (a counter adds 1) or one value of a histogram.
type Observation struct {
	Key   Key
	Value float64
}

// Settings bound the counter.
type Settings struct {
	// MaxSeries is the number of series kept, all metrics together, besides the overflow
	// series of each metric.
	MaxSeries int
	// SeriesTTL drops a series that counted nothing for that long.
	SeriesTTL time.Duration
	// MaxTransitionsPerService and MaxActionNamesPerService bound the distinct
	// (from, to) pairs of browser.view.transitions and the distinct action names of
	// browser.action.duration per service; further ones are counted under Other.
	MaxTransitionsPerService int
	MaxActionNamesPerService int
	// Other is the label of what the bounds above fold.
	Other string
	// Forget is told when no series names a service's route any more, so that the route
	// templater can admit another in its place. It must not call back into the counter.
	Forget func(service, route string)
	// Dimensions write Key.Dims on the emitted points; nil writes none.
	Dimensions *dimensions.Limiter
}

// Stats are the counter's totals since it was made.
type Stats struct {
	Counted    int64 // observations counted
	Overflowed int64 // observations counted in an overflow series
	Folded     int64 // observations whose transition or action name was folded into Other
	Expired    int64 // series dropped after SeriesTTL
}

// Counter is safe for concurrent use. Nothing it does under its lock calls into pdata or a
// consumer: Export copies the series out and builds the metrics after unlocking.
type Counter struct {
	set Settings

	mu       sync.Mutex
	series   map[Key]*series
	overflow [numKinds]*series
	// routeUsers counts the series that name each service's route, in any label.
	routeUsers map[routeKey]int
	// boundedUsers counts the series of each bounded label (a transition, an action
	// name), and boundedPerService the distinct ones per service, for the limits.
	boundedUsers      map[boundedKey]int
	boundedPerService map[serviceKind]int
	stats             Stats
}

type routeKey struct{ service, route string }

// boundedKey is the part of a Key a per-service limit applies to: both routes of a
// transition, the name of an action.
type boundedKey struct {
	kind    Kind
	service string
	a, b    string
}

type serviceKind struct {
	kind    Kind
	service string
}

type series struct {
	start, last int64 // Unix nanoseconds: the first and the latest observation
	count       uint64
	sum         float64
	min, max    float64
	buckets     []uint64 // histograms only
}

// New returns an empty counter.
func New(set Settings) *Counter {
	if set.Forget == nil {
		set.Forget = func(string, string) {}
	}
	return &Counter{
		set: set, series: map[Key]*series{}, routeUsers: map[routeKey]int{},
		boundedUsers: map[boundedKey]int{}, boundedPerService: map[serviceKind]int{},
	}
}

// Add counts a batch of observations at now (Unix nanoseconds) and returns how many went
// to an overflow series.
func (c *Counter) Add(obs []Observation, now int64) (overflowed int64) {
	c.mu.Lock()
	defer c.mu.Unlock()
	for i := range obs {
		k := clipKey(obs[i].Key)
		s, ok := c.series[k]
		if !ok {
			if folded, changed := c.fold(k); changed {
				k = folded
				c.stats.Folded++
				s, ok = c.series[k]
			}
		}
		if !ok {
			if len(c.series) >= c.set.MaxSeries {
				s = c.overflowSeries(k.Kind, now)
				overflowed++
			} else {
				s = c.newSeries(cloneKey(k), now)
			}
		}
		s.add(metrics[k.Kind].bounds, obs[i].Value, now)
	}
	c.stats.Counted += int64(len(obs))
	c.stats.Overflowed += overflowed
	return overflowed
}

// fold replaces the bounded labels of a key with Other when its service already has as
// many distinct ones as its limit allows.
func (c *Counter) fold(k Key) (Key, bool) {
	limit := c.limitOf(k.Kind)
	if limit <= 0 {
		return k, false
	}
	bk := boundedOf(k)
	if c.boundedUsers[bk] > 0 || c.boundedPerService[serviceKind{k.Kind, k.Service}] < limit {
		return k, false
	}
	k.A = c.set.Other
	if k.Kind == Transitions {
		k.B = c.set.Other
	}
	return k, true
}

func (c *Counter) limitOf(kind Kind) int {
	switch kind {
	case Transitions:
		return c.set.MaxTransitionsPerService
	case ActionDuration:
		return c.set.MaxActionNamesPerService
	}
	return 0
}

// boundedOf is the part of k its kind's limit counts: the pair of a transition, the name
// of an action (whose route the templater bounds).
func boundedOf(k Key) boundedKey {
	if k.Kind == ActionDuration {
		return boundedKey{kind: k.Kind, service: k.Service, a: k.A}
	}
	return boundedKey{kind: k.Kind, service: k.Service, a: k.A, b: k.B}
}

func (c *Counter) newSeries(k Key, now int64) *series {
	s := &series{start: now}
	if b := metrics[k.Kind].bounds; b != nil {
		s.buckets = make([]uint64, len(b)+1)
	}
	c.series[k] = s
	c.eachRoute(k, func(rk routeKey) { c.routeUsers[rk]++ })
	if c.limitOf(k.Kind) > 0 {
		bk := boundedOf(k)
		if c.boundedUsers[bk] == 0 {
			c.boundedPerService[serviceKind{k.Kind, k.Service}]++
		}
		c.boundedUsers[bk]++
	}
	return s
}

func (c *Counter) overflowSeries(kind Kind, now int64) *series {
	if s := c.overflow[kind]; s != nil {
		return s
	}
	s := &series{start: now}
	if b := metrics[kind].bounds; b != nil {
		s.buckets = make([]uint64, len(b)+1)
	}
	c.overflow[kind] = s
	return s
}

// eachRoute calls f for each label of k that holds a route.
func (c *Counter) eachRoute(k Key, f func(routeKey)) {
	m := &metrics[k.Kind]
	if m.routeLabels[0] && k.A != "" {
		f(routeKey{k.Service, k.A})
	}
	if m.routeLabels[1] && k.B != "" && (!m.routeLabels[0] || k.B != k.A) {
		f(routeKey{k.Service, k.B})
	}
}

func (s *series) add(bounds []float64, value float64, now int64) {
	if s.count == 0 {
		s.min, s.max = value, value
	}
	s.count++
	s.last = now
	if bounds == nil {
		return
	}
	s.sum += value
	s.min = min(s.min, value)
	s.max = max(s.max, value)
	// Bucket i holds (bounds[i-1], bounds[i]], as OpenTelemetry explicit bounds define.
	i, _ := slices.BinarySearch(bounds, value)
	s.buckets[i]++
}

// Len returns the number of series kept, the overflow series that counted included.
func (c *Counter) Len() int {
	c.mu.Lock()
	defer c.mu.Unlock()
	n := len(c.series)
	for _, s := range c.overflow {
		if s != nil {
			n++
		}
	}
	return n
}

// Stats returns the totals so far.
func (c *Counter) Stats() Stats {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.stats
}

// expire drops the series that counted nothing since before now-SeriesTTL, and forgets
// the routes and bounded labels left without a series. Overflow series never expire:
// their counts must not go back.
func (c *Counter) expire(now int64) {
	cutoff := now - int64(c.set.SeriesTTL)
	for k, s := range c.series {
		if s.last >= cutoff {
			continue
		}
		delete(c.series, k)
		c.stats.Expired++
		c.eachRoute(k, func(rk routeKey) {
			if c.routeUsers[rk]--; c.routeUsers[rk] <= 0 {
				delete(c.routeUsers, rk)
				c.set.Forget(rk.service, rk.route)
			}
		})
		if c.limitOf(k.Kind) > 0 {
			bk := boundedOf(k)
			if c.boundedUsers[bk]--; c.boundedUsers[bk] <= 0 {
				delete(c.boundedUsers, bk)
				sk := serviceKind{k.Kind, k.Service}
				if c.boundedPerService[sk]--; c.boundedPerService[sk] <= 0 {
					delete(c.boundedPerService, sk)
				}
			}
		}
	}
}

// clipKey cuts each label to MaxLabelLen bytes, at a rune boundary.
func clipKey(k Key) Key {
	k.Service, k.Environment, k.A, k.B = clip(k.Service), clip(k.Environment), clip(k.A), clip(k.B)
	return k
}

func clip(s string) string { return pattrs.Clip(s, MaxLabelLen) }

// cloneKey copies the labels of a new series, so that it never keeps a record's memory
// alive.
func cloneKey(k Key) Key {
	k.Service, k.Environment = strings.Clone(k.Service), strings.Clone(k.Environment)
	k.A, k.B = strings.Clone(k.A), strings.Clone(k.B)
	return k
}
