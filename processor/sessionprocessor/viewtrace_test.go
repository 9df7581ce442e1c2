// Copyright The otelcol-rum Authors
// SPDX-License-Identifier: Apache-2.0

package sessionprocessor

import (
	"context"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"go.opentelemetry.io/collector/pdata/pcommon"
	"go.opentelemetry.io/collector/pdata/plog"
	"go.opentelemetry.io/collector/pdata/pmetric"
	"go.opentelemetry.io/collector/pdata/ptrace"
)

// browserSpan is a span of session s1 starting at a time after the clock's start.
type browserSpan struct {
	after  time.Duration
	kind   ptrace.SpanKind
	method string
	trace  pcommon.TraceID
	span   pcommon.SpanID
}

func browserSpans(start time.Time, spans ...browserSpan) ptrace.Traces {
	td := spanFor("s1")
	ss := td.ResourceSpans().At(0).ScopeSpans().At(0).Spans()
	ss.RemoveIf(func(ptrace.Span) bool { return true })
	for _, b := range spans {
		span := ss.AppendEmpty()
		span.SetName("HTTP " + b.method)
		span.SetKind(b.kind)
		span.SetTraceID(b.trace)
		span.SetSpanID(b.span)
		span.SetStartTimestamp(pcommon.NewTimestampFromTime(start.Add(b.after)))
		span.SetEndTimestamp(pcommon.NewTimestampFromTime(start.Add(b.after + 50*time.Millisecond)))
		if b.method != "" {
			span.Attributes().PutStr("http.request.method", b.method)
		}
	}
	return td
}

// inpPoint is an INP measurement point of session s1, without an exemplar.
func inpPoint(at time.Time) pmetric.Metrics {
	md := pointFor("s1")
	m := md.ResourceMetrics().At(0).ScopeMetrics().At(0).Metrics().At(0)
	m.SetName("browser.web_vital.inp.measurement")
	dp := m.Gauge().DataPoints().At(0)
	dp.SetTimestamp(pcommon.NewTimestampFromTime(at))
	dp.Attributes().PutStr("browser.web_vital.name", "inp")
	return md
}

// TestSoftViewTakesItsFirstRequestsTrace: the soft view /cart gets the trace of the
// first HTTP client span that started in it (not of an internal span before it, nor of a
// later request), and the vitals and errors filed under it that would have been linked to
// the load's trace link to that one instead; /product/42, without a request, keeps the
// load's trace, and a record with its own trace context keeps it.
func TestSoftViewTakesItsFirstRequestsTrace(t *testing.T) {
	clock := newFakeClock()
	p := startPipeline(t, testConfig(), clock, nil)
	t0 := clock.Now()
	load, first, later, click := pcommon.TraceID{1}, pcommon.TraceID{0xa}, pcommon.TraceID{0xb}, pcommon.TraceID{0xc}
	own := pcommon.TraceID{0xd}
	p.sendLogs(spaLogs(t0,
		spaRecord{event: "faro.performance.navigation", url: shop + "/", trace: load, attrs: map[string]any{"rum.navigation.id": "n1"}},
		spaRecord{after: 2 * time.Second, event: "route_change", url: shop + "/", attrs: map[string]any{"toUrl": shop + "/product/42"}},
		spaRecord{after: 5 * time.Second, event: "route_change", url: shop + "/product/42", attrs: map[string]any{"toUrl": shop + "/cart"}},
	))
	require.NoError(t, p.tp.ConsumeTraces(context.Background(), browserSpans(t0,
		// A request of the load, before any soft view: the load has its own trace.
		browserSpan{after: time.Second, kind: ptrace.SpanKindClient, method: "GET", trace: pcommon.TraceID{0xe}, span: pcommon.SpanID{0xe}},
		browserSpan{after: 5500 * time.Millisecond, kind: ptrace.SpanKindInternal, trace: click, span: pcommon.SpanID{0xc}},
		browserSpan{after: 5600 * time.Millisecond, kind: ptrace.SpanKindClient, trace: click, span: pcommon.SpanID{0xc, 1}},
		browserSpan{after: 6 * time.Second, kind: ptrace.SpanKindClient, method: "POST", trace: first, span: pcommon.SpanID{0xa}},
		browserSpan{after: 6500 * time.Millisecond, kind: ptrace.SpanKindClient, method: "GET", trace: later, span: pcommon.SpanID{0xb}},
	)))
	p.sendLogs(spaLogs(t0,
		spaRecord{after: 3 * time.Second, event: "browser.web_vital", url: shop + "/", attrs: map[string]any{"browser.web_vital.name": "cls"}},
		spaRecord{after: 7 * time.Second, event: "browser.web_vital", url: shop + "/", attrs: map[string]any{"browser.web_vital.name": "inp"}},
		spaRecord{after: 7 * time.Second, event: "browser.web_vital", url: shop + "/", attrs: map[string]any{"browser.web_vital.name": "ttfb"}},
		spaRecord{after: 7 * time.Second, event: "browser.web_vital", url: shop + "/", trace: own, attrs: map[string]any{"browser.web_vital.name": "fid"}},
		spaRecord{after: 8 * time.Second, event: "exception", url: shop + "/", sev: plog.SeverityNumberError},
		spaRecord{after: 8 * time.Second, event: "exception", url: shop + "/cart", sev: plog.SeverityNumberError},
	))
	p.metrics.Reset()
	require.NoError(t, p.mp.ConsumeMetrics(context.Background(), inpPoint(t0.Add(7*time.Second))))

	traces := map[string]pcommon.TraceID{}
	spans := map[string]pcommon.SpanID{}
	for _, lr := range p.dataRecords() {
		var name string
		switch a := lr.Attributes(); lr.EventName() {
		case "browser.web_vital":
			name = attr(t, a, "browser.web_vital.name").Str()
		case "exception":
			// by the page the error came with
			page := pathOf(t, a, "rum.page.url.original")
			if page == "" {
				page = pathOf(t, a, "url.full")
			}
			name = "exception on " + page
		default:
			continue
		}
		traces[name], spans[name] = lr.TraceID(), lr.SpanID()
	}
	assert.Equal(t, map[string]pcommon.TraceID{
		"cls":            load,  // /product/42 made no request
		"inp":            first, // /cart's first request
		"ttfb":           load,  // a page-load vital belongs to the load
		"fid":            own,
		"exception on /": first, // linked to the load's page by its url.full, filed under /cart
		// an error whose page is no page view's is not linked, in a soft view or not
		"exception on /cart": {},
	}, traces)
	assert.Equal(t, pcommon.SpanID{0xa}, spans["inp"])

	md := p.metrics.AllMetrics()
	require.Len(t, md, 1)
	dp := md[0].ResourceMetrics().At(0).ScopeMetrics().At(0).Metrics().At(0).Gauge().DataPoints().At(0)
	require.Equal(t, 1, dp.Exemplars().Len())
	assert.Equal(t, first, dp.Exemplars().At(0).TraceID())
	assert.Equal(t, pcommon.SpanID{0xa}, dp.Exemplars().At(0).SpanID())

	// The rum.view of /cart carries its trace too; /product/42's has none.
	p.expireAfter(time.Hour)
	viewTraces := map[string]pcommon.TraceID{}
	for _, v := range p.events("rum.view") {
		viewTraces[pathOf(t, v.Attributes(), "url.full")] = v.TraceID()
	}
	assert.Equal(t, map[string]pcommon.TraceID{"/": load, "/product/42": {}, "/cart": first}, viewTraces)
}
