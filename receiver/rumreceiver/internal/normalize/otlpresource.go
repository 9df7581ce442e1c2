// Copyright The otelcol-rum Authors
// SPDX-License-Identifier: Apache-2.0

package normalize // import "github.com/otelcol-rum/otelcol-rum/receiver/rumreceiver/internal/normalize"

import (
	"go.opentelemetry.io/collector/pdata/pcommon"
	"go.opentelemetry.io/collector/pdata/plog"
	"go.opentelemetry.io/collector/pdata/pmetric"
	"go.opentelemetry.io/collector/pdata/ptrace"

	"github.com/otelcol-rum/otelcol-rum/internal/pattrs"
	"github.com/otelcol-rum/otelcol-rum/internal/rumconv"
)

// The OTel web SDK's resource says nothing of the browser it runs in: the request's
// User-Agent header is the browser's, so each resource without user_agent.original gets
// it, for the clientinfo processor to read. What the SDK sent is kept, except a
// rum.network.effective_type the Network Information API does not define: the app sets
// that one itself, and it becomes a metric dimension, so its values stay bounded.

// OTLPTraces completes the resources of OTLP spans.
func OTLPTraces(td ptrace.Traces, src *Source) {
	for i := range td.ResourceSpans().Len() {
		completeResource(td.ResourceSpans().At(i).Resource().Attributes(), src)
	}
}

// OTLPLogs completes the resources of OTLP log records.
func OTLPLogs(ld plog.Logs, src *Source) {
	for i := range ld.ResourceLogs().Len() {
		completeResource(ld.ResourceLogs().At(i).Resource().Attributes(), src)
	}
}

// OTLPMetrics completes the resources of OTLP metrics.
func OTLPMetrics(md pmetric.Metrics, src *Source) {
	for i := range md.ResourceMetrics().Len() {
		completeResource(md.ResourceMetrics().At(i).Resource().Attributes(), src)
	}
}

func completeResource(attrs pcommon.Map, src *Source) {
	pattrs.PutIfAbsent(attrs, rumconv.AttrUserAgentOriginal, func() string { return src.UserAgent })
	if v, ok := attrs.Get(rumconv.AttrRUMNetworkEffectiveType); ok {
		if known := effectiveType(v.AsString()); known != "" {
			v.SetStr(known)
		} else {
			attrs.Remove(rumconv.AttrRUMNetworkEffectiveType)
		}
	}
}
