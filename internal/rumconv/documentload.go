// Copyright The otelcol-rum Authors
// SPDX-License-Identifier: Apache-2.0

package rumconv // import "github.com/otelcol-rum/otelcol-rum/internal/rumconv"

// Spans of the OpenTelemetry JS document-load instrumentation
// (@opentelemetry/instrumentation-document-load): documentLoad is the page load, a child
// of the backend span named by <meta name="traceparent">; documentFetch, its child, is
// the request for the document.
const (
	SpanDocumentLoad  = "documentLoad"
	SpanDocumentFetch = "documentFetch"
)

// The span events of documentLoad and documentFetch: the milestones of the browser's
// navigation timing (PerformanceNavigationTiming), by the names that API gives them.
const (
	SpanEventFetchStart            = "fetchStart"
	SpanEventDomainLookupStart     = "domainLookupStart"
	SpanEventDomainLookupEnd       = "domainLookupEnd"
	SpanEventConnectStart          = "connectStart"
	SpanEventSecureConnectionStart = "secureConnectionStart"
	SpanEventConnectEnd            = "connectEnd"
	SpanEventResponseStart         = "responseStart"
	SpanEventResponseEnd           = "responseEnd"
	SpanEventDOMInteractive        = "domInteractive"
	SpanEventDOMComplete           = "domComplete"
	SpanEventLoadEventEnd          = "loadEventEnd"
)
