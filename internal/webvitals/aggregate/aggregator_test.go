// Copyright The otelcol-rum Authors
// SPDX-License-Identifier: Apache-2.0

package aggregate

import (
	"fmt"
	"math"
	"slices"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"go.opentelemetry.io/collector/pdata/pmetric"

	"github.com/otelcol-rum/otelcol-rum/internal/dimensions"
)

var settings = Settings{Hold: 10 * time.Second, MaxPending: 1000, SeriesTTL: time.Hour, Remember: 10 * time.Minute, MaxRemembered: 1000}

var shop = Dims{Service: "shop-web", Environment: "prod", Route: "/product/{id}", Values: dimensions.Values{"Chrome", "", "desktop"}}

func sec(s float64) int64 { return int64(s * float64(time.Second)) }

// histogram finds the exported histogram point of a vital.
func histogram(t *testing.T, md pmetric.Metrics, vital string) pmetric.HistogramDataPoint {
	t.Helper()
	for _, rm := range md.ResourceMetrics().All() {
		for _, sm := range rm.ScopeMetrics().All() {
			for _, m := range sm.Metrics().All() {
				if m.Name() == "browser.web_vital."+vital {
					require.Equal(t, 1, m.Histogram().DataPoints().Len())
					return m.Histogram().DataPoints().At(0)
				}
			}
		}
	}
	t.Fatalf("no %s histogram", vital)
	return pmetric.HistogramDataPoint{}
}

func ratings(md pmetric.Metrics) map[string]int64 {
	out := map[string]int64{}
	for _, rm := range md.ResourceMetrics().All() {
		for _, sm := range rm.ScopeMetrics().All() {
			for _, m := range sm.Metrics().All() {
				if m.Name() != "browser.web_vital.ratings" {
					continue
				}
				for _, dp := range m.Sum().DataPoints().All() {
					n, _ := dp.Attributes().Get("browser.web_vital.name")
					r, _ := dp.Attributes().Get("browser.web_vital.rating")
					out[n.Str()+"/"+r.Str()] += dp.IntValue()
				}
			}
		}
	}
	return out
}

func TestBucketsContainTheThresholds(t *testing.T) {
	for name, v := range Vitals {
		assert.True(t, slices.IsSorted(v.Bounds), name)
		assert.Contains(t, v.Bounds, v.Good, name)
		assert.Contains(t, v.Bounds, v.Poor, name)
	}
}

func TestRatingBoundaries(t *testing.T) {
	lcp := Vitals["lcp"]
	assert.Equal(t, RatingGood, lcp.Rate(2500))
	assert.Equal(t, RatingNeedsImprovement, lcp.Rate(2500.01))
	assert.Equal(t, RatingNeedsImprovement, lcp.Rate(4000))
	assert.Equal(t, RatingPoor, lcp.Rate(4000.01))
	assert.Equal(t, RatingGood, Vitals["cls"].Rate(0.1))
	assert.Equal(t, RatingPoor, Vitals["inp"].Rate(501))
}

// TestExactCounts feeds known LCP values and checks every bucket, the sum and the ratings.
func TestExactCounts(t *testing.T) {
	a := New(settings, nil)
	values := []float64{100, 250, 251, 2500, 2500.5, 3999, 4000, 4001, 25000, 1200}
	for i, v := range values {
		a.Add(Measurement{Vital: "lcp", Value: v, ID: fmt.Sprint("m", i), Dims: shop}, sec(0))
	}
	a.Commit(sec(11), false)
	dp := histogram(t, a.Export(sec(12), "test", "v"), "lcp")
	assert.Equal(t, uint64(len(values)), dp.Count())
	var sum float64
	for _, v := range values {
		sum += v
	}
	assert.InDelta(t, sum, dp.Sum(), 1e-9)
	assert.InDelta(t, 100, dp.Min(), 0)
	assert.InDelta(t, 25000, dp.Max(), 0)
	// Bounds: 250 500 750 1000 1500 2000 2500 3000 3500 4000 5000 6000 8000 10000 15000 20000 +Inf
	want := []uint64{2, 1, 0, 0, 1, 0, 1, 1, 0, 2, 1, 0, 0, 0, 0, 0, 1}
	assert.Equal(t, want, dp.BucketCounts().AsRaw())
	assert.Equal(t, map[string]int64{"lcp/good": 5, "lcp/needs-improvement": 3, "lcp/poor": 2}, ratings(a.Export(sec(12), "test", "v")))
}

