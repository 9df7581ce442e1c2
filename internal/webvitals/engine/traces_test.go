// Copyright The otelcol-rum Authors
// SPDX-License-Identifier: Apache-2.0

package engine

import (
	"context"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"go.opentelemetry.io/collector/consumer/consumertest"
	"go.opentelemetry.io/collector/pdata/pcommon"
	"go.opentelemetry.io/collector/pdata/ptrace"
	"go.uber.org/zap"

	"github.com/otelcol-rum/otelcol-rum/internal/webvitals/histtest"
)

type nopTelemetry struct{}

func (nopTelemetry) Measurements(context.Context, string, int64) {}
func (nopTelemetry) SeriesExpired(context.Context, int64)        {}
func (nopTelemetry) ObserveSeries(func() int64) error            { return nil }
func (nopTelemetry) Shutdown()                                   {}

func newTestEngine(t *testing.T, readOnly bool) (*Engine, *consumertest.MetricsSink) {
	e, err := New(Settings{Aggregation: NewDefaultAggregationConfig(), Logger: zap.NewNop(), Telemetry: nopTelemetry{}, Source: SourceLogRecords, ReadOnly: readOnly, ScopeName: "test"})
	require.NoError(t, err)
	sink := new(consumertest.MetricsSink)
	e.SetMetricsConsumer(sink)
	return e, sink
}

// histograms flushes the engine and returns count and sum by metric name and route.
func histograms(t *testing.T, e *Engine, sink *consumertest.MetricsSink) map[string][2]float64 {
	t.Helper()
	e.Flush(context.Background())
	out := map[string][2]float64{}
	for _, p := range histtest.Points(sink.AllMetrics()) {
		out[p.Metric+" "+p.Route] = [2]float64{float64(p.Count()), p.Sum()}
	}
	return out
}

func ms(n float64) pcommon.Timestamp {
	return pcommon.NewTimestampFromTime(time.Unix(1_800_000_000, 0).Add(time.Duration(n * float64(time.Millisecond))))
}

func addEvents(span ptrace.Span, at map[string]float64) {
	for name, t := range at {
		ev := span.Events().AppendEmpty()
		ev.SetName(name)
		ev.SetTimestamp(ms(t))
	}
}

// documentLoadTraces builds an OTel document-load trace; sdkName names the resource's SDK.
func documentLoadTraces(distro string, withFetch bool) ptrace.Traces {
	td := ptrace.NewTraces()
	rs := td.ResourceSpans().AppendEmpty()
	rs.Resource().Attributes().PutStr("service.name", "shop")
	if distro != "" {
		rs.Resource().Attributes().PutStr("telemetry.distro.name", distro)
	}
	spans := rs.ScopeSpans().AppendEmpty().Spans()
	load := spans.AppendEmpty()
	load.SetName("documentLoad")
	load.SetTraceID([16]byte{1})
	load.SetSpanID([8]byte{2})
	load.SetParentSpanID([8]byte{3})
	load.Attributes().PutStr("url.full", "https://shop.example/product/42?ref=x")
	addEvents(load, map[string]float64{"fetchStart": 10, "domInteractive": 300, "domComplete": 450, "loadEventEnd": 500})
	if withFetch {
		fetch := spans.AppendEmpty()
		fetch.SetName("documentFetch")
		fetch.SetTraceID([16]byte{1})
		fetch.SetSpanID([8]byte{4})
		fetch.SetParentSpanID([8]byte{2})
		// secureConnectionStart before fetchStart: no TLS happened (it is the time origin).
		addEvents(fetch, map[string]float64{"fetchStart": 10, "domainLookupStart": 12, "domainLookupEnd": 20,
			"connectStart": 20, "secureConnectionStart": 0, "connectEnd": 35, "requestStart": 36, "responseStart": 110, "responseEnd": 130})
	}
	return td
}

