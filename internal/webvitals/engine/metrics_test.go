// Copyright The otelcol-rum Authors
// SPDX-License-Identifier: Apache-2.0

package engine

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"go.opentelemetry.io/collector/pdata/pmetric"
)

// TestMeasurementGaugesByName: only gauges named browser.web_vital.<vital>.measurement
// are taken (and removed); any other metric passes, including names that merely start
// and end like one (the prefix's last dot is the suffix's first), which once cut the name
// out of range and panicked on a client's OTLP metric.
func TestMeasurementGaugesByName(t *testing.T) {
	e, sink := newTestEngine(t, false)
	md := pmetric.NewMetrics()
	rm := md.ResourceMetrics().AppendEmpty()
	rm.Resource().Attributes().PutStr("service.name", "shop")
	metrics := rm.ScopeMetrics().AppendEmpty().Metrics()
	for _, name := range []string{
		"browser.web_vital.lcp.measurement",
		"browser.web_vital.measurement",
		"browser.web_vital.lcp",
		"http.server.request.duration",
	} {
		m := metrics.AppendEmpty()
		m.SetName(name)
		dp := m.SetEmptyGauge().DataPoints().AppendEmpty()
		dp.SetDoubleValue(1200)
		dp.Attributes().PutStr("url.full", "https://shop.example/")
	}
	require.NotPanics(t, func() { e.ConsumeMetrics(md, false) })
	var left []string
	for _, m := range metrics.All() {
		left = append(left, m.Name())
	}
	assert.Equal(t, []string{"browser.web_vital.measurement", "browser.web_vital.lcp", "http.server.request.duration"}, left)
	assert.Equal(t, map[string][2]float64{"browser.web_vital.lcp /": {1, 1200}}, histograms(t, e, sink))
}
