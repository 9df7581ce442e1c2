// Copyright The otelcol-rum Authors
// SPDX-License-Identifier: Apache-2.0

// Package aggregate turns Web Vitals measurements into bounded cumulative histograms with
// exemplars and a ratings counter, counting each measurement exactly once.
package aggregate // import "github.com/otelcol-rum/otelcol-rum/internal/webvitals/aggregate"

import (
	"slices"

	"github.com/otelcol-rum/otelcol-rum/internal/rumconv"
)

// Ratings of a measurement, as the web-vitals library names them.
const (
	RatingGood             = "good"
	RatingNeedsImprovement = "needs-improvement"
	RatingPoor             = "poor"
)

// Vital describes one measured quantity: a Web Vital with its rating thresholds (good ≤
// Good, poor > Poor; see docs/design.md, Web Vitals aggregation) and bucket bounds that
// contain both thresholds, so that the share of good and poor experiences can be read off
// the buckets exactly; or a page load timing, which has no rating.
type Vital struct {
	Name   string
	Metric string
	Unit   string
	Rated  bool
	Good   float64
	Poor   float64
	Bounds []float64
}

// Vitals are the five Core Web Vitals this processor aggregates. FID is obsolete and left out.
var Vitals = map[string]*Vital{
	"lcp": {Name: "lcp", Metric: rumconv.MetricWebVitalLCP, Unit: "ms", Rated: true, Good: 2500, Poor: 4000,
		Bounds: []float64{250, 500, 750, 1000, 1500, 2000, 2500, 3000, 3500, 4000, 5000, 6000, 8000, 10000, 15000, 20000}},
	"inp": {Name: "inp", Metric: rumconv.MetricWebVitalINP, Rated: true, Unit: "ms", Good: 200, Poor: 500,
		Bounds: []float64{16, 32, 50, 75, 100, 150, 200, 250, 300, 400, 500, 750, 1000, 1500, 2000, 5000}},
	"cls": {Name: "cls", Metric: rumconv.MetricWebVitalCLS, Rated: true, Unit: "1", Good: 0.1, Poor: 0.25,
		Bounds: []float64{0.01, 0.025, 0.05, 0.075, 0.1, 0.15, 0.2, 0.25, 0.3, 0.4, 0.5, 0.75, 1}},
	"fcp": {Name: "fcp", Metric: rumconv.MetricWebVitalFCP, Rated: true, Unit: "ms", Good: 1800, Poor: 3000,
		Bounds: []float64{250, 500, 750, 1000, 1250, 1500, 1800, 2000, 2500, 3000, 4000, 5000, 7500, 10000}},
	"ttfb": {Name: "ttfb", Metric: rumconv.MetricWebVitalTTFB, Rated: true, Unit: "ms", Good: 800, Poor: 1800,
		Bounds: []float64{50, 100, 200, 300, 400, 500, 600, 800, 1000, 1200, 1500, 1800, 2500, 3500, 5000, 10000}},
}

// Rate computes the rating of value by the thresholds.
func (v *Vital) Rate(value float64) string {
	switch {
	case value <= v.Good:
		return RatingGood
	case value <= v.Poor:
		return RatingNeedsImprovement
	}
	return RatingPoor
}

// bucket returns the index of the bucket value falls in: the first bound ≥ value, as
// OpenTelemetry explicit bounds define (bucket i holds (bounds[i-1], bounds[i]]).
func (v *Vital) bucket(value float64) int {
	i, _ := slices.BinarySearch(v.Bounds, value)
	return i
}

// validRating reports whether r is one of the three ratings.
func validRating(r string) bool {
	return r == RatingGood || r == RatingNeedsImprovement || r == RatingPoor
}

// timingBounds suit page load phases from a few milliseconds to tens of seconds.
var timingBounds = []float64{5, 10, 25, 50, 100, 250, 500, 750, 1000, 1500, 2000, 3000, 4000, 5000, 7500, 10000, 20000}

// Timings are the page load durations taken from navigation timing: the whole load and
// the phases a slow page is usually slow in. A timing's name is its metric's.
var Timings = func() map[string]*Vital {
	out := map[string]*Vital{}
	for _, name := range []string{
		rumconv.MetricPageLoadDuration, rumconv.MetricPageLoadDNS, rumconv.MetricPageLoadConnect, rumconv.MetricPageLoadTLS,
		rumconv.MetricPageLoadTTFB, rumconv.MetricPageLoadResponse, rumconv.MetricPageLoadProcessing,
	} {
		out[name] = &Vital{Name: name, Metric: name, Unit: "ms", Bounds: timingBounds}
	}
	return out
}()

// lookup finds what a measurement's name stands for.
func lookup(name string) (*Vital, bool) {
	if v, ok := Vitals[name]; ok {
		return v, true
	}
	v, ok := Timings[name]
	return v, ok
}
