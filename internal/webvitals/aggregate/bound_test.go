// Copyright The otelcol-rum Authors
// SPDX-License-Identifier: Apache-2.0

package aggregate

import (
	"fmt"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"go.opentelemetry.io/collector/pdata/pmetric"

	"github.com/otelcol-rum/otelcol-rum/internal/dimensions"
)

// histogramPoints returns the points of one histogram metric by their attributes.
func histogramPoints(t *testing.T, md pmetric.Metrics, name string) []map[string]any {
	t.Helper()
	var out []map[string]any
	for _, rm := range md.ResourceMetrics().All() {
		for _, sm := range rm.ScopeMetrics().All() {
			for _, m := range sm.Metrics().All() {
				if m.Name() != name {
					continue
				}
				for _, dp := range m.Histogram().DataPoints().All() {
					attrs := dp.Attributes().AsRaw()
					attrs["count"] = dp.Count()
					for k, v := range rm.Resource().Attributes().All() {
						attrs["resource."+k] = v.AsRaw()
					}
					out = append(out, attrs)
				}
			}
		}
	}
	return out
}

func TestDimensionsAreLabels(t *testing.T) {
	s := settings
	s.Dimensions = dimensions.NewLimiter([]dimensions.Dimension{{Name: "user_agent.name", MaxValues: 5}, {Name: "os.name", MaxValues: 5}, {Name: "rum.device.type", MaxValues: 5}}, s.SeriesTTL)
	a := New(s, nil)
	android := shop
	android.Values = dimensions.Values{"Chrome Mobile", "Android", "mobile"}
	a.Add(Measurement{Vital: "lcp", Value: 1, ID: "a", Dims: shop}, 0)
	a.Add(Measurement{Vital: "lcp", Value: 1, ID: "b", Dims: android}, 0)
	a.Add(Measurement{Vital: "lcp", Value: 1, ID: "c", Dims: android}, 0)
	a.Commit(0, true)
	got := histogramPoints(t, a.Export(0, "t", "v"), "browser.web_vital.lcp")
	assert.Equal(t, []map[string]any{
		{"url.template": "/product/{id}", "user_agent.name": "Chrome", "rum.device.type": "desktop", "count": uint64(1), "resource.service.name": "shop-web", "resource.deployment.environment.name": "prod"},
		{"url.template": "/product/{id}", "user_agent.name": "Chrome Mobile", "os.name": "Android", "rum.device.type": "mobile", "count": uint64(2), "resource.service.name": "shop-web", "resource.deployment.environment.name": "prod"},
	}, got, "an empty value gives no label")
}

func TestSeriesPastMaxSeriesGoToTheOverflowSeries(t *testing.T) {
	s := settings
	s.MaxSeries = 3
	a := New(s, nil)
	for i := range 10 {
		d := shop
		d.Route = fmt.Sprint("/route/", i)
		a.Add(Measurement{Vital: "lcp", Value: 1, ID: fmt.Sprint("lcp", i), Dims: d}, 0)
		a.Add(Measurement{Vital: "inp", Value: 1, ID: fmt.Sprint("inp", i), Dims: d}, 0)
	}
	a.Commit(0, true)
	assert.Equal(t, 5, a.SeriesCount(), "three series and one overflow series for each vital that overflowed")
	assert.Equal(t, int64(17), a.Stats().Overflowed)
	assert.Equal(t, int64(20), a.Stats().Counted, "nothing is lost")

	md := a.Export(0, "t", "v")
	lcp := histogramPoints(t, md, "browser.web_vital.lcp")
	require.Len(t, lcp, 3)
	assert.Equal(t, map[string]any{"otel.metric.overflow": true, "count": uint64(8)}, lcp[2], "last, without a resource or another label")
	inp := histogramPoints(t, md, "browser.web_vital.inp")
	require.Len(t, inp, 2)
	assert.Equal(t, map[string]any{"otel.metric.overflow": true, "count": uint64(9)}, inp[1])

	// The overflow series never expires: its count must not go back.
	a.Commit(sec(7200), false)
	assert.Equal(t, 2, a.SeriesCount())
	d := shop
	d.Route = "/new"
	a.Add(Measurement{Vital: "lcp", Value: 1, ID: "new", Dims: d}, sec(7200))
	a.Commit(sec(7200), true)
	assert.Equal(t, 3, a.SeriesCount(), "room again once series expired")
}
