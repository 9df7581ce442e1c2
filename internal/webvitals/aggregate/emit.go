// Copyright The otelcol-rum Authors
// SPDX-License-Identifier: Apache-2.0

package aggregate // import "github.com/otelcol-rum/otelcol-rum/internal/webvitals/aggregate"

import (
	"sort"

	"go.opentelemetry.io/collector/pdata/pcommon"
	"go.opentelemetry.io/collector/pdata/pmetric"

	"github.com/otelcol-rum/otelcol-rum/internal/dimensions"
	"github.com/otelcol-rum/otelcol-rum/internal/metricsemitter"
	"github.com/otelcol-rum/otelcol-rum/internal/pattrs"
	"github.com/otelcol-rum/otelcol-rum/internal/rumconv"
)

var ratingNames = [3]string{RatingGood, RatingNeedsImprovement, RatingPoor}

type resourceKey struct {
	service, environment string
	overflow             bool
}

// Export writes every series as of now: one resource per service and environment, a
// cumulative histogram per vital with its exemplars, and the ratings counter.
func (a *Aggregator) Export(now int64, scopeName, version string) pmetric.Metrics {
	md := pmetric.NewMetrics()
	if len(a.series) == 0 {
		return md
	}
	keys := make([]seriesKey, 0, len(a.series))
	for k := range a.series {
		keys = append(keys, k)
	}
	// A stable order makes the output comparable and easy to read.
	sort.Slice(keys, func(i, j int) bool { return lessKey(keys[i], keys[j]) })

	type scope struct {
		histograms map[string]pmetric.Metric
		ratings    pmetric.Metric
		apdex      pmetric.Metric
		metrics    pmetric.MetricSlice
	}
	scopes := map[resourceKey]*scope{}
	ts := pcommon.Timestamp(now)
	for _, k := range keys {
		s := a.series[k]
		rk := resourceKey{k.dims.Service, k.dims.Environment, k.dims.Overflow}
		sc, ok := scopes[rk]
		if !ok {
			sm := metricsemitter.AppendResource(md, rk.service, rk.environment, scopeName, version)
			sc = &scope{histograms: map[string]pmetric.Metric{}, metrics: sm.Metrics()}
			scopes[rk] = sc
		}
		h, ok := sc.histograms[k.vital]
		if !ok {
			h = sc.metrics.AppendEmpty()
			h.SetName(s.vital.Metric)
			h.SetUnit(s.vital.Unit)
			h.SetDescription(k.vital + " as measured in browsers.")
			h.SetEmptyHistogram().SetAggregationTemporality(pmetric.AggregationTemporalityCumulative)
			sc.histograms[k.vital] = h
		}
		dp := h.Histogram().DataPoints().AppendEmpty()
		a.putDims(dp.Attributes(), &k.dims)
		dp.SetStartTimestamp(pcommon.Timestamp(s.start))
		dp.SetTimestamp(ts)
		dp.SetCount(s.count)
		dp.SetSum(s.sum)
		dp.SetMin(s.min)
		dp.SetMax(s.max)
		dp.ExplicitBounds().FromRaw(s.vital.Bounds)
		dp.BucketCounts().FromRaw(s.buckets)
		for _, ex := range s.exemplars {
			if ex.TraceID == [16]byte{} {
				continue
			}
			e := dp.Exemplars().AppendEmpty()
			e.SetDoubleValue(ex.Value)
			e.SetTimestamp(pcommon.Timestamp(ex.Time))
			e.SetTraceID(ex.TraceID)
			e.SetSpanID(ex.SpanID)
		}

		if s.apdexT > 0 {
			if sc.apdex == (pmetric.Metric{}) {
				sc.apdex = metricsemitter.AppendCounter(sc.metrics, rumconv.MetricBrowserApdex, "{page_load}", "Page loads by Apdex zone, from the page load duration or from LCP.")
			}
			a.writeApdex(sc.apdex, k, s, ts)
		}
		if !s.vital.Rated {
			continue
		}
		if sc.ratings == (pmetric.Metric{}) {
			sc.ratings = metricsemitter.AppendCounter(sc.metrics, rumconv.MetricWebVitalRatings, "{measurements}", "Web Vitals measurements by rating.")
		}
		for i, n := range s.ratings {
			if n == 0 {
				continue
			}
			rp := sc.ratings.Sum().DataPoints().AppendEmpty()
			a.putDims(rp.Attributes(), &k.dims)
			rp.Attributes().PutStr(rumconv.AttrWebVitalName, k.vital)
			rp.Attributes().PutStr(rumconv.AttrWebVitalRating, ratingNames[i])
			rp.SetStartTimestamp(pcommon.Timestamp(s.start))
			rp.SetTimestamp(ts)
			rp.SetIntValue(int64(n)) //nolint:gosec // counts one per measurement: 2^63 is out of reach
		}
	}
	return md
}

// writeApdex writes a series' counts by Apdex zone, the zones that counted nothing left
// out.
func (a *Aggregator) writeApdex(m pmetric.Metric, k seriesKey, s *series, ts pcommon.Timestamp) {
	source := apdexSource(s.vital)
	for i, n := range s.apdex {
		if n == 0 {
			continue
		}
		dp := m.Sum().DataPoints().AppendEmpty()
		a.putDims(dp.Attributes(), &k.dims)
		dp.Attributes().PutStr(rumconv.AttrRUMApdexSource, source)
		dp.Attributes().PutStr(rumconv.AttrRUMApdexZone, apdexZones[i])
		dp.SetStartTimestamp(pcommon.Timestamp(s.start))
		dp.SetTimestamp(ts)
		dp.SetIntValue(int64(n)) //nolint:gosec // counts one per measurement: 2^63 is out of reach
	}
}

func (a *Aggregator) putDims(m pcommon.Map, d *Dims) {
	if d.Overflow {
		m.PutBool(rumconv.AttrOTelMetricOverflow, true)
		return
	}
	pattrs.PutNonEmpty(m, rumconv.AttrURLTemplate, d.Route)
	if a.set.Dimensions != nil {
		a.set.Dimensions.Put(m, &d.Values)
	}
}

// lessKey orders series by resource (the overflow series last), vital, then labels.
func lessKey(a, b seriesKey) bool {
	switch {
	case a.dims.Overflow != b.dims.Overflow:
		return b.dims.Overflow
	case a.dims.Service != b.dims.Service:
		return a.dims.Service < b.dims.Service
	case a.dims.Environment != b.dims.Environment:
		return a.dims.Environment < b.dims.Environment
	case a.vital != b.vital:
		return a.vital < b.vital
	case a.dims.Route != b.dims.Route:
		return a.dims.Route < b.dims.Route
	}
	return dimensions.Compare(&a.dims.Values, &b.dims.Values) < 0
}
