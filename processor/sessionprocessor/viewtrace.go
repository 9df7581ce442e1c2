// Copyright The otelcol-rum Authors
// SPDX-License-Identifier: Apache-2.0

package sessionprocessor // import "github.com/otelcol-rum/otelcol-rum/processor/sessionprocessor"

import (
	"go.opentelemetry.io/collector/pdata/pcommon"
	"go.opentelemetry.io/collector/pdata/plog"
	"go.opentelemetry.io/collector/pdata/ptrace"

	"github.com/otelcol-rum/otelcol-rum/internal/rumconv"
	"github.com/otelcol-rum/otelcol-rum/processor/sessionprocessor/internal/store"
)

// adoptRequestTrace gives the soft view a browser HTTP request started in its trace: the
// client span of the OTel fetch or XHR instrumentation (Faro's tracing uses them) is the
// parent of the backend's server span, through the traceparent it sent. The first such
// request of the view, as they arrive, is its trace; a request made before the view's
// navigation arrived (the OTel SDK exports spans and logs apart) is not seen in it.
func adoptRequestTrace(s store.Session, span ptrace.Span) {
	if span.Kind() != ptrace.SpanKindClient || !isHTTPRequest(span.Attributes()) {
		return
	}
	start := int64(span.StartTimestamp())
	if start == 0 || s.SoftViews() == 0 {
		return
	}
	if v := s.ViewAt(start, false); v.Valid() && v.Soft && v.Start <= start {
		v.AdoptTrace(span.TraceID(), span.SpanID())
	}
}

func isHTTPRequest(attrs pcommon.Map) bool {
	if _, ok := attrs.Get(rumconv.AttrHTTPRequestMethod); ok {
		return true
	}
	_, ok := attrs.Get(rumconv.AttrHTTPMethod)
	return ok
}

// relinkToView moves a log record that was linked to its hard navigation's trace to the
// trace of the soft view it is filed under, if that view has one.
func relinkToView(v store.View, lr plog.LogRecord) {
	if !v.Valid() || !v.Soft {
		return
	}
	if traceID, spanID, ok := v.SoftTrace(); ok {
		lr.SetTraceID(traceID)
		lr.SetSpanID(spanID)
	}
}

// traceForView is the trace a record filed under v and joined to the page view pv links
// to: the soft view's own, if it has one, else the page view's.
func traceForView(v store.View, pv store.Page) (pcommon.TraceID, pcommon.SpanID) {
	if v.Valid() {
		if traceID, spanID, ok := v.SoftTrace(); ok {
			return traceID, spanID
		}
	}
	return pv.TraceID, pv.SpanID
}
