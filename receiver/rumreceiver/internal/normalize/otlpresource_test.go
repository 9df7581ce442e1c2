// Copyright The otelcol-rum Authors
// SPDX-License-Identifier: Apache-2.0

package normalize

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"go.opentelemetry.io/collector/pdata/pcommon"
	"go.opentelemetry.io/collector/pdata/plog"
	"go.opentelemetry.io/collector/pdata/pmetric"
	"go.opentelemetry.io/collector/pdata/ptrace"
)

// Each OTLP resource without user_agent.original gets the request's header; one with
// it keeps the SDK's.
func TestOTLPResourcesGetTheRequestUserAgent(t *testing.T) {
	src := testSource()
	src.UserAgent = "Mozilla/5.0 (Linux; Android 14; Pixel 8) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/156.0.0.0 Mobile Safari/537.36"
	const sdks = "Mozilla/5.0 (X11; Linux x86_64) sent by the SDK"
	fill := func(without, with pcommon.Map) {
		without.PutStr("service.name", "shop")
		with.PutStr("user_agent.original", sdks)
	}
	check := func(t *testing.T, without, with pcommon.Map) {
		assert.Equal(t, map[string]any{"service.name": "shop", "user_agent.original": src.UserAgent}, without.AsRaw())
		assert.Equal(t, map[string]any{"user_agent.original": sdks}, with.AsRaw())
	}
	t.Run("traces", func(t *testing.T) {
		td := ptrace.NewTraces()
		a, b := td.ResourceSpans().AppendEmpty().Resource().Attributes(), td.ResourceSpans().AppendEmpty().Resource().Attributes()
		fill(a, b)
		OTLPTraces(td, src)
		check(t, a, b)
	})
	t.Run("logs", func(t *testing.T) {
		ld := plog.NewLogs()
		a, b := ld.ResourceLogs().AppendEmpty().Resource().Attributes(), ld.ResourceLogs().AppendEmpty().Resource().Attributes()
		fill(a, b)
		OTLPLogs(ld, src)
		check(t, a, b)
	})
	t.Run("metrics", func(t *testing.T) {
		md := pmetric.NewMetrics()
		a, b := md.ResourceMetrics().AppendEmpty().Resource().Attributes(), md.ResourceMetrics().AppendEmpty().Resource().Attributes()
		fill(a, b)
		OTLPMetrics(md, src)
		check(t, a, b)
	})
}
