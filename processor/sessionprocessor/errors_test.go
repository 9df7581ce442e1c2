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
)

// TestSessionErrorsCountEveryErrorRecord: session.errors counts what the jserrors
// processor's browser.errors counts (internal/errorrecord): exception events, exceptions
// written as attributes without an event name, other records of severity ERROR or above,
// and the exception events the OTel web SDK records on spans; not navigation, user-action
// or vital events, whatever their severity, nor other span events.
func TestSessionErrorsCountEveryErrorRecord(t *testing.T) {
	p := startPipeline(t, testConfig(), newFakeClock(), nil)
	ld := sessionLogs("s1",
		logRecordSpec{event: "exception", severity: plog.SeverityNumberError},       // 1
		logRecordSpec{severity: plog.SeverityNumberError},                           // 2: console.error
		logRecordSpec{event: "checkout.failed", severity: plog.SeverityNumberFatal}, // 3
		logRecordSpec{severity: plog.SeverityNumberUnspecified},                     // the OTel SDK's exception log: 4, below
		logRecordSpec{event: "faro.user.action", severity: plog.SeverityNumberError},
		logRecordSpec{event: "browser.web_vital", vitalName: "lcp", severity: plog.SeverityNumberError},
		logRecordSpec{event: "add_to_cart", severity: plog.SeverityNumberWarn},
	)
	ld.ResourceLogs().At(0).ScopeLogs().At(0).LogRecords().At(3).Attributes().PutStr("exception.type", "TypeError")
	p.sendLogs(ld)

	td := spanFor("s1")
	span := td.ResourceSpans().At(0).ScopeSpans().At(0).Spans().At(0)
	for _, name := range []string{"exception", "fetchStart", "exception"} { // 5, 6
		span.Events().AppendEmpty().SetName(name)
	}
	require.NoError(t, p.tp.ConsumeTraces(context.Background(), td))

	p.expireAfter(time.Hour)
	ends := p.events("session.end")
	require.Len(t, ends, 1)
	assert.Equal(t, int64(6), attr(t, ends[0].Attributes(), "session.errors").Int())
	assert.Equal(t, int64(1), attr(t, ends[0].Attributes(), "session.spans").Int())
	assert.Equal(t, int64(1), attr(t, ends[0].Attributes(), "session.user_actions").Int())
}

// TestErrorsWithoutTraceGetTheirPageViewsTrace: an error record without trace context
// (Faro's uncaught errors) gets the trace of the page view of its url.full, which the
// jserrors processor carries into its exemplar; an error with its own trace keeps it, and
// an error of a page whose navigation has not arrived gets none, not the previous page's.
func TestErrorsWithoutTraceGetTheirPageViewsTrace(t *testing.T) {
	p := startPipeline(t, testConfig(), newFakeClock(), nil)
	home, product := pcommon.TraceID{1}, pcommon.TraceID{2}
	own := pcommon.TraceID{9}
	p.sendLogs(sessionLogs("s1",
		logRecordSpec{event: "faro.performance.navigation", navID: "n1", traceID: home, url: "https://shop.example/"},
		logRecordSpec{event: "faro.performance.navigation", navID: "n2", traceID: product, url: "https://shop.example/product/7"},
	))
	p.sendLogs(sessionLogs("s1",
		logRecordSpec{event: "exception", severity: plog.SeverityNumberError, url: "https://shop.example/"},
		logRecordSpec{severity: plog.SeverityNumberError, url: "https://shop.example/product/7"}, // console.error
		logRecordSpec{event: "exception", severity: plog.SeverityNumberError, url: "https://shop.example/product/7", traceID: own},
		logRecordSpec{event: "exception", severity: plog.SeverityNumberError, url: "https://shop.example/cart"},
		logRecordSpec{event: "exception", severity: plog.SeverityNumberError},
		logRecordSpec{event: "add_to_cart", severity: plog.SeverityNumberInfo, url: "https://shop.example/product/7"},
	))

	var got []pcommon.TraceID
	for _, lr := range p.dataRecords() {
		if lr.EventName() != "faro.performance.navigation" {
			got = append(got, lr.TraceID())
		}
	}
	assert.Equal(t, []pcommon.TraceID{
		home,    // the exception on the home page
		product, // the error log on the product page
		own,     // its own trace
		{},      // a page whose navigation was not seen: not the latest page's trace
		{},      // no page at all
		{},      // not an error
	}, got)
}

// TestErrorOfAReloadGetsItsOwnPageView: Faro sends a payload's exceptions before its
// events, so an error thrown while a page loads comes ahead of that load's navigation
// event. When the session saw the same URL before (a reload, a page visited again), the
// error belongs to the navigation of its own payload, not to the earlier visit.
func TestErrorOfAReloadGetsItsOwnPageView(t *testing.T) {
	p := startPipeline(t, testConfig(), newFakeClock(), nil)
	first, reload := pcommon.TraceID{1}, pcommon.TraceID{2}
	const page = "https://shop.example/product/7"
	p.sendLogs(sessionLogs("s1",
		logRecordSpec{event: "faro.performance.navigation", navID: "n1", traceID: first, url: page},
	))
	p.sendLogs(sessionLogs("s1",
		logRecordSpec{event: "exception", severity: plog.SeverityNumberError, url: page},
		logRecordSpec{event: "exception", severity: plog.SeverityNumberError, url: "https://shop.example/cart"},
		logRecordSpec{event: "faro.performance.navigation", navID: "n2", traceID: reload, url: page},
	))
	// A later payload of the reloaded page: its navigation is known by now.
	p.sendLogs(sessionLogs("s1",
		logRecordSpec{severity: plog.SeverityNumberError, url: page},
	))

	var got []pcommon.TraceID
	for _, lr := range p.dataRecords() {
		if lr.EventName() != "faro.performance.navigation" {
			got = append(got, lr.TraceID())
		}
	}
	assert.Equal(t, []pcommon.TraceID{
		reload, // the error of the reload, sent with the reload's navigation
		{},     // another page of the same payload: none
		reload, // the latest page view of the URL
	}, got)
}
