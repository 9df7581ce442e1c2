// Copyright The otelcol-rum Authors
// SPDX-License-Identifier: Apache-2.0

// Package histtest reads the histograms the webvitals components emit, for their tests:
// every data point with its metric name and route, without each test walking resources,
// scopes and metrics again. It reads url.template by its literal name, not the
// internal/rumconv constant, so that a renamed constant fails the tests that use it.
package histtest // import "github.com/otelcol-rum/otelcol-rum/internal/webvitals/histtest"

import (
	"go.opentelemetry.io/collector/pdata/pmetric"

	"github.com/otelcol-rum/otelcol-rum/internal/dimensions"
)

// Point is one histogram data point.
type Point struct {
	Metric string
	Route  string // its url.template
	pmetric.HistogramDataPoint
}

// Points returns every histogram data point in all, in order.
func Points(all []pmetric.Metrics) []Point {
	var out []Point
	for _, md := range all {
		for _, rm := range md.ResourceMetrics().All() {
			for _, sm := range rm.ScopeMetrics().All() {
				for _, m := range sm.Metrics().All() {
					if m.Type() != pmetric.MetricTypeHistogram {
						continue
					}
					for _, dp := range m.Histogram().DataPoints().All() {
						route, _ := dp.Attributes().Get("url.template")
						out = append(out, Point{Metric: m.Name(), Route: route.AsString(), HistogramDataPoint: dp})
					}
				}
			}
		}
	}
	return out
}

// Counts adds up the counts by metric name.
func Counts(all []pmetric.Metrics) map[string]uint64 {
	out := map[string]uint64{}
	for _, p := range Points(all) {
		out[p.Metric] += p.Count()
	}
	return out
}

// GoldenDimensions are the dimensions of the golden tests: the defaults, which the
// captures do not carry until the clientinfo processor writes them, and Faro's own
// browser meta, so that the golden files show dimensions as labels.
func GoldenDimensions() []dimensions.Dimension {
	return append(dimensions.Defaults(),
		dimensions.Dimension{Name: "browser.name", MaxValues: dimensions.DefaultMaxValues},
		dimensions.Dimension{Name: "browser.mobile", MaxValues: 2})
}
