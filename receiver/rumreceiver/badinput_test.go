// Copyright The otelcol-rum Authors
// SPDX-License-Identifier: Apache-2.0

package rumreceiver

import (
	"net/http"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/otelcol-rum/otelcol-rum/internal/clientinfotest"
)

// withClientInfo puts the clientinfo processor between the receiver and the sinks, as
// the shipped configuration does.
func withClientInfo(t *testing.T) harnessOption {
	return func(_ *Config, hc *harnessConsumers) {
		hc.traces, hc.logs, hc.metrics = clientinfotest.Front(t, hc.traces, hc.logs, hc.metrics)
	}
}

// TestMalformedForwardingFromTrustedProxy: headers no proxy should write, from a trusted
// one. The beacon is accepted, and the client is what the README's "Behind a proxy or
// CDN" says: the last address the walk from the right had, never one further left.
func TestMalformedForwardingFromTrustedProxy(t *testing.T) {
	for _, tc := range []struct {
		name    string
		headers []string
		want    string
	}{
		{"XFF garbage", []string{"X-Forwarded-For", "203.0.113.5, not-an-ip"}, "127.0.0.1"},
		{"XFF empty entry", []string{"X-Forwarded-For", "203.0.113.5,,"}, "127.0.0.1"},
		{"XFF overlong", []string{"X-Forwarded-For", strings.Repeat("1.1.1.1, ", 5000) + "203.0.113.5"}, "203.0.113.5"},
		{"Forwarded unterminated quote", []string{"Forwarded", `for="203.0.113.5`}, "127.0.0.1"},
		{"Forwarded no value", []string{"Forwarded", "for="}, "127.0.0.1"},
		{"Forwarded obfuscated", []string{"Forwarded", "for=_hidden"}, "127.0.0.1"},
		{"Forwarded garbage wins over a good XFF", []string{"Forwarded", "for=;;;", "X-Forwarded-For", "203.0.113.5"}, "127.0.0.1"},
		{"XFF IPv6 zone dropped", []string{"X-Forwarded-For", "fe80::1%eth0"}, "fe80::1"},
		{"Forwarded IPv6 zone dropped", []string{"Forwarded", `for="[2001:db8::7%25en0]:443"`}, "2001:db8::7"},
		{"XFF IPv6 zone of garbage", []string{"X-Forwarded-For", "2001:db8::7%"}, "127.0.0.1"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			h := startHarness(t, proxied(loopbackProxies, ""))
			resp := h.post("/vitals", []byte(lcpBeacon), append([]string{"Content-Type", "text/plain"}, tc.headers...)...)
			require.Equal(t, http.StatusAccepted, resp.StatusCode)
			require.Len(t, h.logs.AllLogs(), 1, "nothing lost")
			res := h.logs.AllLogs()[0].ResourceLogs().At(0).Resource().Attributes()
			addr, _ := res.Get("client.address")
			assert.Equal(t, tc.want, addr.Str())
			assert.Equal(t, tc.want, clientOf(h.logs.Contexts()[0], t))
		})
	}
}

// TestMegabyteUserAgentHeader: net/http (confighttp leaves its MaxHeaderBytes at the
// default, 1 MB, and net/http allows 4 KB over it) takes a 1 MB User-Agent header, and
// the clientinfo processor parses its first 512 bytes; twice that is refused with 431
// before the receiver sees the request, so no data is half-taken.
func TestMegabyteUserAgentHeader(t *testing.T) {
	h := startHarness(t, withClientInfo(t))
	huge := firefoxAgent + " " + strings.Repeat("x", 1<<20-len(firefoxAgent)-1)
	resp := h.post("/vitals", []byte(lcpBeacon), "Content-Type", "text/plain", "User-Agent", huge)
	require.Equal(t, http.StatusAccepted, resp.StatusCode)
	require.Len(t, h.logs.AllLogs(), 1)
	require.Len(t, h.metrics.AllMetrics(), 1)
	res := h.logs.AllLogs()[0].ResourceLogs().At(0).Resource().Attributes().AsRaw()
	assert.Equal(t, "Firefox", res["user_agent.name"])
	assert.Len(t, res["user_agent.original"], 1<<20, "the receiver keeps the string whole")

	resp = h.post("/vitals", []byte(lcpBeacon), "Content-Type", "text/plain", "User-Agent", huge+huge)
	assert.Equal(t, http.StatusRequestHeaderFieldsTooLarge, resp.StatusCode)
	assert.Len(t, h.logs.AllLogs(), 1, "nothing of the refused request went on")
}

// TestMegabyteUserAgentInFaroMeta: the same string inside a Faro body under
// max_request_body_size arrives whole; the clientinfo processor parses its first 512
// bytes, and every item of the body goes on.
func TestMegabyteUserAgentInFaroMeta(t *testing.T) {
	h := startHarness(t, withClientInfo(t))
	require.Equal(t, http.StatusAccepted, h.post("/collect", []byte(smallFaro), "Content-Type", "application/json").StatusCode)
	records, points := h.logs.LogRecordCount(), h.metrics.DataPointCount()
	require.Positive(t, records)
	require.Positive(t, points)
	h.logs.Reset()
	h.metrics.Reset()

	huge := firefoxAgent + " " + strings.Repeat("x", 1_000_000)
	body := strings.Replace(smallFaro, `"session": {"id": "sess-1"}`, `"session": {"id": "sess-1"}, "browser": {"userAgent": "`+huge+`"}`, 1)
	require.Less(t, len(body), 1<<20, "under the default max_request_body_size")
	resp := h.post("/collect", []byte(body), "Content-Type", "application/json")
	require.Equal(t, http.StatusAccepted, resp.StatusCode)
	require.Equal(t, records, h.logs.LogRecordCount(), "every record of the body went on")
	require.Equal(t, points, h.metrics.DataPointCount(), "every measurement of the body went on")
	res := h.logs.AllLogs()[0].ResourceLogs().At(0).Resource().Attributes().AsRaw()
	assert.Equal(t, "Firefox", res["user_agent.name"])
	assert.Equal(t, "desktop", res["rum.device.type"])
	assert.Len(t, res["user_agent.original"], len(huge))
}

const firefoxAgent = "Mozilla/5.0 (Windows NT 10.0; Win64; x64; rv:133.0) Gecko/20100101 Firefox/133.0"
