// Copyright The otelcol-rum Authors
// SPDX-License-Identifier: Apache-2.0

package webvitalsprocessor

import (
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"go.opentelemetry.io/collector/pdata/pcommon"
	"go.opentelemetry.io/collector/pdata/pmetric"
	"go.opentelemetry.io/collector/pdata/ptrace"

	"github.com/otelcol-rum/otelcol-rum/internal/sdkcaptures"
	"github.com/otelcol-rum/otelcol-rum/internal/webvitals/histtest"
)

// TestRealOTelSessionPageLoadFromDocumentLoad replays the OTel web SDK capture: the page
// load histograms come from the documentLoad span and its documentFetch child, linked to
// the backend span of <meta name="traceparent"> (documentLoad's parent), and the vitals
// are linked to the same trace by the session processor.
func TestRealOTelSessionPageLoadFromDocumentLoad(t *testing.T) {
	c := startChain(t, testConfig())
	sdkcaptures.Replay(t, c.url, "otel")
	c.stop(t)

	var load, fetch ptrace.Span
	for _, td := range c.traces.AllTraces() {
		for _, rs := range td.ResourceSpans().All() {
			for _, ss := range rs.ScopeSpans().All() {
				for _, span := range ss.Spans().All() {
					switch span.Name() {
					case "documentLoad":
						load = span
					case "documentFetch":
						fetch = span
					}
				}
			}
		}
	}
	require.False(t, load.TraceID().IsEmpty(), "the capture has a documentLoad span")
	route, ok := load.Attributes().Get("url.template")
	require.True(t, ok, "documentLoad annotated with its route")
	assert.Equal(t, "/otel.html", route.Str())

	// The phases by their definitions over the navigation timing milestones.
	// Milliseconds between two milestones, subtracted as integers (Unix nanoseconds do
	// not fit a float64's mantissa).
	between := func(span ptrace.Span, from, to string) float64 {
		at := map[string]int64{}
		for _, ev := range span.Events().All() {
			at[ev.Name()] = int64(ev.Timestamp())
		}
		require.Contains(t, at, from, span.Name())
		require.Contains(t, at, to, span.Name())
		return float64(at[to]-at[from]) / 1e6
	}
	want := map[string]float64{
		"duration":   between(load, "fetchStart", "loadEventEnd"),
		"processing": between(load, "domInteractive", "domComplete"),
		"dns":        between(fetch, "domainLookupStart", "domainLookupEnd"),
		"connect":    between(fetch, "connectStart", "connectEnd"),
		"ttfb":       between(fetch, "fetchStart", "responseStart"),
		"response":   between(fetch, "responseStart", "responseEnd"),
	}
	got := map[string]pmetric.HistogramDataPoint{}
	vitals := map[string]pmetric.HistogramDataPoint{}
	for _, p := range histtest.Points(c.metrics.AllMetrics()) {
		if phase, ok := strings.CutPrefix(p.Metric, "browser.page_load."); ok {
			got[phase] = p.HistogramDataPoint
		} else {
			vitals[p.Metric] = p.HistogramDataPoint
		}
	}
	// http:// has no TLS: secureConnectionStart is the time origin, so no tls phase.
	assert.NotContains(t, got, "tls")
	for phase, ms := range want {
		dp, ok := got[phase]
		require.True(t, ok, "page load phase %s", phase)
		assert.Equal(t, uint64(1), dp.Count(), phase)
		assert.InDelta(t, ms, dp.Sum(), 1e-9, phase)
		r, _ := dp.Attributes().Get("url.template")
		assert.Equal(t, "/otel.html", r.Str())
		require.Equal(t, 1, dp.Exemplars().Len(), phase)
		ex := dp.Exemplars().At(0)
		assert.Equal(t, load.TraceID(), ex.TraceID(), "%s links to the page's trace", phase)
		assert.Equal(t, load.ParentSpanID(), ex.SpanID(), "%s links to the backend span that served the page", phase)
	}
	require.Len(t, vitals, 5, "all five vitals from the OTel capture")
	for name, dp := range vitals {
		require.Positive(t, dp.Exemplars().Len(), name)
		assert.Equal(t, load.TraceID(), dp.Exemplars().At(0).TraceID(), "%s joined to the page's trace", name)
		r, _ := dp.Attributes().Get("url.template")
		assert.Equal(t, "/otel.html", r.Str(), "%s counted under its page view's route", name)
	}
	assert.NotEqual(t, pcommon.SpanID{}, load.ParentSpanID())
}
