// Copyright The otelcol-rum Authors
// SPDX-License-Identifier: Apache-2.0

package aggregate

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"go.opentelemetry.io/collector/pdata/pmetric"

	"github.com/otelcol-rum/otelcol-rum/internal/rumconv"
)

func apdexCounts(md pmetric.Metrics) map[string]int64 {
	out := map[string]int64{}
	for _, rm := range md.ResourceMetrics().All() {
		for _, sm := range rm.ScopeMetrics().All() {
			for _, m := range sm.Metrics().All() {
				if m.Name() != "browser.apdex" {
					continue
				}
				for _, dp := range m.Sum().DataPoints().All() {
					route, _ := dp.Attributes().Get("url.template")
					source, _ := dp.Attributes().Get("rum.apdex.source")
					zone, _ := dp.Attributes().Get("rum.apdex.zone")
					out[route.Str()+" "+source.Str()+" "+zone.Str()] += dp.IntValue()
				}
			}
		}
	}
	return out
}

// TestApdexZones: satisfied up to T, tolerating up to 4T, frustrated beyond, T chosen by
// route, for the page load duration and LCP only; the zones add up to the histogram's
// count.
func TestApdexZones(t *testing.T) {
	set := settings
	set.Apdex = func(route string) (float64, float64) {
		if route == "/checkout" {
			return 1000, 3000
		}
		return 500, 2500
	}
	a := New(set, nil)
	checkout := shop
	checkout.Route = "/checkout"
	for _, m := range []Measurement{
		{Vital: rumconv.MetricPageLoadDuration, Value: 500, Dims: shop},     // = T
		{Vital: rumconv.MetricPageLoadDuration, Value: 501, Dims: shop},     // just over T
		{Vital: rumconv.MetricPageLoadDuration, Value: 2000, Dims: shop},    // = 4T
		{Vital: rumconv.MetricPageLoadDuration, Value: 2001, Dims: shop},    // over 4T
		{Vital: rumconv.MetricPageLoadDuration, Value: 900, Dims: checkout}, // its route's T
		{Vital: "lcp", Value: 2500, Dims: shop},
		{Vital: "lcp", Value: 12000, Dims: checkout},
		{Vital: "inp", Value: 900, Dims: shop},
		{Vital: rumconv.MetricPageLoadTTFB, Value: 900, Dims: shop},
	} {
		a.Add(m, 0)
	}
	a.Commit(sec(1), true)
	md := a.Export(sec(1), "scope", "v")
	assert.Equal(t, map[string]int64{
		"/product/{id} load satisfied":  1,
		"/product/{id} load tolerating": 2,
		"/product/{id} load frustrated": 1,
		"/checkout load satisfied":      1,
		"/product/{id} lcp satisfied":   1,
		"/checkout lcp tolerating":      1,
	}, apdexCounts(md))
}

// TestNoApdexWithoutThresholds: an aggregator without Apdex settings emits no
// browser.apdex.
func TestNoApdexWithoutThresholds(t *testing.T) {
	a := New(settings, nil)
	a.Add(Measurement{Vital: rumconv.MetricPageLoadDuration, Value: 300, Dims: shop}, 0)
	a.Commit(sec(1), true)
	assert.Empty(t, apdexCounts(a.Export(sec(1), "scope", "v")))
}
