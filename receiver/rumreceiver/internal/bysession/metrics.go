// Copyright The otelcol-rum Authors
// SPDX-License-Identifier: Apache-2.0

package bysession // import "github.com/otelcol-rum/otelcol-rum/receiver/rumreceiver/internal/bysession"

import (
	"go.opentelemetry.io/collector/pdata/pmetric"
)

// Metrics splits md into one part per session, in the order the sessions first appear;
// md itself is the only part when it holds one session. As in the session processor,
// only the points of gauges and sums are records of their own (a vital's measurement);
// a metric of another kind goes whole with its resource's session.
func Metrics(md pmetric.Metrics, resourceKey ResourceKey) []Part[pmetric.Metrics] {
	var u uniform
	for _, rm := range md.ResourceMetrics().All() {
		rk := resourceKey(rm.Resource().Attributes())
		for _, sm := range rm.ScopeMetrics().All() {
			for _, m := range sm.Metrics().All() {
				points, ok := numberPoints(m)
				if !ok {
					if u.add(rk) {
						return splitMetrics(md, resourceKey)
					}
					continue
				}
				for _, dp := range points.All() {
					if u.add(recordKey(dp.Attributes(), rk)) {
						return splitMetrics(md, resourceKey)
					}
				}
			}
		}
	}
	return []Part[pmetric.Metrics]{{Key: u.key, Data: md}}
}

// numberPoints returns the points of a gauge or a sum.
func numberPoints(m pmetric.Metric) (pmetric.NumberDataPointSlice, bool) {
	switch m.Type() {
	case pmetric.MetricTypeGauge:
		return m.Gauge().DataPoints(), true
	case pmetric.MetricTypeSum:
		return m.Sum().DataPoints(), true
	}
	return pmetric.NumberDataPointSlice{}, false
}

func splitMetrics(md pmetric.Metrics, resourceKey ResourceKey) []Part[pmetric.Metrics] {
	p := parts[pmetric.Metrics]{newData: pmetric.NewMetrics}
	var d dest[pmetric.ResourceMetrics, pmetric.ScopeMetrics]
	// metricOf is, per part, the source metric its last destination metric was made for
	// (by its position in the whole request) and that destination.
	type metricOf struct {
		source int
		dst    pmetric.Metric
	}
	var metrics []metricOf
	source := 0
	for ri, rm := range md.ResourceMetrics().All() {
		rk := resourceKey(rm.Resource().Attributes())
		for si, sm := range rm.ScopeMetrics().All() {
			scopeOf := func(i int) pmetric.ScopeMetrics {
				return d.at(i, ri, si, func() pmetric.ResourceMetrics {
					out := p.out[i].Data.ResourceMetrics().AppendEmpty()
					rm.Resource().CopyTo(out.Resource())
					out.SetSchemaUrl(rm.SchemaUrl())
					return out
				}, func(dst pmetric.ResourceMetrics) pmetric.ScopeMetrics {
					out := dst.ScopeMetrics().AppendEmpty()
					sm.Scope().CopyTo(out.Scope())
					out.SetSchemaUrl(sm.SchemaUrl())
					return out
				})
			}
			for _, m := range sm.Metrics().All() {
				source++
				points, ok := numberPoints(m)
				if !ok {
					m.CopyTo(scopeOf(p.part(rk)).Metrics().AppendEmpty())
					continue
				}
				for _, dp := range points.All() {
					i := p.part(recordKey(dp.Attributes(), rk))
					scope := scopeOf(i)
					for len(metrics) <= i {
						metrics = append(metrics, metricOf{})
					}
					if metrics[i].source != source {
						metrics[i] = metricOf{source: source, dst: withoutPoints(m, scope.Metrics().AppendEmpty())}
					}
					dst, _ := numberPoints(metrics[i].dst)
					dp.CopyTo(dst.AppendEmpty())
				}
			}
		}
	}
	return p.out
}

// withoutPoints makes dst a gauge or sum like m, with m's name, description, unit and
// metadata, and no points.
func withoutPoints(m, dst pmetric.Metric) pmetric.Metric {
	dst.SetName(m.Name())
	dst.SetDescription(m.Description())
	dst.SetUnit(m.Unit())
	m.Metadata().CopyTo(dst.Metadata())
	if m.Type() == pmetric.MetricTypeSum {
		sum := dst.SetEmptySum()
		sum.SetAggregationTemporality(m.Sum().AggregationTemporality())
		sum.SetIsMonotonic(m.Sum().IsMonotonic())
		return dst
	}
	dst.SetEmptyGauge()
	return dst
}
