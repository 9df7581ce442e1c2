// Copyright The otelcol-rum Authors
// SPDX-License-Identifier: Apache-2.0

package journeycount // import "github.com/otelcol-rum/otelcol-rum/processor/journeysprocessor/internal/journeycount"

import (
	"cmp"
	"slices"

	"go.opentelemetry.io/collector/pdata/pcommon"
	"go.opentelemetry.io/collector/pdata/pmetric"

	"github.com/otelcol-rum/otelcol-rum/internal/dimensions"
	"github.com/otelcol-rum/otelcol-rum/internal/metricsemitter"
	"github.com/otelcol-rum/otelcol-rum/internal/pattrs"
	"github.com/otelcol-rum/otelcol-rum/internal/rumconv"
)

// Scope names the instrumentation scope of the emitted metrics.
type Scope struct {
	Name    string
	Version string
}

// entry is a series as copied out of the counter, so that the metrics are built without
// holding its lock.
type entry struct {
	key      Key
	series   series
	overflow bool
}

// Export drops the series that expired, then writes every other series as of now (Unix
// nanoseconds): cumulative, one resource per service and environment, the overflow
// series under a resource of their own, marked otel.metric.overflow.
func (c *Counter) Export(now int64, scope Scope) pmetric.Metrics {
	entries := c.snapshot(now)
	md := pmetric.NewMetrics()
	var (
		sm      pmetric.ScopeMetrics
		current pmetric.Metric
		last    *entry
	)
	ts := pcommon.Timestamp(now)
	for i := range entries {
		e := &entries[i]
		newResource := last == nil || e.overflow != last.overflow || e.key.Service != last.key.Service || e.key.Environment != last.key.Environment
		if newResource {
			sm = metricsemitter.AppendResource(md, e.key.Service, e.key.Environment, scope.Name, scope.Version)
		}
		if newResource || e.key.Kind != last.key.Kind {
			current = appendMetric(sm, e.key.Kind)
		}
		last = e
		if metrics[e.key.Kind].bounds != nil {
			c.writeHistogramPoint(current.Histogram().DataPoints().AppendEmpty(), e, ts)
		} else {
			c.writeSumPoint(current.Sum().DataPoints().AppendEmpty(), e, ts)
		}
	}
	return md
}

// snapshot expires what is due and copies the rest, sorted by resource, metric, then
// labels; the overflow series come last.
func (c *Counter) snapshot(now int64) []entry {
	c.mu.Lock()
	c.expire(now)
	entries := make([]entry, 0, len(c.series)+int(numKinds))
	for k, s := range c.series {
		entries = append(entries, entry{key: k, series: copySeries(s)})
	}
	for kind, s := range c.overflow {
		if s != nil {
			entries = append(entries, entry{key: Key{Kind: Kind(kind)}, series: copySeries(s), overflow: true})
		}
	}
	c.mu.Unlock()
	slices.SortFunc(entries, func(a, b entry) int {
		if a.overflow != b.overflow {
			if a.overflow {
				return 1
			}
			return -1
		}
		x, y := &a.key, &b.key
		return cmp.Or(cmp.Compare(x.Service, y.Service), cmp.Compare(x.Environment, y.Environment),
			cmp.Compare(x.Kind, y.Kind), cmp.Compare(x.A, y.A), cmp.Compare(x.B, y.B), dimensions.Compare(&x.Dims, &y.Dims))
	})
	return entries
}

// copySeries copies s with its own buckets: the counter goes on counting into the
// original after the lock is released.
func copySeries(s *series) series {
	out := *s
	out.buckets = slices.Clone(s.buckets)
	return out
}

func appendMetric(sm pmetric.ScopeMetrics, kind Kind) pmetric.Metric {
	def := &metrics[kind]
	if def.bounds == nil {
		return metricsemitter.AppendCounter(sm.Metrics(), def.name, def.unit, def.description)
	}
	m := sm.Metrics().AppendEmpty()
	m.SetName(def.name)
	m.SetUnit(def.unit)
	m.SetDescription(def.description)
	m.SetEmptyHistogram().SetAggregationTemporality(pmetric.AggregationTemporalityCumulative)
	return m
}

func (c *Counter) putAttributes(attrs pcommon.Map, e *entry) {
	if e.overflow {
		attrs.PutBool(rumconv.AttrOTelMetricOverflow, true)
		return
	}
	labels := &metrics[e.key.Kind].labels
	if labels[0] != "" {
		pattrs.PutNonEmpty(attrs, labels[0], e.key.A)
	}
	if labels[1] != "" {
		pattrs.PutNonEmpty(attrs, labels[1], e.key.B)
	}
	if c.set.Dimensions != nil {
		c.set.Dimensions.Put(attrs, &e.key.Dims)
	}
}

func (c *Counter) writeSumPoint(dp pmetric.NumberDataPoint, e *entry, now pcommon.Timestamp) {
	c.putAttributes(dp.Attributes(), e)
	dp.SetStartTimestamp(pcommon.Timestamp(e.series.start))
	dp.SetTimestamp(now)
	dp.SetIntValue(int64(e.series.count)) //nolint:gosec // one per observation: 2^63 is out of reach
}

func (c *Counter) writeHistogramPoint(dp pmetric.HistogramDataPoint, e *entry, now pcommon.Timestamp) {
	c.putAttributes(dp.Attributes(), e)
	dp.SetStartTimestamp(pcommon.Timestamp(e.series.start))
	dp.SetTimestamp(now)
	dp.SetCount(e.series.count)
	dp.SetSum(e.series.sum)
	dp.SetMin(e.series.min)
	dp.SetMax(e.series.max)
	dp.ExplicitBounds().FromRaw(metrics[e.key.Kind].bounds)
	dp.BucketCounts().FromRaw(e.series.buckets)
}
