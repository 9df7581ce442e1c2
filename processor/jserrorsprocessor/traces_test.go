// Copyright The otelcol-rum Authors
// SPDX-License-Identifier: Apache-2.0

package jserrorsprocessor

import (
	"context"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"go.opentelemetry.io/collector/pdata/pcommon"
	"go.opentelemetry.io/collector/pdata/plog"
	"go.opentelemetry.io/collector/pdata/ptrace"

	"github.com/otelcol-rum/otelcol-rum/internal/jsstack"
)

// otelStack is what Chromium prints for an error thrown in a minified bundle, as the OTel
// web SDK's span.recordException records it.
const otelStack = "TypeError: Cannot read properties of undefined (reading 'grand')\n" +
	"    at t.n (https://shop.example/assets/app.3f2c1.js:1:48213)\n" +
	"    at HTMLButtonElement.<anonymous> (https://shop.example/assets/app.3f2c1.js:1:1022)"

// otelTraces is one span of the OTel web SDK with an exception event and another event.
func otelTraces() ptrace.Traces {
	td := ptrace.NewTraces()
	rs := td.ResourceSpans().AppendEmpty()
	res := rs.Resource().Attributes()
	res.PutStr("service.name", "shop-otel")
	res.PutStr("service.version", "2.0.1")
	res.PutStr("deployment.environment.name", "prod")
	res.PutStr("telemetry.sdk.language", "webjs")
	span := rs.ScopeSpans().AppendEmpty().Spans().AppendEmpty()
	span.SetName("click")
	span.SetTraceID(pcommon.TraceID{0xaa, 1})
	span.SetSpanID(pcommon.SpanID{0xbb, 2})
	span.Attributes().PutStr("url.full", "https://shop.example/product/42?ref=home")
	span.Attributes().PutStr("session.id", "otel-session-1")
	other := span.Events().AppendEmpty()
	other.SetName("click.handled")
	ev := span.Events().AppendEmpty()
	ev.SetName("exception")
	ev.SetTimestamp(1_700_000_000_000_000_000)
	ev.Attributes().PutStr("exception.type", "TypeError")
	ev.Attributes().PutStr("exception.message", "Cannot read properties of undefined (reading 'grand')")
	ev.Attributes().PutStr("exception.stacktrace", otelStack)
	return td
}

// TestSpanExceptionEventsAreReadAndCounted: span.recordException's event is symbolicated
// and grouped on its own attributes, counted under the span's page and session, and the
// counter's exemplar is the span.
func TestSpanExceptionEventsAreReadAndCounted(t *testing.T) {
	sym := &fakeSymbolicator{sources: map[string]jsstack.Frame{
		"https://shop.example/assets/app.3f2c1.js:1:48213": {Function: "grandTotal", URL: "webpack://shop/src/cart.ts", Line: 88, Column: 23},
		"https://shop.example/assets/app.3f2c1.js:1:1022":  {Function: "onCheckout", URL: "webpack://shop/src/checkout.ts", Line: 12, Column: 5},
	}}
	h := newHarness(t, testConfig(), nopSettings(), fakeParts(sym))
	require.NoError(t, h.tp.ConsumeTraces(context.Background(), otelTraces()))
	h.stop()

	require.Len(t, h.traces.AllTraces(), 1, "the span went on")
	span := h.traces.AllTraces()[0].ResourceSpans().At(0).ScopeSpans().At(0).Spans().At(0)
	require.Equal(t, 2, span.Events().Len())
	assert.Equal(t, 0, span.Events().At(0).Attributes().Len(), "other events are left alone")
	attrs := span.Events().At(1).Attributes().AsRaw()
	assert.Equal(t, "TypeError: Cannot read properties of undefined (reading 'grand')\n"+
		"    at grandTotal (webpack://shop/src/cart.ts:88:23)\n"+
		"    at onCheckout (webpack://shop/src/checkout.ts:12:5)", attrs["exception.stacktrace"])
	assert.Equal(t, otelStack, attrs["rum.exception.stacktrace.minified"])
	assert.Equal(t, "symbolicated", attrs["rum.exception.symbolication"])
	assert.Regexp(t, groupID, attrs["rum.error.group"])
	assert.Equal(t, []symbolicateCall{{app: "shop-otel", release: "2.0.1", deadline: sym.calls[0].deadline}}, sym.calls)

	points := errorPoints(t, h.metrics)
	require.Len(t, points, 1)
	p := points[0]
	assert.Equal(t, map[string]any{"service.name": "shop-otel", "deployment.environment.name": "prod"}, p.resource)
	assert.Equal(t, map[string]any{
		"service.version": "2.0.1", "url.template": "/product/{id}", "exception.type": "TypeError",
		"rum.error.group": attrs["rum.error.group"],
	}, p.Attributes().AsRaw())
	assert.Equal(t, int64(1), p.IntValue())
	require.Equal(t, 1, p.Exemplars().Len())
	ex := p.Exemplars().At(0)
	assert.Equal(t, pcommon.TraceID{0xaa, 1}, ex.TraceID())
	assert.Equal(t, pcommon.SpanID{0xbb, 2}, ex.SpanID())
	assert.Equal(t, pcommon.Timestamp(1_700_000_000_000_000_000), ex.Timestamp())
	assert.Equal(t, map[string]any{"session.id": "otel-session-1"}, ex.FilteredAttributes().AsRaw())
}

// TestLogsAndTracesFeedOneCounter: one ID in both pipelines counts into one series.
func TestLogsAndTracesFeedOneCounter(t *testing.T) {
	h := newHarness(t, testConfig(), nopSettings(), fakeParts(&fakeSymbolicator{}))
	td := otelTraces()
	require.NoError(t, h.tp.ConsumeTraces(context.Background(), td))
	ev := td.ResourceSpans().At(0).ScopeSpans().At(0).Spans().At(0).Events().At(1)
	ld := logsOf(td.ResourceSpans().At(0).Resource(), func(lr plog.LogRecord) {
		lr.SetEventName("exception")
		for _, k := range []string{"exception.type", "exception.message", "exception.stacktrace"} {
			v, _ := ev.Attributes().Get(k)
			lr.Attributes().PutStr(k, v.Str())
		}
		lr.Attributes().PutStr("url.full", "https://shop.example/product/7")
	})
	require.NoError(t, h.lp.ConsumeLogs(context.Background(), ld))
	h.stop()
	points := errorPoints(t, h.metrics)
	require.Len(t, points, 1, "the same bug on the same route, from a span and from a log")
	assert.Equal(t, int64(2), points[0].IntValue())
}
