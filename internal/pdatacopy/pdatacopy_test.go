// Copyright The otelcol-rum Authors
// SPDX-License-Identifier: Apache-2.0

package pdatacopy

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"go.opentelemetry.io/collector/pdata/plog"
	"go.opentelemetry.io/collector/pdata/pmetric"
)

func TestContainersWithoutContents(t *testing.T) {
	ld := plog.NewLogs()
	rl := ld.ResourceLogs().AppendEmpty()
	rl.SetSchemaUrl("https://opentelemetry.io/schemas/1.26.0")
	rl.Resource().Attributes().PutStr("service.name", "shop")
	sl := rl.ScopeLogs().AppendEmpty()
	sl.Scope().SetName("faro")
	sl.SetSchemaUrl("scope-schema")
	sl.LogRecords().AppendEmpty().Body().SetStr("x")

	out := plog.NewLogs()
	crl := ResourceLogs(rl, out.ResourceLogs())
	csl := ScopeLogs(sl, crl.ScopeLogs())
	assert.Equal(t, rl.SchemaUrl(), crl.SchemaUrl())
	assert.Equal(t, rl.Resource().Attributes().AsRaw(), crl.Resource().Attributes().AsRaw())
	assert.Equal(t, "faro", csl.Scope().Name())
	assert.Equal(t, "scope-schema", csl.SchemaUrl())
	assert.Zero(t, csl.LogRecords().Len(), "no records copied")
}

func TestMetricWithoutPoints(t *testing.T) {
	sum := pmetric.NewMetric()
	sum.SetName("browser.web_vital.lcp")
	sum.SetUnit("ms")
	sum.SetDescription("d")
	sum.Metadata().PutStr("k", "v")
	s := sum.SetEmptySum()
	s.SetAggregationTemporality(pmetric.AggregationTemporalityDelta)
	s.SetIsMonotonic(true)
	s.DataPoints().AppendEmpty().SetDoubleValue(1)

	dst := MetricWithoutPoints(sum, pmetric.NewMetric())
	require.Equal(t, pmetric.MetricTypeSum, dst.Type())
	assert.Equal(t, "browser.web_vital.lcp", dst.Name())
	assert.Equal(t, "ms", dst.Unit())
	assert.Equal(t, "d", dst.Description())
	assert.Equal(t, map[string]any{"k": "v"}, dst.Metadata().AsRaw())
	assert.Equal(t, pmetric.AggregationTemporalityDelta, dst.Sum().AggregationTemporality())
	assert.True(t, dst.Sum().IsMonotonic())
	assert.Zero(t, dst.Sum().DataPoints().Len())

	gauge := pmetric.NewMetric()
	gauge.SetEmptyGauge().DataPoints().AppendEmpty()
	assert.Equal(t, pmetric.MetricTypeGauge, MetricWithoutPoints(gauge, pmetric.NewMetric()).Type())
}

func TestNumberPoints(t *testing.T) {
	g := pmetric.NewMetric()
	g.SetEmptyGauge().DataPoints().AppendEmpty()
	points, ok := NumberPoints(g)
	assert.True(t, ok)
	assert.Equal(t, 1, points.Len())

	h := pmetric.NewMetric()
	h.SetEmptyHistogram().DataPoints().AppendEmpty()
	_, ok = NumberPoints(h)
	assert.False(t, ok, "a histogram has no number points")
}
