// Copyright The otelcol-rum Authors
// SPDX-License-Identifier: Apache-2.0

package engine // import "github.com/otelcol-rum/otelcol-rum/internal/webvitals/engine"

import (
	"go.opentelemetry.io/collector/pdata/pcommon"
	"go.opentelemetry.io/collector/pdata/pmetric"

	"github.com/otelcol-rum/otelcol-rum/internal/rumconv"
	"github.com/otelcol-rum/otelcol-rum/internal/webvitals/aggregate"
)

// ConsumeMetrics takes the rum receiver's per-measurement points into the aggregation and,
// unless keep is set, removes them from md: the histograms replace them. It reports
// whether anything is left in md.
func (e *Engine) ConsumeMetrics(md pmetric.Metrics, keep bool) bool {
	now := e.now().UnixNano()
	e.mu.Lock()
	defer e.mu.Unlock()
	md.ResourceMetrics().RemoveIf(func(rm pmetric.ResourceMetrics) bool {
		base := e.baseDims(rm.Resource().Attributes(), now)
		rm.ScopeMetrics().RemoveIf(func(sm pmetric.ScopeMetrics) bool {
			sm.Metrics().RemoveIf(func(m pmetric.Metric) bool {
				vital, ok := measurementVital(m)
				if !ok {
					return false
				}
				for _, dp := range m.Gauge().DataPoints().All() {
					e.agg.Add(e.pointMeasurement(vital, dp, base), now)
				}
				return !keep
			})
			return sm.Metrics().Len() == 0
		})
		return rm.ScopeMetrics().Len() == 0
	})
	return md.ResourceMetrics().Len() > 0
}

// measurementVital recognises the rum receiver's per-measurement gauges.
func measurementVital(m pmetric.Metric) (string, bool) {
	if m.Type() != pmetric.MetricTypeGauge {
		return "", false
	}
	return rumconv.WebVitalOfMeasurementMetric(m.Name())
}

func (e *Engine) pointMeasurement(vital string, dp pmetric.NumberDataPoint, base aggregate.Dims) aggregate.Measurement {
	m := aggregate.Measurement{Vital: vital, Dims: base, Time: int64(dp.Timestamp())}
	// One pass over the point's few attributes instead of a lookup per key.
	var url string
	for k, v := range dp.Attributes().All() {
		if v.Type() != pcommon.ValueTypeStr {
			continue
		}
		switch k {
		case rumconv.AttrWebVitalID:
			m.ID = v.Str()
		case rumconv.AttrWebVitalRating:
			m.Rating = v.Str()
		case rumconv.AttrURLFull:
			url = v.Str()
		}
	}
	if dp.ValueType() == pmetric.NumberDataPointValueTypeInt {
		m.Value = float64(dp.IntValue())
	} else {
		m.Value = dp.DoubleValue()
	}
	m.Dims.Route = e.routes.Template(base.Service, url)
	if dp.Exemplars().Len() > 0 {
		ex := dp.Exemplars().At(0)
		m.TraceID, m.SpanID = ex.TraceID(), ex.SpanID()
	}
	return m
}
