// Copyright The otelcol-rum Authors
// SPDX-License-Identifier: Apache-2.0

package journeysprocessor // import "github.com/otelcol-rum/otelcol-rum/processor/journeysprocessor"

import (
	"context"

	"go.opentelemetry.io/collector/pdata/ptrace"

	"github.com/otelcol-rum/otelcol-rum/internal/pattrs"
	"github.com/otelcol-rum/otelcol-rum/internal/rumconv"
	"github.com/otelcol-rum/otelcol-rum/processor/journeysprocessor/internal/journeycount"
)

// processTraces counts the user-interaction spans of the OpenTelemetry web SDK as user
// actions. Every span goes on unchanged.
func (p *journeysProcessor) processTraces(ctx context.Context, td ptrace.Traces) (ptrace.Traces, error) {
	b := p.startBatch()
	defer b.finish(ctx)
	for _, rs := range td.ResourceSpans().All() {
		o := originOf(rs.Resource().Attributes())
		for _, ss := range rs.ScopeSpans().All() {
			if ss.Scope().Name() != rumconv.ScopeUserInteraction {
				continue
			}
			for _, span := range ss.Spans().All() {
				b.interaction(&o, span)
			}
		}
	}
	return td, nil
}

// interaction counts one user-interaction span: its duration is the time until the work
// the event started settled, as the instrumentation ends it. Its name is the DOM event
// (click, submit…): the instrumentation names no action, and its span name may have
// become "Navigation: <url>", which must not become a label.
func (b *batch) interaction(o *origin, span ptrace.Span) {
	start, end := span.StartTimestamp(), span.EndTimestamp()
	if end < start {
		return
	}
	attrs := span.Attributes()
	name := pattrs.Str(attrs, rumconv.AttrUserInteractionEventType)
	if name == "" {
		return
	}
	ms := float64(end-start) / 1e6
	b.add(o, journeycount.ActionDuration, name, b.route(o, pattrs.PageURL(attrs)), ms)
}
