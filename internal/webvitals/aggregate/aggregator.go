// Copyright The otelcol-rum Authors
// SPDX-License-Identifier: Apache-2.0

package aggregate // import "github.com/otelcol-rum/otelcol-rum/internal/webvitals/aggregate"

import (
	"hash/maphash"
	"time"

	"github.com/otelcol-rum/otelcol-rum/internal/dimensions"
)

// Dims are the dimensions of a series (see docs/design.md, Routes and bounded cardinality).
// Service and Environment become resource attributes; the rest data point attributes.
type Dims struct {
	Service     string
	Environment string
	Route       string
	// Values are the configured dimensions (browser, OS, device, country…), already
	// bounded by their limiter.
	Values dimensions.Values
	// Overflow marks the series of a vital that collects what came past MaxSeries.
	Overflow bool
}

// Measurement is one report of a vital from a browser.
type Measurement struct {
	Vital  string // lower case: lcp, inp, cls, fcp, ttfb
	Value  float64
	ID     string // web-vitals' id: the same for every report of one measurement
	Rating string // as the SDK sent it; computed from the thresholds when empty
	Dims   Dims
	// Time is the measurement's time, Unix nanoseconds.
	Time    int64
	TraceID [16]byte
	SpanID  [8]byte
}

// Settings bound the aggregator's work and memory.
type Settings struct {
	// Hold is how long a measurement waits for updates under the same id before its final
	// value is counted. web-vitals reports CLS and INP again as they grow; counting each
	// report would inflate the histograms, counting the first would understate them.
	Hold time.Duration
	// MaxPending bounds measurements waiting out their hold; past it the oldest is
	// counted early.
	MaxPending int
	// SeriesTTL drops series that received nothing for that long.
	SeriesTTL time.Duration
	// Remember is how long a counted id is remembered, so that a late repeat of it is
	// not counted again; MaxRemembered bounds how many (the oldest are forgotten first),
	// so memory follows the number of series and these bounds, not the traffic.
	Remember      time.Duration
	MaxRemembered int
	// MaxSeries bounds the series; a measurement of a further series is counted in its
	// vital's overflow series, which has no other dimension and never expires.
	MaxSeries int
	// Dimensions write the Values of Dims on the emitted points.
	Dimensions *dimensions.Limiter
	// Apdex gives the target times of the browser.apdex counter of page load durations
	// and LCP values; nil counts no Apdex.
	Apdex ApdexThresholds
}

type seriesKey struct {
	vital string
	dims  Dims
}

// series is one cumulative histogram.
type series struct {
	vital     *Vital
	start     int64
	last      int64 // last observation, for expiry
	count     uint64
	sum       float64
	min, max  float64
	buckets   []uint64
	exemplars []Exemplar // per bucket, the latest with a trace
	ratings   [3]uint64  // good, needs-improvement, poor
	// apdexT is the Apdex target time of the series' route, 0 for a vital Apdex does
	// not count; apdex counts the measurements by zone.
	apdexT float64
	apdex  [3]uint64
	// gone is set when the series expires, for the keyTable entries that still name it.
	gone bool
}

// Exemplar links a bucket to the trace of one of its measurements.
type Exemplar struct {
	Value   float64
	Time    int64
	TraceID [16]byte
	SpanID  [8]byte
}

// Stats count what the aggregator did, for self-telemetry.
type Stats struct {
	Counted    int64 // measurements counted into a histogram
	Updates    int64 // reports that updated a pending measurement
	Duplicates int64 // reports of a measurement already counted, ignored
	Unknown    int64 // reports of a vital this aggregator does not know
	Invalid    int64 // reports whose value no browser measures (MaxValue), ignored
	Expired    int64 // series dropped for lack of data
	Overflowed int64 // measurements counted in an overflow series
}

