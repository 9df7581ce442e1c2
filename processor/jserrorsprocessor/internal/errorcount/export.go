// Copyright The otelcol-rum Authors
// SPDX-License-Identifier: Apache-2.0

package errorcount // import "github.com/otelcol-rum/otelcol-rum/processor/jserrorsprocessor/internal/errorcount"

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

// Scope names the instrumentation scope of the emitted counter.
type Scope struct {
	Name    string
	Version string
}

const (
	unit        = "{error}"
	description = "Errors in browsers: exceptions and other records of severity ERROR or above."
)

// entry is a series as copied out of the counter, so that the metrics are built without
// holding its lock.
type entry struct {
	key      Key
	series   series
	overflow bool
}

// Export drops the series that expired, then writes every other series as of now
// (Unix nanoseconds): cumulative, one resource per service and environment, the overflow
// series under a resource of its own marked otel.metric.overflow.
func (c *Counter) Export(now int64, scope Scope) pmetric.Metrics {
	entries := c.snapshot(now)
	md := pmetric.NewMetrics()
	var (
		last    *entry
		metric  pmetric.Metric
		started bool
	)
	for i := range entries {
		e := &entries[i]
		if !started || e.overflow != last.overflow || e.key.Service != last.key.Service || e.key.Environment != last.key.Environment {
			metric = newResource(md, e, scope)
			started = true
		}
		last = e
		c.writePoint(metric.Sum().DataPoints().AppendEmpty(), e, pcommon.Timestamp(now))
	}
	return md
}

// snapshot expires what is due and copies the rest, sorted by resource, then labels.
func (c *Counter) snapshot(now int64) []entry {
	c.mu.Lock()
	c.expire(now)
	entries := make([]entry, 0, len(c.series)+1)
	for k, s := range c.series {
		entries = append(entries, entry{key: k, series: *s})
	}
	if c.overflow.count > 0 {
		entries = append(entries, entry{series: c.overflow, overflow: true})
	}
	c.mu.Unlock()
	// A stable order makes the output comparable and easy to read; the overflow series
	// comes last.
	slices.SortFunc(entries, func(a, b entry) int {
		if a.overflow != b.overflow {
			if a.overflow {
				return 1
			}
			return -1
		}
		x, y := a.key, b.key
		return cmp.Or(cmp.Compare(x.Service, y.Service), cmp.Compare(x.Environment, y.Environment),
			cmp.Compare(x.Version, y.Version), cmp.Compare(x.Route, y.Route),
			cmp.Compare(x.Group, y.Group), cmp.Compare(x.Type, y.Type), dimensions.Compare(&x.Dims, &y.Dims))
	})
	return entries
}

// newResource starts the resource of e's service and environment with an empty
// browser.errors sum, and returns that sum.
func newResource(md pmetric.Metrics, e *entry, scope Scope) pmetric.Metric {
	sm := metricsemitter.AppendResource(md, e.key.Service, e.key.Environment, scope.Name, scope.Version)
	return metricsemitter.AppendCounter(sm.Metrics(), rumconv.MetricBrowserErrors, unit, description)
}

func (c *Counter) writePoint(dp pmetric.NumberDataPoint, e *entry, now pcommon.Timestamp) {
	attrs := dp.Attributes()
	if e.overflow {
		attrs.PutBool(rumconv.AttrOTelMetricOverflow, true)
	}
	pattrs.PutNonEmpty(attrs, rumconv.AttrServiceVersion, e.key.Version)
	pattrs.PutNonEmpty(attrs, rumconv.AttrURLTemplate, e.key.Route)
	pattrs.PutNonEmpty(attrs, rumconv.AttrRUMErrorGroup, e.key.Group)
	pattrs.PutNonEmpty(attrs, rumconv.AttrExceptionType, e.key.Type)
	if c.set.Dimensions != nil {
		c.set.Dimensions.Put(attrs, &e.key.Dims)
	}
	dp.SetStartTimestamp(pcommon.Timestamp(e.series.start))
	dp.SetTimestamp(now)
	dp.SetIntValue(e.series.count)
	if !e.series.hasExemplar {
		return
	}
	ex := e.series.exemplar
	x := dp.Exemplars().AppendEmpty()
	x.SetTimestamp(ex.Time)
	x.SetIntValue(1) // each exemplar is one error
	x.SetTraceID(ex.TraceID)
	x.SetSpanID(ex.SpanID)
	pattrs.PutNonEmpty(x.FilteredAttributes(), rumconv.AttrSessionID, ex.SessionID)
}
