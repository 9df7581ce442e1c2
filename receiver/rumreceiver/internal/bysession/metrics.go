// Copyright The otelcol-rum Authors
// SPDX-License-Identifier: Apache-2.0

package bysession // import "github.com/otelcol-rum/otelcol-rum/receiver/rumreceiver/internal/bysession"

import (
	"go.opentelemetry.io/collector/pdata/pmetric"

	"github.com/otelcol-rum/otelcol-rum/internal/pdatacopy"
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
				points, ok := pdatacopy.NumberPoints(m)
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
					return pdatacopy.ResourceMetrics(rm, p.out[i].Data.ResourceMetrics())
				}, func(dst pmetric.ResourceMetrics) pmetric.ScopeMetrics {
					return pdatacopy.ScopeMetrics(sm, dst.ScopeMetrics())
				})
			}
			for _, m := range sm.Metrics().All() {
				source++
				points, ok := pdatacopy.NumberPoints(m)
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
						metrics[i] = metricOf{source: source, dst: pdatacopy.MetricWithoutPoints(m, scope.Metrics().AppendEmpty())}
					}
					dst, _ := pdatacopy.NumberPoints(metrics[i].dst)
					dp.CopyTo(dst.AppendEmpty())
				}
			}
		}
	}
	return p.out
}
