// Copyright The otelcol-rum Authors
// SPDX-License-Identifier: Apache-2.0

package errorrecord

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"go.opentelemetry.io/collector/pdata/plog"
	"go.opentelemetry.io/collector/pdata/ptrace"
)

func TestIsLog(t *testing.T) {
	for _, tc := range []struct {
		name      string
		event     string
		eventAttr string
		severity  plog.SeverityNumber
		attrs     map[string]any
		error     bool
		exception bool
	}{
		{name: "faro exception", event: "exception", severity: plog.SeverityNumberError, error: true, exception: true},
		{name: "exception event at any severity", event: "exception", error: true, exception: true},
		{name: "exception in the older event.name attribute", eventAttr: "exception", error: true, exception: true},
		{name: "exception attributes without an event name", attrs: map[string]any{"exception.type": "TypeError"}, error: true, exception: true},
		{name: "only a stack trace", attrs: map[string]any{"exception.stacktrace": "at f (a.js:1:2)"}, error: true, exception: true},
		{name: "console.error log", severity: plog.SeverityNumberError, error: true},
		{name: "fatal", severity: plog.SeverityNumberFatal4, error: true},
		{name: "warning", severity: plog.SeverityNumberWarn4},
		{name: "info event", event: "add_to_cart", severity: plog.SeverityNumberInfo},
		{name: "navigation logged as an error", event: "faro.performance.navigation", severity: plog.SeverityNumberError},
		{name: "user action logged as an error", event: "faro.user.action", severity: plog.SeverityNumberError},
		{name: "vital logged as an error", event: "browser.web_vital", severity: plog.SeverityNumberError},
		{name: "vital named by attribute logged as an error", eventAttr: "browser.web_vital", severity: plog.SeverityNumberError},
		{name: "other event at error severity", event: "checkout.failed", severity: plog.SeverityNumberError, error: true},
		{name: "only a message", attrs: map[string]any{"exception.message": "x"}, error: true, exception: true},
		{name: "other attributes", severity: plog.SeverityNumberInfo, attrs: map[string]any{"exception": "x", "error.type": "timeout"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			lr := plog.NewLogRecord()
			lr.SetEventName(tc.event)
			lr.SetSeverityNumber(tc.severity)
			if tc.eventAttr != "" {
				lr.Attributes().PutStr("event.name", tc.eventAttr)
			}
			for k, v := range tc.attrs {
				lr.Attributes().PutStr(k, v.(string))
			}
			assert.Equal(t, tc.error, IsLog(lr), "IsLog")
			assert.Equal(t, tc.exception, IsExceptionLog(lr), "IsExceptionLog")
		})
	}
}

func TestIsSpanEvent(t *testing.T) {
	ev := ptrace.NewSpanEvent()
	ev.SetName("exception")
	assert.True(t, IsSpanEvent(ev))
	ev.SetName("fetchStart")
	assert.False(t, IsSpanEvent(ev))
}
