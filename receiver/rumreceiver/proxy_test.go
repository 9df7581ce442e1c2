// Copyright The otelcol-rum Authors
// SPDX-License-Identifier: Apache-2.0

package rumreceiver

import (
	"context"
	"net/http"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"go.opentelemetry.io/collector/client"
	"go.opentelemetry.io/collector/pdata/ptrace"
	"go.opentelemetry.io/collector/pdata/ptrace/ptraceotlp"
)

// The harness's client connects from 127.0.0.1: trusting loopback makes it a proxy.
const (
	loopbackProxies = "127.0.0.0/8"
	otherProxies    = "10.0.0.0/8"
)

// forwardingHeaders are the ways a proxy names the client 203.0.113.5, each with a
// spoofed hop on the left that a client could have written.
var forwardingHeaders = []struct {
	name    string
	header  string // client_address_header
	headers []string
}{
	{"X-Forwarded-For", "", []string{"X-Forwarded-For", "1.1.1.1, 203.0.113.5, 127.0.0.9"}},
	{"Forwarded", "", []string{"Forwarded", `for=1.1.1.1, for="203.0.113.5:5121";proto=https`}},
	{"CF-Connecting-IP", "CF-Connecting-IP", []string{"CF-Connecting-IP", "203.0.113.5", "X-Forwarded-For", "1.1.1.1"}},
}

func proxied(trusted, header string) harnessOption {
	return withConfig(func(c *Config) {
		c.TrustedProxies = []string{trusted}
		c.ClientAddressHeader = header
		c.Privacy.RecordClientAddress = true
		c.IncludeMetadata = true
	})
}

// clientOf is the client address a pipeline saw in its context.
func clientOf(ctx context.Context, t *testing.T) string {
	t.Helper()
	addr := client.FromContext(ctx).Addr
	require.NotNil(t, addr, "client.Info.Addr")
	return addr.String()
}

func TestClientBehindTrustedProxy(t *testing.T) {
	for _, tc := range forwardingHeaders {
		t.Run(tc.name, func(t *testing.T) {
			h := startHarness(t, proxied(loopbackProxies, tc.header))
			resp := h.post("/vitals", []byte(lcpBeacon), append([]string{"Content-Type", "text/plain", "X-Probe", "kept"}, tc.headers...)...)
			require.Equal(t, http.StatusAccepted, resp.StatusCode)

			res := h.logs.AllLogs()[0].ResourceLogs().At(0).Resource().Attributes()
			addr, _ := res.Get("client.address")
			assert.Equal(t, "203.0.113.5", addr.Str(), "record_client_address records the client, not the proxy")

			ctxs := append(h.logs.Contexts(), h.metrics.Contexts()...)
			require.Len(t, ctxs, 2)
			for _, ctx := range ctxs {
				assert.Equal(t, "203.0.113.5", clientOf(ctx, t))
				assert.Equal(t, []string{"kept"}, client.FromContext(ctx).Metadata.Get("X-Probe"), "confighttp's metadata survives")
			}
		})
	}
}

func TestSpoofedHeadersFromUntrustedPeerAreIgnored(t *testing.T) {
	for _, tc := range forwardingHeaders {
		t.Run(tc.name, func(t *testing.T) {
			h := startHarness(t, proxied(otherProxies, tc.header))
			resp := h.post("/vitals", []byte(lcpBeacon), append([]string{"Content-Type", "text/plain"}, tc.headers...)...)
			require.Equal(t, http.StatusAccepted, resp.StatusCode)

			res := h.logs.AllLogs()[0].ResourceLogs().At(0).Resource().Attributes()
			addr, _ := res.Get("client.address")
			assert.Equal(t, "127.0.0.1", addr.Str())
			assert.Equal(t, "127.0.0.1", clientOf(h.logs.Contexts()[0], t))
		})
	}
}

func TestOTLPForwardsTheClientInItsContext(t *testing.T) {
	h := startHarness(t, proxied(loopbackProxies, ""))
	td := ptrace.NewTraces()
	td.ResourceSpans().AppendEmpty().ScopeSpans().AppendEmpty().Spans().AppendEmpty().SetName("documentLoad")
	pb, err := ptraceotlp.NewExportRequestFromTraces(td).MarshalProto()
	require.NoError(t, err)
	resp := h.post("/v1/traces", pb, "Content-Type", "application/x-protobuf", "X-Forwarded-For", "2001:db8::5")
	require.Equal(t, http.StatusOK, resp.StatusCode)
	require.Len(t, h.traces.Contexts(), 1)
	assert.Equal(t, "2001:db8::5", clientOf(h.traces.Contexts()[0], t))
}

func TestRateLimitPerClientBehindAProxy(t *testing.T) {
	limit := withConfig(func(c *Config) { c.RateLimit.PerClient = LimitConfig{Rate: 0.01, Burst: 2} })
	send := func(h *harness, xff string) int {
		return h.post("/vitals", []byte(lcpBeacon), "Content-Type", "text/plain", "X-Forwarded-For", xff).StatusCode
	}

	t.Run("trusted proxy: each client has its own bucket", func(t *testing.T) {
		h := startHarness(t, proxied(loopbackProxies, ""), limit)
		for range 2 {
			require.Equal(t, http.StatusAccepted, send(h, "203.0.113.5"))
		}
		assert.Equal(t, http.StatusTooManyRequests, send(h, "203.0.113.5"), "the first client used its burst")
		for range 2 {
			assert.Equal(t, http.StatusAccepted, send(h, "203.0.113.6"), "the second client behind the same proxy has its own")
		}
		h.assertRefused(map[string]int64{reasonRateLimited: 1})
	})

	t.Run("untrusted peer: made-up addresses do not escape the limit", func(t *testing.T) {
		h := startHarness(t, proxied(otherProxies, ""), limit)
		for range 2 {
			require.Equal(t, http.StatusAccepted, send(h, "203.0.113.5"))
		}
		assert.Equal(t, http.StatusTooManyRequests, send(h, "203.0.113.6"))
		h.assertRefused(map[string]int64{reasonRateLimited: 1})
	})
}
