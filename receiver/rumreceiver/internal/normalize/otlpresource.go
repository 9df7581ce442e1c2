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
// it, for the clientinfo processor to read. What the SDK sent is kept.

// OTLPTraces gives the resources of OTLP spans the request's User-Agent.
func OTLPTraces(td ptrace.Traces, src *Source) {
	for i := range td.ResourceSpans().Len() {
		putUserAgent(td.ResourceSpans().At(i).Resource().Attributes(), src)
	}
}

// OTLPLogs gives the resources of OTLP log records the request's User-Agent.
func OTLPLogs(ld plog.Logs, src *Source) {
	for i := range ld.ResourceLogs().Len() {
		putUserAgent(ld.ResourceLogs().At(i).Resource().Attributes(), src)
	}
}

// OTLPMetrics gives the resources of OTLP metrics the request's User-Agent.
func OTLPMetrics(md pmetric.Metrics, src *Source) {
	for i := range md.ResourceMetrics().Len() {
		putUserAgent(md.ResourceMetrics().At(i).Resource().Attributes(), src)
	}
}

func putUserAgent(attrs pcommon.Map, src *Source) {
	pattrs.PutIfAbsent(attrs, rumconv.AttrUserAgentOriginal, func() string { return src.UserAgent })
}