// Aggregator holds the series. It is not safe for concurrent use: the processor
// serialises access.
type Aggregator struct {
	set    Settings
	series map[seriesKey]*series
	// live counts the series other than the overflow series, for MaxSeries.
	live int
	// Ids are kept as 64-bit hashes: cheaper to hash, compare and store than the strings.
	// Two of a few hundred thousand live ids colliding is a one-in-10^8 event, and its
	// cost would be one measurement counted as an update of another.
	seed  maphash.Seed
	ids   idTable
	arena arena
	// keys are the series keys of the pending measurements in the arena.
	keys keyTable
	// order holds the pending measurements in arrival order.
	order   []pendingRef
	pending int
	stats   Stats
	// routeUsers counts the series of each service and route, so that onExpire hears of
	// a route only when its last series is dropped.
	routeUsers map[routeKey]int
	// onExpire is told about a route no series uses any more, so that it can be forgotten.
	onExpire func(Dims)
}

type routeKey struct{ service, route string }

// New returns an empty aggregator.
func New(set Settings, onExpire func(Dims)) *Aggregator {
	if onExpire == nil {
		onExpire = func(Dims) {}
	}
	a := &Aggregator{
		set: set, series: map[seriesKey]*series{}, seed: maphash.MakeSeed(),
		routeUsers: map[routeKey]int{}, onExpire: onExpire,
	}
	a.ids = newIDTable(int64(set.Remember), set.MaxRemembered, func(r pendingRef) bool {
		_, live := a.arena.get(r)
		return live
	})
	return a
}

// MaxValue bounds what a histogram takes: 10^12 (milliseconds: 31 years; CLS has no
// meaning past a few units). Histograms are cumulative, so a single value near the
// largest float64 would make a series' sum infinite until the collector restarts.
const MaxValue = 1e12

// Add takes one report at now (collector clock, Unix nanoseconds).
func (a *Aggregator) Add(m Measurement, now int64) {
	v, ok := lookup(m.Vital)
	if !ok {
		a.stats.Unknown++
		return
	}
	if !(m.Value >= 0 && m.Value <= MaxValue) { // NaN fails both comparisons
		a.stats.Invalid++
		return
	}
	if m.ID == "" {
		// Without an id, repeats cannot be told apart: count it as it is.
		a.count(v, &m, now)
		return
	}
	key := maphash.String(a.seed, m.ID)
	ref, seen := a.ids.get(key)
	if seen {
		p, live := a.arena.get(ref)
		if !live {
			a.stats.Duplicates++
			return
		}
		a.stats.Updates++
		// Keep the link of the first report if the update has none.
		if m.TraceID == [16]byte{} {
			m.TraceID, m.SpanID = p.m.traceID, p.m.spanID
		}
		old := p.m.key
		p.m, p.updated = a.keys.pack(v, &m), now
		a.keys.release(old)
		return
	}
	if a.set.MaxPending > 0 && a.pending >= a.set.MaxPending {
		a.commitOldest(now)
	}
	ref = a.arena.alloc()
	p, _ := a.arena.get(ref)
	p.key, p.m, p.updated = key, a.keys.pack(v, &m), now
	a.ids.setPending(key, ref)
	a.order = append(a.order, ref)
	a.pending++
}

// Commit counts the measurements whose hold is over at now (all of them when flush), and
// forgets what is past its time.
func (a *Aggregator) Commit(now int64, flush bool) {
	kept := a.order[:0]
	for _, ref := range a.order {
		p, live := a.arena.get(ref)
		if !live {
			continue
		}
		if flush || now-p.updated >= int64(a.set.Hold) {
			a.commit(ref, p, now)
			continue
		}
		kept = append(kept, ref)
	}
	a.order = kept
	a.ids.expire(now)
	for k, s := range a.series {
		if !k.dims.Overflow && now-s.last >= int64(a.set.SeriesTTL) {
			delete(a.series, k)
			s.gone = true
			a.live--
			a.stats.Expired++
			rk := routeKey{k.dims.Service, k.dims.Route}
			if a.routeUsers[rk]--; a.routeUsers[rk] <= 0 {
				delete(a.routeUsers, rk)
				a.onExpire(k.dims)
			}
		}
	}
}