func TestDocumentLoadPhases(t *testing.T) {
	e, sink := newTestEngine(t, false)
	td := documentLoadTraces("", true)
	e.ConsumeTraces(td)
	got := histograms(t, e, sink)
	route := " /product/{id}"
	want := map[string][2]float64{
		"browser.page_load.duration" + route:   {1, 490},
		"browser.page_load.processing" + route: {1, 150},
		"browser.page_load.dns" + route:        {1, 8},
		"browser.page_load.connect" + route:    {1, 15},
		"browser.page_load.ttfb" + route:       {1, 100},
		"browser.page_load.response" + route:   {1, 20},
	}
	assert.Equal(t, want, got, "no tls phase: secureConnectionStart is before fetchStart")
	r, _ := td.ResourceSpans().At(0).ScopeSpans().At(0).Spans().At(0).Attributes().Get("url.template")
	assert.Equal(t, "/product/{id}", r.Str(), "documentLoad annotated")
}

func TestDocumentLoadWithoutItsFetchSpan(t *testing.T) {
	e, sink := newTestEngine(t, false)
	e.ConsumeTraces(documentLoadTraces("", false))
	got := histograms(t, e, sink)
	assert.Equal(t, map[string][2]float64{
		"browser.page_load.duration /product/{id}":   {1, 490},
		"browser.page_load.processing /product/{id}": {1, 150},
	}, got, "only the phases documentLoad itself holds")
}

func TestDocumentLoadResentIsCountedOnce(t *testing.T) {
	e, sink := newTestEngine(t, false)
	e.ConsumeTraces(documentLoadTraces("", true))
	e.ConsumeTraces(documentLoadTraces("", true))
	assert.Equal(t, [2]float64{1, 490}, histograms(t, e, sink)["browser.page_load.duration /product/{id}"])
}

func TestFaroDocumentLoadIsLeftToItsNavigationEvent(t *testing.T) {
	e, sink := newTestEngine(t, false)
	e.ConsumeTraces(documentLoadTraces("faro-web-sdk", true))
	assert.Empty(t, histograms(t, e, sink))
}

func TestVitalSpansAndSpanEvents(t *testing.T) {
	for _, readOnly := range []bool{false, true} {
		e, sink := newTestEngine(t, readOnly)
		td := ptrace.NewTraces()
		spans := td.ResourceSpans().AppendEmpty().ScopeSpans().AppendEmpty().Spans()
		asSpan := spans.AppendEmpty()
		asSpan.SetName("web-vital")
		asSpan.Attributes().PutStr("browser.web_vital.name", "lcp")
		asSpan.Attributes().PutDouble("browser.web_vital.value", 4100)
		asSpan.Attributes().PutStr("browser.web_vital.id", "v5-1")
		asSpan.Attributes().PutStr("url.full", "https://shop.example/cart")
		withEvent := spans.AppendEmpty()
		withEvent.SetName("page")
		withEvent.Attributes().PutStr("url.full", "https://shop.example/product/7")
		ev := withEvent.Events().AppendEmpty()
		ev.SetName("browser.web_vital")
		ev.Attributes().PutStr("browser.web_vital.name", "cls")
		ev.Attributes().PutInt("browser.web_vital.value", 0)
		// Not numeric: ignored, not a crash.
		bad := withEvent.Events().AppendEmpty()
		bad.SetName("browser.web_vital")
		bad.Attributes().PutStr("browser.web_vital.name", "inp")
		bad.Attributes().PutStr("browser.web_vital.value", "fast")
		if readOnly {
			td.MarkReadOnly()
		}
		e.ConsumeTraces(td)
		got := histograms(t, e, sink)
		assert.Equal(t, map[string][2]float64{
			"browser.web_vital.lcp /cart":         {1, 4100},
			"browser.web_vital.cls /product/{id}": {1, 0},
		}, got)
		rating, annotated := asSpan.Attributes().Get("browser.web_vital.rating")
		assert.Equal(t, !readOnly, annotated, "annotated unless read-only")
		if annotated {
			assert.Equal(t, "poor", rating.Str())
			r, _ := ev.Attributes().Get("url.template")
			assert.Equal(t, "/product/{id}", r.Str(), "the span event takes its span's page")
		}
	}
}
