// Copyright The otelcol-rum Authors
// SPDX-License-Identifier: Apache-2.0

package rumreceiver

import (
	"context"
	"net"
	"net/http"
	"sync/atomic"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"go.opentelemetry.io/collector/client"
	"go.opentelemetry.io/collector/consumer"
	"go.opentelemetry.io/collector/consumer/consumertest"
	"go.opentelemetry.io/collector/pdata/pcommon"
	"go.opentelemetry.io/collector/pdata/plog/plogotlp"
	"go.opentelemetry.io/collector/pdata/ptrace"
	"go.opentelemetry.io/collector/pdata/ptrace/ptraceotlp"

	"github.com/otelcol-rum/otelcol-rum/internal/sessionkey"
)

func withSessionMetadata() harnessOption {
	return withConfig(func(c *Config) { c.SessionMetadata.Enabled = true })
}

// sessionKeys is the rum.session.key of each context, in order.
func sessionKeys(ctxs []context.Context) []string {
	out := make([]string, len(ctxs))
	for i, ctx := range ctxs {
		if v := client.FromContext(ctx).Metadata.Get("rum.session.key"); len(v) == 1 {
			out[i] = v[0]
		}
	}
	return out
}

// TestSessionMetadataNamesTheSessionOfEverySignal: with session_metadata, each call of
// each format names the session of its data; what confighttp put in client.Info (the
// address, metadata kept with include_metadata) stays.
func TestSessionMetadataNamesTheSessionOfEverySignal(t *testing.T) {
	h := startHarness(t, withSessionMetadata(), withConfig(func(c *Config) { c.IncludeMetadata = true }))
	require.Equal(t, http.StatusAccepted, h.post("/collect", []byte(smallFaro), "Content-Type", "application/json", "X-Tenant", "acme").StatusCode)
	require.Equal(t, http.StatusAccepted, h.post("/vitals?session_id=beacon-1", []byte(lcpBeacon), "Content-Type", "text/plain", "X-Tenant", "acme").StatusCode)
	otlp := readBench(t, benchOTLPFile)
	require.Equal(t, http.StatusOK, h.post("/v1/traces", otlp, "Content-Type", "application/json", "X-Tenant", "acme").StatusCode)
	otlpLogs := readBench(t, benchOTLPLogsFile)
	require.Equal(t, http.StatusOK, h.post("/v1/logs", otlpLogs, "Content-Type", "application/json", "X-Tenant", "acme").StatusCode)

	otelSession := resourceSession(t, otlp)
	otelLogsSession := resourceSession(t, otlpLogs)
	assert.Equal(t, []string{"sess-1", "beacon-1", otelLogsSession}, sessionKeys(h.logs.Contexts()))
	assert.Equal(t, []string{"sess-1", "beacon-1", otelLogsSession}, sessionKeys(h.metrics.Contexts()), "the vitals' points too")
	assert.Equal(t, []string{otelSession}, sessionKeys(h.traces.Contexts()))
	for _, ctx := range append(append(h.logs.Contexts(), h.metrics.Contexts()...), h.traces.Contexts()...) {
		info := client.FromContext(ctx)
		require.NotNil(t, info.Addr)
		assert.Equal(t, "127.0.0.1", info.Addr.String())
		assert.Equal(t, []string{"acme"}, info.Metadata.Get("X-Tenant"), "confighttp's metadata is kept")
	}
}

// resourceSession is the session.id of the first resource of an OTLP/JSON trace or log
// export.
func resourceSession(t *testing.T, body []byte) string {
	t.Helper()
	var res pcommon.Resource
	if td := ptraceotlp.NewExportRequest(); td.UnmarshalJSON(body) == nil && td.Traces().ResourceSpans().Len() > 0 {
		res = td.Traces().ResourceSpans().At(0).Resource()
	} else {
		ld := plogotlp.NewExportRequest()
		require.NoError(t, ld.UnmarshalJSON(body))
		res = ld.Logs().ResourceLogs().At(0).Resource()
	}
	id, ok := res.Attributes().Get("session.id")
	require.True(t, ok)
	return id.Str()
}

// refusingTraces lets the first accept calls through, refuses the next refusals (every
// later one while refusals < 0) until stopRefusing, and keeps what it lets through.
type refusingTraces struct {
	consumertest.TracesSink
	accept, refusals int64
	calls, refused   atomic.Int64
	stopped          atomic.Bool
}

func newRefusingTraces(accept, refusals int64) *refusingTraces {
	return &refusingTraces{accept: accept, refusals: refusals}
}

func (c *refusingTraces) ConsumeTraces(ctx context.Context, td ptrace.Traces) error {
	n := c.calls.Add(1)
	if !c.stopped.Load() && n > c.accept && (c.refusals < 0 || c.refused.Load() < c.refusals) {
		c.refused.Add(1)
		return errHighMemory
	}
	return c.TracesSink.ConsumeTraces(ctx, td)
}

func (c *refusingTraces) stopRefusing() { c.stopped.Store(true) }

func withTracesConsumer(c consumer.Traces) harnessOption {
	return func(_ *Config, hc *harnessConsumers) { hc.traces = c }
}

