// Copyright The otelcol-rum Authors
// SPDX-License-Identifier: Apache-2.0

package metricsemitter // import "github.com/otelcol-rum/otelcol-rum/internal/metricsemitter"

import (
	"go.opentelemetry.io/collector/pdata/pmetric"

	"github.com/otelcol-rum/otelcol-rum/internal/pattrs"
	"github.com/otelcol-rum/otelcol-rum/internal/rumconv"
)

// AppendResource appends the resource of one service and environment (either left out
// when empty) to md with one scope, and returns that scope: the metrics the processors
// keep themselves all group their series this way.
func AppendResource(md pmetric.Metrics, service, environment, scopeName, scopeVersion string) pmetric.ScopeMetrics {
	rm := md.ResourceMetrics().AppendEmpty()
	pattrs.PutNonEmpty(rm.Resource().Attributes(), rumconv.AttrServiceName, service)
	pattrs.PutNonEmpty(rm.Resource().Attributes(), rumconv.AttrDeploymentEnvironmentName, environment)
	sm := rm.ScopeMetrics().AppendEmpty()
	sm.Scope().SetName(scopeName)
	sm.Scope().SetVersion(scopeVersion)
	return sm
}

// AppendCounter appends an empty cumulative monotonic sum to metrics and returns it.
func AppendCounter(metrics pmetric.MetricSlice, name, unit, description string) pmetric.Metric {
	m := metrics.AppendEmpty()
	m.SetName(name)
	m.SetUnit(unit)
	m.SetDescription(description)
	sum := m.SetEmptySum()
	sum.SetIsMonotonic(true)
	sum.SetAggregationTemporality(pmetric.AggregationTemporalityCumulative)
	return m
}