// commitOldest counts the oldest pending measurement early, to stay within MaxPending.
func (a *Aggregator) commitOldest(now int64) {
	for len(a.order) > 0 {
		ref := a.order[0]
		a.order = a.order[1:]
		if p, live := a.arena.get(ref); live {
			a.commit(ref, p, now)
			return
		}
	}
}

// commit counts a pending measurement and releases its slot, which makes every reference
// to it read as counted.
func (a *Aggregator) commit(ref pendingRef, p *pending, now int64) {
	a.pending--
	v, m := a.keys.unpack(&p.m)
	// The series of a key is looked up once while the key is interned, not for every
	// measurement of it: hashing the dimensions was a third of the aggregator's time.
	e := &a.keys.entries[p.m.key]
	s := e.series
	if s == nil || s.gone {
		var own bool
		if s, own = a.seriesFor(v, &m, now); own {
			e.series = s
		} else {
			e.series = nil
		}
	}
	a.observe(s, v, &m, now)
	a.keys.release(p.m.key)
	a.ids.counted(now)
	a.arena.release(ref)
}

func (a *Aggregator) count(v *Vital, m *Measurement, now int64) {
	s, _ := a.seriesFor(v, m, now)
	a.observe(s, v, m, now)
}

// seriesFor finds or makes the series m is counted in: its own (own is true), or its
// vital's overflow series when MaxSeries are live.
func (a *Aggregator) seriesFor(v *Vital, m *Measurement, now int64) (s *series, own bool) {
	key := seriesKey{vital: v.Name, dims: m.Dims}
	s, ok := a.series[key]
	if ok {
		return s, true
	}
	if a.set.MaxSeries > 0 && a.live >= a.set.MaxSeries {
		key = seriesKey{vital: v.Name, dims: Dims{Overflow: true}}
		s, ok = a.series[key]
		a.stats.Overflowed++
	}
	if !ok {
		s = &series{vital: v, start: now, min: m.Value, max: m.Value, buckets: make([]uint64, len(v.Bounds)+1), exemplars: make([]Exemplar, len(v.Bounds)+1)}
		// Chosen once per series: the route of a series does not change.
		s.apdexT = a.apdexTarget(v, key.dims.Route)
		a.series[key] = s
		if !key.dims.Overflow {
			a.live++
			a.routeUsers[routeKey{m.Dims.Service, m.Dims.Route}]++
		}
	}
	return s, !key.dims.Overflow
}

// observe adds m to series s.
func (a *Aggregator) observe(s *series, v *Vital, m *Measurement, now int64) {
	s.last = now
	s.count++
	s.sum += m.Value
	s.min = min(s.min, m.Value)
	s.max = max(s.max, m.Value)
	b := v.bucket(m.Value)
	s.buckets[b]++
	if m.TraceID != [16]byte{} {
		s.exemplars[b] = Exemplar{Value: m.Value, Time: m.Time, TraceID: m.TraceID, SpanID: m.SpanID}
	}
	if v.Rated {
		rating := m.Rating
		if !validRating(rating) {
			rating = v.Rate(m.Value)
		}
		s.ratings[ratingIndex(rating)]++
	}
	if s.apdexT > 0 {
		s.apdex[apdexZone(m.Value, s.apdexT)]++
	}
	a.stats.Counted++
}

func ratingIndex(r string) int {
	switch r {
	case RatingGood:
		return 0
	case RatingNeedsImprovement:
		return 1
	}
	return 2
}

// Stats returns the counts so far.
func (a *Aggregator) Stats() Stats { return a.stats }

// SeriesCount is the number of live series.
func (a *Aggregator) SeriesCount() int { return len(a.series) }
