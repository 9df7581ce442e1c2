// Copyright The otelcol-rum Authors
// SPDX-License-Identifier: Apache-2.0

package journeysprocessor

import (
	"strconv"
	"time"

	"go.opentelemetry.io/collector/pdata/pcommon"
	"go.opentelemetry.io/collector/pdata/plog"
	"go.opentelemetry.io/collector/pdata/pmetric"
	"go.opentelemetry.io/collector/pdata/ptrace"
)

// testNow is the collector's clock in the tests.
const testNow = int64(1_800_000_000_000_000_000)

// The records below are built as the contract of issue 13's plan says the session
// processor emits them (rum.view, rum.frustration, session.end), and as the SDKs send
// user actions (Faro's faro.user.action event, the OTel user-interaction span).

// view describes one rum.view event.
type view struct {
	index          int64
	navigation     string
	url, previous  string
	exit           bool
	durationMillis float64
}

// sessionLogs is one resource of the shop's session with its records.
func sessionLogs(records ...func(plog.LogRecordSlice)) plog.Logs {
	ld := plog.NewLogs()
	rl := ld.ResourceLogs().AppendEmpty()
	res := rl.Resource().Attributes()
	res.PutStr("service.name", "shop-web")
	res.PutStr("deployment.environment.name", "production")
	res.PutStr("user_agent.name", "Chrome")
	res.PutStr("rum.device.type", "desktop")
	sl := rl.ScopeLogs().AppendEmpty()
	sl.Scope().SetName("github.com/otelcol-rum/otelcol-rum/processor/sessionprocessor")
	for _, r := range records {
		r(sl.LogRecords())
	}
	return ld
}

func event(records plog.LogRecordSlice, name string, at time.Duration) pcommon.Map {
	lr := records.AppendEmpty()
	lr.SetEventName(name)
	lr.SetTimestamp(pcommon.Timestamp(testNow - int64(time.Hour) + int64(at)))
	lr.SetSeverityNumber(plog.SeverityNumberInfo)
	attrs := lr.Attributes()
	attrs.PutStr("session.id", "s1")
	return attrs
}

func viewEvent(v view, at time.Duration) func(plog.LogRecordSlice) {
	return func(records plog.LogRecordSlice) {
		attrs := event(records, "rum.view", at)
		attrs.PutInt("rum.view.index", v.index)
		attrs.PutStr("rum.view.navigation", v.navigation)
		if v.navigation == "soft" {
			attrs.PutStr("rum.view.navigation_type", "push")
		}
		attrs.PutStr("url.full", v.url)
		if v.previous != "" {
			attrs.PutStr("rum.view.previous_url", v.previous)
		}
		attrs.PutDouble("rum.view.duration", v.durationMillis)
		attrs.PutInt("rum.view.errors", 0)
		attrs.PutInt("rum.view.actions", 1)
		attrs.PutBool("rum.view.exit", v.exit)
	}
}

func frustrationEvent(kind, url string, at time.Duration) func(plog.LogRecordSlice) {
	return func(records plog.LogRecordSlice) {
		attrs := event(records, "rum.frustration", at)
		attrs.PutStr("rum.frustration.type", kind)
		attrs.PutStr("url.full", url)
		attrs.PutStr("rum.action.target", "button#buy")
		if kind == "rage" {
			attrs.PutInt("rum.frustration.clicks", 5)
		}
	}
}

// sessionEnd is a summary; views < 0 leaves session.views out, as today's summaries do.
func sessionEnd(views, pageViews int64, seconds float64) func(plog.LogRecordSlice) {
	return func(records plog.LogRecordSlice) {
		attrs := event(records, "session.end", 50*time.Minute)
		attrs.PutStr("session.end_reason", "inactivity")
		attrs.PutDouble("session.duration", seconds)
		if views >= 0 {
			attrs.PutInt("session.views", views)
			attrs.PutInt("session.soft_views", views-pageViews)
		}
		attrs.PutInt("session.page_views", pageViews)
		attrs.PutBool("session.bounce", views <= 1)
	}
}

// faroAction is a faro.user.action event as the rum receiver writes it.
func faroAction(name, url string, millis float64, at time.Duration) func(plog.LogRecordSlice) {
	return func(records plog.LogRecordSlice) {
		attrs := event(records, "faro.user.action", at)
		attrs.PutStr("url.full", url)
		attrs.PutStr("faro.event.domain", "browser")
		attrs.PutStr("userActionName", name)
		attrs.PutStr("userActionDuration", strconv.FormatFloat(millis, 'f', -1, 64))
		attrs.PutStr("userActionTrigger", "pointerdown")
		attrs.PutStr("faro.action.name", name)
	}
}

// interactionSpans are user-interaction spans of the OTel web SDK, each a click of the
// given duration on url.
func interactionSpans(url string, durations ...time.Duration) ptrace.Traces {
	td := ptrace.NewTraces()
	rs := td.ResourceSpans().AppendEmpty()
	rs.Resource().Attributes().PutStr("service.name", "shop-web")
	rs.Resource().Attributes().PutStr("telemetry.sdk.language", "webjs")
	ss := rs.ScopeSpans().AppendEmpty()
	ss.Scope().SetName("@opentelemetry/instrumentation-user-interaction")
	for i, d := range durations {
		span := ss.Spans().AppendEmpty()
		span.SetName("click")
		span.SetTraceID(pcommon.TraceID{1, byte(i)})
		span.SetSpanID(pcommon.SpanID{2, byte(i)})
		start := testNow - int64(time.Minute)
		span.SetStartTimestamp(pcommon.Timestamp(start))
		span.SetEndTimestamp(pcommon.Timestamp(start + int64(d)))
		span.Attributes().PutStr("event_type", "click")
		span.Attributes().PutStr("target_element", "BUTTON")
		span.Attributes().PutStr("target_xpath", `//*[@id="buy"]`)
		span.Attributes().PutStr("url.full", url)
	}
	return td
}

// points lists every data point of the named metric in md as "labels → value" with its
// value (a sum's value, a histogram's count).
func points(all []pmetric.Metrics, name string) map[string]float64 {
	out := map[string]float64{}
	if len(all) == 0 {
		return out
	}
	md := all[len(all)-1]
	for _, rm := range md.ResourceMetrics().All() {
		for _, sm := range rm.ScopeMetrics().All() {
			for _, m := range sm.Metrics().All() {
				if m.Name() != name {
					continue
				}
				switch m.Type() {
				case pmetric.MetricTypeSum:
					for _, dp := range m.Sum().DataPoints().All() {
						out[labels(dp.Attributes())] = float64(dp.IntValue())
					}
				case pmetric.MetricTypeHistogram:
					for _, dp := range m.Histogram().DataPoints().All() {
						out[labels(dp.Attributes())] = float64(dp.Count())
					}
				}
			}
		}
	}
	return out
}

// labels are a point's attributes other than the dimensions, in a stable form.
func labels(attrs pcommon.Map) string {
	var s string
	for _, k := range []string{"rum.view.from", "url.template", "rum.view.navigation", "rum.action.name", "rum.frustration.type", "otel.metric.overflow"} {
		if v, ok := attrs.Get(k); ok {
			if s != "" {
				s += " "
			}
			s += k + "=" + v.AsString()
		}
	}
	return s
}
