// Copyright The otelcol-rum Authors
// SPDX-License-Identifier: Apache-2.0

// Package errorrecord is the one definition of an error in browser telemetry. The session
// processor counts errors into session.errors and the jserrors processor into the
// browser.errors counter; both ask this package, so that a session's summary and the
// counter always count the same records.
package errorrecord // import "github.com/otelcol-rum/otelcol-rum/internal/errorrecord"

import (
	"go.opentelemetry.io/collector/pdata/pcommon"
	"go.opentelemetry.io/collector/pdata/plog"
	"go.opentelemetry.io/collector/pdata/ptrace"

	"github.com/otelcol-rum/otelcol-rum/internal/pattrs"
	"github.com/otelcol-rum/otelcol-rum/internal/rumconv"
)

// IsLog reports whether a log record is an error: an exception (IsExceptionLog), or any
// other record of severity ERROR or above that is not a navigation, user-action or
// web-vital event. Those three are facts about the page that a client may log at any
// severity; counting them would make a slow page look like a broken one.
func IsLog(lr plog.LogRecord) bool {
	if IsExceptionLog(lr) {
		return true
	}
	if lr.SeverityNumber() < plog.SeverityNumberError {
		return false
	}
	switch eventName(lr) {
	case rumconv.EventFaroNavigation, rumconv.EventFaroUserAction, rumconv.EventWebVital:
		return false
	}
	return true
}

// IsExceptionLog reports whether a log record is an exception, whatever its severity: the
// exception event (what the rum receiver makes of a Faro exception), or a record with one
// of the exception attributes (the conventions require exception.type or
// exception.message), which the OTel web SDK's users write without always naming the
// event.
func IsExceptionLog(lr plog.LogRecord) bool {
	return eventName(lr) == rumconv.EventException || hasExceptionAttributes(lr.Attributes())
}

// IsSpanEvent reports whether a span event is an error: the exception event that
// span.recordException writes.
func IsSpanEvent(ev ptrace.SpanEvent) bool {
	return ev.Name() == rumconv.EventException
}

// eventName is the record's event: the EventName field, or the event.name attribute of
// SDKs that predate the field.
func eventName(lr plog.LogRecord) string {
	if name := lr.EventName(); name != "" {
		return name
	}
	return pattrs.Str(lr.Attributes(), rumconv.AttrEventName)
}

func hasExceptionAttributes(attrs pcommon.Map) bool {
	for _, key := range [...]string{rumconv.AttrExceptionType, rumconv.AttrExceptionMessage, rumconv.AttrExceptionStacktrace} {
		if _, ok := attrs.Get(key); ok {
			return true
		}
	}
	return false
}
