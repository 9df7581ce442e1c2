// Copyright The otelcol-rum Authors
// SPDX-License-Identifier: Apache-2.0

package metricsemitter

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"go.opentelemetry.io/collector/pdata/pmetric"

	"github.com/otelcol-rum/otelcol-rum/internal/rumconv"
)

func TestAppendResourceLeavesOutEmptyLabels(t *testing.T) {
	md := pmetric.NewMetrics()
	sm := AppendResource(md, "shop", "", "scope", "1.2.3")
	require.Equal(t, 1, md.ResourceMetrics().Len())
	attrs := md.ResourceMetrics().At(0).Resource().Attributes()
	assert.Equal(t, map[string]any{rumconv.AttrServiceName: "shop"}, attrs.AsRaw())
	assert.Equal(t, "scope", sm.Scope().Name())
	assert.Equal(t, "1.2.3", sm.Scope().Version())

	AppendResource(md, "", "prod", "scope", "1.2.3")
	assert.Equal(t, map[string]any{rumconv.AttrDeploymentEnvironmentName: "prod"},
		md.ResourceMetrics().At(1).Resource().Attributes().AsRaw())
}

func TestAppendCounterIsCumulativeMonotonicSum(t *testing.T) {
	ms := pmetric.NewMetricSlice()
	m := AppendCounter(ms, "browser.errors", "{error}", "Errors.")
	require.Equal(t, 1, ms.Len())
	assert.Equal(t, "browser.errors", m.Name())
	assert.Equal(t, "{error}", m.Unit())
	assert.Equal(t, "Errors.", m.Description())
	require.Equal(t, pmetric.MetricTypeSum, m.Type())
	assert.True(t, m.Sum().IsMonotonic())
	assert.Equal(t, pmetric.AggregationTemporalityCumulative, m.Sum().AggregationTemporality())
	assert.Equal(t, 0, m.Sum().DataPoints().Len())
}