// TestUpdatesCountOnce: web-vitals reports CLS again as it grows, with the same id; only
// the final value is counted, once, and a late repeat is ignored.
func TestUpdatesCountOnce(t *testing.T) {
	a := New(settings, nil)
	for i, v := range []float64{0.05, 0.12, 0.3} {
		a.Add(Measurement{Vital: "cls", Value: v, ID: "v6-1", Rating: "", Dims: shop}, sec(float64(i)))
	}
	a.Commit(sec(11), false)
	assert.Zero(t, a.SeriesCount(), "still within the hold after the last update")
	a.Commit(sec(12), false)
	md := a.Export(sec(12), "test", "v")
	dp := histogram(t, md, "cls")
	assert.Equal(t, uint64(1), dp.Count())
	assert.InDelta(t, 0.3, dp.Sum(), 1e-12)
	assert.Equal(t, map[string]int64{"cls/poor": 1}, ratings(md))

	a.Add(Measurement{Vital: "cls", Value: 0.3, ID: "v6-1", Dims: shop}, sec(20))
	a.Commit(sec(40), true)
	assert.Equal(t, uint64(1), histogram(t, a.Export(sec(40), "test", "v"), "cls").Count())
	assert.Equal(t, Stats{Counted: 1, Updates: 2, Duplicates: 1}, a.Stats())
}

func TestSDKRatingWinsWhenValid(t *testing.T) {
	a := New(settings, nil)
	a.Add(Measurement{Vital: "inp", Value: 100, ID: "a", Rating: "poor", Dims: shop}, 0)
	a.Add(Measurement{Vital: "inp", Value: 100, ID: "b", Rating: "bogus", Dims: shop}, 0)
	a.Commit(0, true)
	assert.Equal(t, map[string]int64{"inp/poor": 1, "inp/good": 1}, ratings(a.Export(0, "t", "v")))
}

func TestExemplarsPerBucketKeepTheLatestTrace(t *testing.T) {
	a := New(settings, nil)
	a.Add(Measurement{Vital: "lcp", Value: 3000, ID: "a", Dims: shop, TraceID: [16]byte{1}, SpanID: [8]byte{1}}, 0)
	a.Add(Measurement{Vital: "lcp", Value: 2900, ID: "b", Dims: shop, TraceID: [16]byte{2}, SpanID: [8]byte{2}}, 0)
	a.Add(Measurement{Vital: "lcp", Value: 9000, ID: "c", Dims: shop}, 0) // no trace: no exemplar
	a.Commit(0, true)
	dp := histogram(t, a.Export(0, "t", "v"), "lcp")
	require.Equal(t, 1, dp.Exemplars().Len())
	ex := dp.Exemplars().At(0)
	assert.Equal(t, [16]byte{2}, [16]byte(ex.TraceID()), "the latest of the 3000-bucket")
	assert.InDelta(t, 2900, ex.DoubleValue(), 0)
}

func TestUpdateWithoutTraceKeepsTheFirstLink(t *testing.T) {
	a := New(settings, nil)
	a.Add(Measurement{Vital: "cls", Value: 0.01, ID: "x", Dims: shop, TraceID: [16]byte{7}, SpanID: [8]byte{7}}, 0)
	a.Add(Measurement{Vital: "cls", Value: 0.2, ID: "x", Dims: shop}, sec(1))
	a.Commit(0, true)
	dp := histogram(t, a.Export(0, "t", "v"), "cls")
	require.Equal(t, 1, dp.Exemplars().Len())
	assert.Equal(t, [16]byte{7}, [16]byte(dp.Exemplars().At(0).TraceID()))
}

func TestPendingIsBounded(t *testing.T) {
	s := settings
	s.MaxPending = 2
	a := New(s, nil)
	for i := range 5 {
		a.Add(Measurement{Vital: "fcp", Value: 100, ID: fmt.Sprint(i), Dims: shop}, 0)
	}
	assert.Equal(t, 2, a.pending)
	assert.Equal(t, int64(3), a.Stats().Counted, "the oldest were counted early")
}

func TestSeriesExpireAndReportTheirDims(t *testing.T) {
	var expired []Dims
	a := New(settings, func(d Dims) { expired = append(expired, d) })
	a.Add(Measurement{Vital: "ttfb", Value: 10, ID: "a", Dims: shop}, 0)
	a.Commit(0, true)
	a.Commit(sec(3599), false)
	assert.Equal(t, 1, a.SeriesCount())
	a.Commit(sec(3600), false)
	assert.Equal(t, 0, a.SeriesCount())
	assert.Equal(t, []Dims{shop}, expired)
}

func TestSeriesAreSplitByDims(t *testing.T) {
	a := New(settings, nil)
	other := shop
	other.Route = "/checkout"
	a.Add(Measurement{Vital: "lcp", Value: 1, ID: "a", Dims: shop}, 0)
	a.Add(Measurement{Vital: "lcp", Value: 1, ID: "b", Dims: other}, 0)
	a.Add(Measurement{Vital: "fid", Value: 1, ID: "c", Dims: shop}, 0)
	a.Commit(0, true)
	assert.Equal(t, 2, a.SeriesCount())
	assert.Equal(t, int64(1), a.Stats().Unknown)
	md := a.Export(0, "t", "v")
	require.Equal(t, 1, md.ResourceMetrics().Len(), "one resource per service and environment")
	svc, _ := md.ResourceMetrics().At(0).Resource().Attributes().Get("service.name")
	assert.Equal(t, "shop-web", svc.Str())
}

