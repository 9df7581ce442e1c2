// Copyright The otelcol-rum Authors
// SPDX-License-Identifier: Apache-2.0

package sessionprocessor

import (
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"go.opentelemetry.io/collector/pdata/pcommon"
	"go.opentelemetry.io/collector/pdata/plog"
	"go.opentelemetry.io/collector/pdata/pmetric"

	"github.com/otelcol-rum/otelcol-rum/internal/rumtest"
	"github.com/otelcol-rum/otelcol-rum/internal/sdkcaptures"
)

// startReceiver runs the real rum receiver in front of the pipeline's processors.
func startReceiver(t *testing.T, p *pipeline) string {
	r := rumtest.Start(t, p.tp, p.lp, p.mp)
	t.Cleanup(func() { r.Shutdown(t) })
	return r.URL
}

// TestJoinOnRealFaroPayloadsAcrossPipelines replays a real Faro session: the vitals that
// arrive after their page's navigation event (LCP, INP, CLS come when the page is hidden,
// in later payloads) get the navigation's trace, as log trace context in the logs pipeline
// and as exemplars in the metrics pipeline.
func TestJoinOnRealFaroPayloadsAcrossPipelines(t *testing.T) {
	p := startPipeline(t, testConfig(), newFakeClock(), nil)
	url := startReceiver(t, p)
	for _, c := range sdkcaptures.Load(t).Of(t, "faro") {
		require.Less(t, sdkcaptures.Post(t, url, c).StatusCode, 300, c.File)
		p.clock.Advance(time.Second)
	}

	navTraces := map[string]pcommon.TraceID{}
	for _, lr := range p.events("faro.performance.navigation") {
		id := attr(t, lr.Attributes(), "rum.navigation.id").Str()
		require.False(t, lr.TraceID().IsEmpty())
		navTraces[id] = lr.TraceID()
	}
	require.Len(t, navTraces, 2, "two page views")

	vitals := p.events("browser.web_vital")
	require.NotEmpty(t, vitals)
	joinedLate := map[string]bool{}
	for _, lr := range vitals {
		name := attr(t, lr.Attributes(), "browser.web_vital.name").Str()
		require.False(t, lr.TraceID().IsEmpty(), "%s vital has a trace", name)
		if nav, ok := lr.Attributes().Get("rum.navigation.id"); ok {
			assert.Equal(t, navTraces[nav.Str()], lr.TraceID(), "%s links to its own page's navigation", name)
			joinedLate[name] = true
		}
	}
	for _, name := range []string{"lcp", "inp", "cls"} {
		assert.True(t, joinedLate[name], "%s joined to its navigation", name)
	}

	points := 0
	for _, md := range p.metrics.AllMetrics() {
		for _, rm := range md.ResourceMetrics().All() {
			for _, sm := range rm.ScopeMetrics().All() {
				for _, m := range sm.Metrics().All() {
					if m.Type() != pmetric.MetricTypeGauge {
						continue
					}
					for _, dp := range m.Gauge().DataPoints().All() {
						points++
						require.Equal(t, 1, dp.Exemplars().Len(), m.Name())
						if nav, ok := dp.Attributes().Get("rum.navigation.id"); ok {
							assert.Equal(t, navTraces[nav.Str()], dp.Exemplars().At(0).TraceID(), m.Name())
						}
					}
				}
			}
		}
	}
	assert.Equal(t, len(vitals), points)

	p.expireAfter(16 * time.Minute)
	ends := p.events("session.end")
	require.Len(t, ends, 1, "one Faro session")
	a := ends[0].Attributes()
	assert.Equal(t, int64(2), attr(t, a, "session.page_views").Int())
	errors := 0
	for _, lr := range p.dataRecords() {
		if lr.EventName() == "exception" || lr.SeverityNumber() >= plog.SeverityNumberError {
			errors++
		}
	}
	require.Positive(t, errors)
	assert.Equal(t, int64(errors), attr(t, a, "session.errors").Int())
	assert.Positive(t, attr(t, a, "session.spans").Int())
	assert.False(t, attr(t, a, "session.bounce").Bool())
}

// TestJoinOnRealOTelWebPayloads: with the OTel web SDK the page view is the documentLoad
// span, a child of the backend span the page names in <meta name="traceparent">; the
// vitals (OTLP logs, no trace context) link to that backend span.
func TestJoinOnRealOTelWebPayloads(t *testing.T) {
	m := sdkcaptures.Load(t)
	meta := strings.Split(m.Scenarios["otel"].Documents[0].Traceparent, "-")
	require.Len(t, meta, 4)

	p := startPipeline(t, testConfig(), newFakeClock(), nil)
	url := startReceiver(t, p)
	sdkcaptures.Replay(t, url, "otel")
	var page string
	for _, td := range p.traces.AllTraces() {
		for _, rs := range td.ResourceSpans().All() {
			for _, ss := range rs.ScopeSpans().All() {
				for _, span := range ss.Spans().All() {
					if span.Name() == "documentLoad" {
						page = attr(t, span.Attributes(), "url.full").Str()
					}
				}
			}
		}
	}
	require.NotEmpty(t, page)
	vitals := p.events("browser.web_vital")
	require.Len(t, vitals, 5)
	for _, lr := range vitals {
		assert.Equal(t, meta[1], lr.TraceID().String())
		assert.Equal(t, meta[2], lr.SpanID().String())
		assert.Equal(t, page, attr(t, lr.Attributes(), "url.full").Str(), "the vital is on its page view's page")
	}
	p.expireAfter(16 * time.Minute)
	ends := p.events("session.end")
	require.Len(t, ends, 1)
	assert.Equal(t, int64(1), attr(t, ends[0].Attributes(), "session.page_views").Int())
}
