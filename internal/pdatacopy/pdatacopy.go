// Copyright The otelcol-rum Authors
// SPDX-License-Identifier: Apache-2.0

// Package pdatacopy copies the containers of pdata without their contents: a resource
// with its schema, a scope with its schema, a metric with its kind and no points. Code
// that moves single records between batches (the receiver's split by session, the
// session processor's held vitals) builds the new batch around them with these.
package pdatacopy // import "github.com/otelcol-rum/otelcol-rum/internal/pdatacopy"

import (
	"go.opentelemetry.io/collector/pdata/plog"
	"go.opentelemetry.io/collector/pdata/pmetric"
	"go.opentelemetry.io/collector/pdata/ptrace"
)

// ResourceSpans appends to dst a resource like src's, without scopes.
func ResourceSpans(src ptrace.ResourceSpans, dst ptrace.ResourceSpansSlice) ptrace.ResourceSpans {
	out := dst.AppendEmpty()
	src.Resource().CopyTo(out.Resource())
	out.SetSchemaUrl(src.SchemaUrl())
	return out
}

// ScopeSpans appends to dst a scope like src's, without spans.
func ScopeSpans(src ptrace.ScopeSpans, dst ptrace.ScopeSpansSlice) ptrace.ScopeSpans {
	out := dst.AppendEmpty()
	src.Scope().CopyTo(out.Scope())
	out.SetSchemaUrl(src.SchemaUrl())
	return out
}

// ResourceLogs appends to dst a resource like src's, without scopes.
func ResourceLogs(src plog.ResourceLogs, dst plog.ResourceLogsSlice) plog.ResourceLogs {
	out := dst.AppendEmpty()
	src.Resource().CopyTo(out.Resource())
	out.SetSchemaUrl(src.SchemaUrl())
	return out
}

// ScopeLogs appends to dst a scope like src's, without records.
func ScopeLogs(src plog.ScopeLogs, dst plog.ScopeLogsSlice) plog.ScopeLogs {
	out := dst.AppendEmpty()
	src.Scope().CopyTo(out.Scope())
	out.SetSchemaUrl(src.SchemaUrl())
	return out
}

// ResourceMetrics appends to dst a resource like src's, without scopes.
func ResourceMetrics(src pmetric.ResourceMetrics, dst pmetric.ResourceMetricsSlice) pmetric.ResourceMetrics {
	out := dst.AppendEmpty()
	src.Resource().CopyTo(out.Resource())
	out.SetSchemaUrl(src.SchemaUrl())
	return out
}

// ScopeMetrics appends to dst a scope like src's, without metrics.
func ScopeMetrics(src pmetric.ScopeMetrics, dst pmetric.ScopeMetricsSlice) pmetric.ScopeMetrics {
	out := dst.AppendEmpty()
	src.Scope().CopyTo(out.Scope())
	out.SetSchemaUrl(src.SchemaUrl())
	return out
}

// MetricWithoutPoints makes dst a gauge or a sum like m (a gauge unless m is a sum), with
// m's name, description, unit and metadata, and no points.
func MetricWithoutPoints(m, dst pmetric.Metric) pmetric.Metric {
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

// NumberPoints returns the points of a gauge or a sum; false for a metric of another kind.
func NumberPoints(m pmetric.Metric) (pmetric.NumberDataPointSlice, bool) {
	switch m.Type() {
	case pmetric.MetricTypeGauge:
		return m.Gauge().DataPoints(), true
	case pmetric.MetricTypeSum:
		return m.Sum().DataPoints(), true
	}
	return pmetric.NumberDataPointSlice{}, false
}