func TestSessionMetadataOffLeavesTheContextAlone(t *testing.T) {
	h := startHarness(t)
	require.Equal(t, http.StatusAccepted, h.post("/collect", []byte(smallFaro), "Content-Type", "application/json").StatusCode)
	require.Len(t, h.logs.Contexts(), 1)
	assert.Empty(t, client.FromContext(h.logs.Contexts()[0]).Metadata.Get("rum.session.key"))
}

// twoSessionTraces is an OTLP/JSON trace export whose first resource is session a, with
// one span of its own session c, and whose second resource has no session.id.
func twoSessionTraces(t *testing.T) []byte {
	t.Helper()
	td := ptrace.NewTraces()
	a := td.ResourceSpans().AppendEmpty()
	a.Resource().Attributes().PutStr("service.name", "shop-web")
	a.Resource().Attributes().PutStr("session.id", "a")
	spans := a.ScopeSpans().AppendEmpty().Spans()
	for i, own := range []string{"", "c", ""} {
		span := spans.AppendEmpty()
		span.SetName("span-" + string(rune('0'+i)))
		span.SetTraceID(pcommon.TraceID{1, byte(i)})
		span.SetSpanID(pcommon.SpanID{1, byte(i)})
		if own != "" {
			span.Attributes().PutStr("session.id", own)
		}
	}
	none := td.ResourceSpans().AppendEmpty()
	none.Resource().Attributes().PutStr("service.name", "shop-web")
	span := none.ScopeSpans().AppendEmpty().Spans().AppendEmpty()
	span.SetName("span-3")
	span.SetTraceID(pcommon.TraceID{2})
	span.SetSpanID(pcommon.SpanID{2})
	body, err := ptraceotlp.NewExportRequestFromTraces(td).MarshalJSON()
	require.NoError(t, err)
	return body
}

// TestRequestOfSeveralSessionsIsOneCallPerSession: every span reaches the pipeline once,
// in a call of its own session only; data without a session.id goes with the key the
// session processor would assign it from the client's address, which the session tier
// does not know.
func TestRequestOfSeveralSessionsIsOneCallPerSession(t *testing.T) {
	h := startHarness(t, withSessionMetadata())
	const ua = "Mozilla/5.0 test"
	require.Equal(t, http.StatusOK, h.post("/v1/traces", twoSessionTraces(t), "Content-Type", "application/json", "User-Agent", ua).StatusCode)

	res := pcommon.NewMap()
	res.PutStr("service.name", "shop-web")
	res.PutStr("user_agent.original", ua)
	assigned := sessionkey.Assigned(client.NewContext(context.Background(), client.Info{Addr: &net.IPAddr{IP: net.IPv4(127, 0, 0, 1)}}), res, "shop-web")
	assert.Equal(t, []string{"a", "c", assigned}, sessionKeys(h.traces.Contexts()))

	var names [][]string
	for _, td := range h.traces.AllTraces() {
		var call []string
		for _, rs := range td.ResourceSpans().All() {
			for _, ss := range rs.ScopeSpans().All() {
				for _, span := range ss.Spans().All() {
					call = append(call, span.Name())
				}
			}
		}
		names = append(names, call)
	}
	assert.Equal(t, [][]string{{"span-0", "span-2"}, {"span-1"}, {"span-3"}}, names)
	assert.Equal(t, 4, h.traces.SpanCount())
}

// TestRefusedSessionCallIsOfferedAgain: the first session's call went on and the next
// one is refused for a while: it is offered again, not the whole request refused; and
// when it is still refused at retry_after, the client's retry forwards only the calls that
// had not gone on.
func TestRefusedSessionCallIsOfferedAgain(t *testing.T) {
	traces := newRefusingTraces(1, 2) // the second call is refused twice
	h := startHarness(t, withSessionMetadata(), withTracesConsumer(traces))
	body := twoSessionTraces(t)
	require.Equal(t, http.StatusOK, h.post("/v1/traces", body, "Content-Type", "application/json").StatusCode)
	assert.Equal(t, []string{"a", "c"}, sessionKeys(traces.Contexts())[:2])
	assert.Equal(t, 4, traces.SpanCount(), "every span once")
	h.assertPartial(map[string]int64{partialCompleted: 1})

	refused := newRefusingTraces(2, -1) // the third call is always refused
	h2 := startHarness(t, withSessionMetadata(), withTracesConsumer(refused), withConfig(func(c *Config) { c.RetryAfter = 200 * time.Millisecond }))
	require.Equal(t, http.StatusServiceUnavailable, h2.post("/v1/traces", body, "Content-Type", "application/json").StatusCode)
	require.Equal(t, 3, refused.SpanCount(), "sessions a and c went on")
	refused.stopRefusing()
	require.Equal(t, http.StatusOK, h2.post("/v1/traces", body, "Content-Type", "application/json").StatusCode)
	assert.Equal(t, 4, refused.SpanCount(), "the retry forwards only the last session's span")
	assert.Len(t, refused.AllTraces(), 3)
	h2.assertPartial(map[string]int64{partialRefused: 1, partialResumed: 1})
}
