// Copyright The otelcol-rum Authors
// SPDX-License-Identifier: Apache-2.0

package engine

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"go.opentelemetry.io/collector/pdata/plog"
)

// TestFaroNavigationTimings: the timings Faro sends as strings are taken when they are
// durations, and anything else is ignored; a resent navigation counts once.
func TestFaroNavigationTimings(t *testing.T) {
	e, sink := newTestEngine(t, false)
	ld := plog.NewLogs()
	rl := ld.ResourceLogs().AppendEmpty()
	rl.Resource().Attributes().PutStr("service.name", "shop")
	lr := rl.ScopeLogs().AppendEmpty().LogRecords().AppendEmpty()
	lr.SetEventName("faro.performance.navigation")
	lr.SetTraceID([16]byte{9})
	attrs := lr.Attributes()
	attrs.PutStr("url.full", "https://shop.example/product/1")
	attrs.PutStr("rum.navigation.id", "nav-1")
	attrs.PutStr("duration", "734")
	attrs.PutStr("ttfb", "120.5")
	attrs.PutStr("dnsLookupTime", "NaN")
	attrs.PutStr("tcpHandshakeTime", "-3")
	attrs.PutStr("tlsNegotiationTime", "1e999")
	attrs.PutStr("responseTime", "soon")
	e.ConsumeLogs(ld)
	e.ConsumeLogs(ld) // resent by the SDK
	assert.Equal(t, map[string][2]float64{
		"browser.page_load.duration /product/{id}": {1, 734},
		"browser.page_load.ttfb /product/{id}":     {1, 120.5},
	}, histograms(t, e, sink))
}

// TestLogVitalsCountedOnlyFromLogRecordsSource: the processor's engine counts metric
// points, so a web-vital log record is only annotated there, never counted twice.
func TestLogVitalsCountedOnlyFromLogRecordsSource(t *testing.T) {
	for _, src := range []Source{SourceLogRecords, SourceMetricPoints} {
		e, sink := newTestEngine(t, false)
		e.set.Source = src
		ld := plog.NewLogs()
		lr := ld.ResourceLogs().AppendEmpty().ScopeLogs().AppendEmpty().LogRecords().AppendEmpty()
		lr.SetEventName("browser.web_vital")
		lr.Attributes().PutStr("browser.web_vital.name", "inp")
		lr.Attributes().PutInt("browser.web_vital.value", 240)
		lr.Attributes().PutStr("url.full", "https://shop.example/")
		e.ConsumeLogs(ld)
		got := histograms(t, e, sink)
		if src == SourceLogRecords {
			assert.Equal(t, map[string][2]float64{"browser.web_vital.inp /": {1, 240}}, got)
		} else {
			assert.Empty(t, got)
		}
		rating, _ := lr.Attributes().Get("browser.web_vital.rating")
		assert.Equal(t, "needs-improvement", rating.Str(), "annotated either way")
	}
}