func TestRememberedIDsAreBounded(t *testing.T) {
	s := settings
	s.MaxRemembered = 4
	a := New(s, nil)
	for i := range 10 {
		a.Add(Measurement{Vital: "fcp", Value: 1, ID: fmt.Sprint(i), Dims: shop}, 0)
		a.Commit(0, true)
		assert.LessOrEqual(t, a.ids.remembered(), 4)
	}
	// The most recent ids are still known as counted; the oldest are forgotten.
	a.Add(Measurement{Vital: "fcp", Value: 1, ID: "9", Dims: shop}, 0)
	assert.Equal(t, int64(1), a.Stats().Duplicates)
	a.Add(Measurement{Vital: "fcp", Value: 1, ID: "0", Dims: shop}, 0)
	assert.Equal(t, 0, int(a.Stats().Duplicates-1), "id 0 was forgotten, so it is new again")
}

// TestRememberedForAtLeastRememberFor: an id is remembered for remember_for after it was
// counted, and forgotten within twice that.
func TestRememberedForAtLeastRememberFor(t *testing.T) {
	a := New(settings, nil) // Remember: 10 minutes
	a.Add(Measurement{Vital: "fcp", Value: 1, ID: "x", Dims: shop}, 0)
	a.Commit(0, true)
	for _, at := range []int64{sec(60), sec(300), sec(599)} {
		a.Commit(at, false)
		a.Add(Measurement{Vital: "fcp", Value: 1, ID: "x", Dims: shop}, at)
	}
	assert.Equal(t, int64(3), a.Stats().Duplicates, "remembered for 10 minutes")
	a.Commit(sec(600), false)
	a.Commit(sec(1200), false)
	a.Add(Measurement{Vital: "fcp", Value: 1, ID: "x", Dims: shop}, sec(1200))
	assert.Equal(t, int64(3), a.Stats().Duplicates, "forgotten after twice remember_for")
	assert.Equal(t, 1, a.pending)
}

func TestRouteForgottenOnlyWithItsLastSeries(t *testing.T) {
	var forgotten []string
	a := New(settings, func(d Dims) { forgotten = append(forgotten, d.Route) })
	a.Add(Measurement{Vital: "lcp", Value: 1, ID: "a", Dims: shop}, 0)
	a.Commit(0, true)
	a.Add(Measurement{Vital: "cls", Value: 0.1, ID: "b", Dims: shop}, sec(1800))
	a.Commit(sec(1800), true)
	a.Commit(sec(3600), false) // the lcp series expires; cls still uses the route
	assert.Equal(t, 1, a.SeriesCount())
	assert.Empty(t, forgotten)
	a.Commit(sec(5400), false)
	assert.Equal(t, []string{shop.Route}, forgotten)
}

// TestSlotReuseKeepsCountedIDsCounted: a counted measurement's arena slot is reused by the
// next one; a late repeat of the first is still a duplicate, and an update of the second
// still updates it.
func TestSlotReuseKeepsCountedIDsCounted(t *testing.T) {
	a := New(settings, nil)
	a.Add(Measurement{Vital: "cls", Value: 0.1, ID: "first", Dims: shop}, 0)
	a.Commit(sec(10), false)
	require.Equal(t, int64(1), a.Stats().Counted)
	a.Add(Measurement{Vital: "cls", Value: 0.2, ID: "second", Dims: shop}, sec(11)) // takes the freed slot
	a.Add(Measurement{Vital: "cls", Value: 0.9, ID: "first", Dims: shop}, sec(12))
	assert.Equal(t, int64(1), a.Stats().Duplicates, "the first is still known as counted")
	a.Add(Measurement{Vital: "cls", Value: 0.3, ID: "second", Dims: shop}, sec(13))
	assert.Equal(t, int64(1), a.Stats().Updates)
	a.Commit(sec(30), false)
	assert.Equal(t, int64(2), a.Stats().Counted)
	s := a.series[seriesKey{vital: "cls", dims: shop}]
	assert.InDelta(t, 0.4, s.sum, 1e-9, "0.1 and the second's final 0.3")
}

// TestValuesNoBrowserMeasuresAreIgnored: a cumulative histogram keeps its sum for the
// collector's life, so one value near the largest float64 would leave it infinite.
func TestValuesNoBrowserMeasuresAreIgnored(t *testing.T) {
	a := New(settings, nil)
	for _, v := range []float64{math.MaxFloat64, math.Inf(1), math.NaN(), -1, MaxValue * 2} {
		a.Add(Measurement{Vital: "lcp", Value: v}, 0)
	}
	a.Add(Measurement{Vital: "lcp", Value: MaxValue}, 0)
	st := a.Stats()
	assert.Equal(t, int64(5), st.Invalid)
	assert.Equal(t, int64(1), st.Counted)
}
