// Copyright The otelcol-rum Authors
// SPDX-License-Identifier: Apache-2.0

package rumconv // import "github.com/otelcol-rum/otelcol-rum/internal/rumconv"

// Spans of the OpenTelemetry JS user-interaction instrumentation
// (@opentelemetry/instrumentation-user-interaction): one span per handled DOM event
// (click by default), named after the event and ended when the work the handler started
// settles (with zone.js) or when the handler returns (without).
const (
	// ScopeUserInteraction is the instrumentation scope of its spans.
	ScopeUserInteraction = "@opentelemetry/instrumentation-user-interaction"
	// AttrUserInteractionEventType is the DOM event the span is for (click, submit…).
	AttrUserInteractionEventType = "event_type"
	// AttrUserInteractionTargetXPath is the XPath of the element the event targeted.
	AttrUserInteractionTargetXPath = "target_xpath"
)
