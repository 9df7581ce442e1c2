// Copyright The otelcol-rum Authors
// SPDX-License-Identifier: Apache-2.0

package jserrorsprocessor // import "github.com/otelcol-rum/otelcol-rum/processor/jserrorsprocessor"

import (
	"context"

	"go.opentelemetry.io/collector/pdata/ptrace"

	"github.com/otelcol-rum/otelcol-rum/internal/errorrecord"
	"github.com/otelcol-rum/otelcol-rum/internal/pattrs"
	"github.com/otelcol-rum/otelcol-rum/internal/rumconv"
)

// processTraces makes the exception events of spans readable (span.recordException of
// the OTel web SDK) and counts them. Every span goes on.
func (p *jserrorsProcessor) processTraces(ctx context.Context, td ptrace.Traces) (ptrace.Traces, error) {
	b := p.startBatch(ctx)
	defer b.finish()
	for _, rs := range td.ResourceSpans().All() {
		o := originOf(rs.Resource().Attributes())
		for _, ss := range rs.ScopeSpans().All() {
			for _, span := range ss.Spans().All() {
				for _, ev := range span.Events().All() {
					if errorrecord.IsSpanEvent(ev) {
						b.add(spanEventRecord(span, ev), &o)
					}
				}
			}
		}
	}
	return td, nil
}

// spanEventRecord is an exception event as an error: the event's attributes, the span's
// trace, and the page and session of the event or else of its span.
func spanEventRecord(span ptrace.Span, ev ptrace.SpanEvent) *errorRecord {
	attrs := ev.Attributes()
	rec := &errorRecord{
		attrs:     attrs,
		exception: true,
		page:      pattrs.PageURL(attrs),
		sessionID: pattrs.Str(attrs, rumconv.AttrSessionID),
		traceID:   span.TraceID(),
		spanID:    span.SpanID(),
		time:      ev.Timestamp(),
	}
	if rec.page == "" {
		rec.page = pattrs.PageURL(span.Attributes())
	}
	if rec.sessionID == "" {
		rec.sessionID = pattrs.Str(span.Attributes(), rumconv.AttrSessionID)
	}
	return rec
}
