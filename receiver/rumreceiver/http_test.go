// Copyright The otelcol-rum Authors
// SPDX-License-Identifier: Apache-2.0

package rumreceiver

import (
	"bytes"
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"go.opentelemetry.io/collector/consumer/consumererror"
	"go.opentelemetry.io/collector/consumer/consumertest"
	"go.opentelemetry.io/collector/pdata/ptrace"
	"go.opentelemetry.io/collector/pdata/ptrace/ptraceotlp"
)

// smallFaro is a minimal Faro payload: one log, one LCP measurement with trace context.
const smallFaro = `{
 "meta": {"app": {"name": "shop-web", "environment": "test"}, "session": {"id": "sess-1"}, "page": {"url": "https://shop.example/product/42"}},
 "logs": [{"message": "hello", "level": "warn", "timestamp": "2026-11-21T10:00:00.000Z"}],
 "measurements": [{"type": "web-vitals", "values": {"lcp": 1234.5, "delta": 1234.5},
   "context": {"id": "v5-1", "rating": "good", "navigation_type": "navigate"},
   "trace": {"trace_id": "0af7651916cd43dd8448eb211c80319c", "span_id": "b7ad6b7169203331"},
   "timestamp": "2026-11-21T10:00:01.000Z"}]
}`

const lcpBeacon = `{"name":"LCP","value":1234.5,"rating":"good","delta":1234.5,"id":"v5-1700000000000-1","navigationType":"navigate","entries":[]}`

func decodeJSON[T any](t *testing.T, resp *http.Response) T {
	t.Helper()
	var v T
	require.NoError(t, json.NewDecoder(resp.Body).Decode(&v))
	return v
}

func TestFaroAccepted(t *testing.T) {
	h := startHarness(t)
	resp := h.post("/collect", []byte(smallFaro), "Content-Type", "application/json")
	require.Equal(t, http.StatusAccepted, resp.StatusCode)
	body := decodeJSON[acceptedBody](t, resp)
	assert.Equal(t, acceptedBody{Accepted: 3}, body, "1 log + 1 vital event + 1 vital point")
	assert.Equal(t, 2, h.logs.LogRecordCount())
	assert.Equal(t, 1, h.metrics.DataPointCount())
	h.assertRefused(map[string]int64{})
}

func TestVitalsBeaconAsSendBeaconSendsIt(t *testing.T) {
	h := startHarness(t)
	resp := h.post("/vitals?session_id=s-9&page_url=https%3A%2F%2Fshop.example%2F", []byte(lcpBeacon), "Content-Type", "text/plain;charset=UTF-8")
	require.Equal(t, http.StatusAccepted, resp.StatusCode)
	require.Equal(t, 1, h.logs.LogRecordCount())
	res := h.logs.AllLogs()[0].ResourceLogs().At(0).Resource().Attributes()
	sid, _ := res.Get("session.id")
	assert.Equal(t, "s-9", sid.Str())
}

func TestOTLPJSONAndProtobufTraces(t *testing.T) {
	h := startHarness(t)
	td := ptrace.NewTraces()
	span := td.ResourceSpans().AppendEmpty().ScopeSpans().AppendEmpty().Spans().AppendEmpty()
	span.SetName("documentLoad")
	span.SetTraceID([16]byte{1})
	span.SetSpanID([8]byte{2})
	req := ptraceotlp.NewExportRequestFromTraces(td)

	js, err := req.MarshalJSON()
	require.NoError(t, err)
	resp := h.post("/v1/traces", js, "Content-Type", "application/json")
	require.Equal(t, http.StatusOK, resp.StatusCode)
	assert.Equal(t, "application/json", resp.Header.Get("Content-Type"))

	pb, err := req.MarshalProto()
	require.NoError(t, err)
	resp = h.post("/v1/traces", pb, "Content-Type", "application/x-protobuf")
	require.Equal(t, http.StatusOK, resp.StatusCode)
	out, err := io.ReadAll(resp.Body)
	require.NoError(t, err)
	require.NoError(t, ptraceotlp.NewExportResponse().UnmarshalProto(out), "answer is an OTLP export response")
	assert.Equal(t, 2, h.traces.SpanCount())
}

func TestMalformedJSONSaysWhatIsWrong(t *testing.T) {
	h := startHarness(t)
	resp := h.post("/collect", []byte(`{"meta": {"app": {"name": "x"}}, "logs": [`), "Content-Type", "application/json")
	require.Equal(t, http.StatusBadRequest, resp.StatusCode)
	body := decodeJSON[errorBody](t, resp)
	assert.Contains(t, body.Error, "malformed JSON")
	assert.Equal(t, 0, h.logs.LogRecordCount())

	resp = h.post("/vitals", []byte(`"LCP"`), "Content-Type", "text/plain")
	require.Equal(t, http.StatusBadRequest, resp.StatusCode)
	assert.Contains(t, decodeJSON[errorBody](t, resp).Error, "expected an object or an array")
	h.assertRefused(map[string]int64{reasonMalformed: 2})
}

func TestPartiallyInvalidPayloadKeepsValidItems(t *testing.T) {
	h := startHarness(t)
	payload := `{"meta": {"app": {"name": "shop"}},
	 "logs": [{"message": "ok"}, {"message": 42}, {"message": "bad time", "timestamp": "yesterday"}],
	 "events": [{"name": "add_to_cart"}, {"attributes": {}}],
	 "exceptions": [{"type": "Error", "value": "boom", "trace": {"trace_id": "zz", "span_id": "00"}}]}`
	resp := h.post("/collect", []byte(payload), "Content-Type", "application/json")
	require.Equal(t, http.StatusAccepted, resp.StatusCode)
	body := decodeJSON[acceptedBody](t, resp)
	assert.Equal(t, 2, body.Accepted)
	assert.Equal(t, 4, body.Rejected)
	require.Len(t, body.Errors, 4)
	joined := strings.Join(body.Errors, "\n")
	for _, want := range []string{"logs[1]", "logs[2]: invalid timestamp", "events[1]: event has no name", "exceptions[0]: invalid trace context"} {
		assert.Contains(t, joined, want)
	}
	assert.Equal(t, 2, h.logs.LogRecordCount())
}

func TestWrongMediaType(t *testing.T) {
	h := startHarness(t)
	resp := h.post("/collect", []byte(smallFaro), "Content-Type", "application/xml")
	assert.Equal(t, http.StatusUnsupportedMediaType, resp.StatusCode)
	resp = h.post("/v1/logs", []byte(`{}`), "Content-Type", "text/plain")
	assert.Equal(t, http.StatusUnsupportedMediaType, resp.StatusCode)
	h.assertRefused(map[string]int64{reasonUnsupportedMediaType: 2})
}

func TestWrongMethod(t *testing.T) {
	h := startHarness(t)
	resp := h.do(http.MethodGet, "/collect", nil)
	assert.Equal(t, http.StatusMethodNotAllowed, resp.StatusCode)
	assert.Equal(t, http.MethodPost, resp.Header.Get("Allow"))
	h.assertRefused(map[string]int64{reasonMethodNotAllowed: 1})
}

func TestBodyOverLimitAlsoAfterGzip(t *testing.T) {
	h := startHarness(t, withConfig(func(c *Config) { c.MaxRequestBodySize = 4096 }))
	big := []byte(`{"meta":{},"logs":[{"message":"` + strings.Repeat("a", 8000) + `"}]}`)
	resp := h.post("/collect", big, "Content-Type", "application/json")
	assert.Equal(t, http.StatusRequestEntityTooLarge, resp.StatusCode)

	// A gzip bomb: 1 MiB of zeros compresses to about a kilobyte, under the limit on the
	// wire but far over it once inflated.
	bomb := gzipBytes(t, make([]byte, 1<<20))
	require.Less(t, len(bomb), 4096)
	resp = h.post("/collect", bomb, "Content-Type", "application/json", "Content-Encoding", "gzip")
	assert.Equal(t, http.StatusRequestEntityTooLarge, resp.StatusCode)
	assert.Equal(t, 0, h.logs.LogRecordCount())
	h.assertRefused(map[string]int64{reasonTooLarge: 2})
}

func TestGzipBodyAccepted(t *testing.T) {
	h := startHarness(t)
	resp := h.post("/collect", gzipBytes(t, []byte(smallFaro)), "Content-Type", "application/json", "Content-Encoding", "gzip")
	require.Equal(t, http.StatusAccepted, resp.StatusCode)
	assert.Equal(t, 2, h.logs.LogRecordCount())
}

func TestAPIKeys(t *testing.T) {
	h := startHarness(t, withConfig(func(c *Config) {
		c.Apps = []AppConfig{{Name: "shop-web", APIKey: "k-shop"}, {Name: "blog", APIKey: "k-blog"}}
	}))
	cases := []struct {
		name, path string
		headers    []string
		want       int
	}{
		{"missing key", "/collect", nil, http.StatusUnauthorized},
		{"wrong key in header", "/collect", []string{"X-Api-Key", "nope"}, http.StatusUnauthorized},
		{"wrong key in path", "/collect/nope", nil, http.StatusUnauthorized},
		{"key in header", "/collect", []string{"X-Api-Key", "k-shop"}, http.StatusAccepted},
		{"key in path", "/collect/k-blog", nil, http.StatusAccepted},
		{"key in query for sendBeacon", "/vitals?api_key=k-shop", nil, http.StatusAccepted},
		{"key in query as app_key", "/vitals?app_key=k-blog", nil, http.StatusAccepted},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			body := smallFaro
			if strings.HasPrefix(tc.path, "/vitals") {
				body = lcpBeacon
			}
			resp := h.post(tc.path, []byte(body), append([]string{"Content-Type", "application/json"}, tc.headers...)...)
			assert.Equal(t, tc.want, resp.StatusCode)
		})
	}
	// Only the accepted requests reached the pipeline, and the key named the service.
	assert.Equal(t, 2+2+1+1, h.logs.LogRecordCount())
	services := map[string]int{}
	for _, ld := range h.logs.AllLogs() {
		v, _ := ld.ResourceLogs().At(0).Resource().Attributes().Get("service.name")
		services[v.Str()]++
	}
	assert.Equal(t, map[string]int{"shop-web": 2, "blog": 2}, services)
	h.assertRefused(map[string]int64{reasonUnauthorized: 3})
}

func TestRateLimitPerClientAnswers429WithRetryAfter(t *testing.T) {
	h := startHarness(t, withConfig(func(c *Config) {
		c.RateLimit.PerClient = LimitConfig{Rate: 0.5, Burst: 2}
	}))
	for i := range 2 {
		resp := h.post("/vitals", []byte(lcpBeacon), "Content-Type", "text/plain")
		require.Equal(t, http.StatusAccepted, resp.StatusCode, "request %d within the burst", i)
	}
	resp := h.post("/vitals", []byte(lcpBeacon), "Content-Type", "text/plain")
	require.Equal(t, http.StatusTooManyRequests, resp.StatusCode)
	secs, err := strconv.Atoi(resp.Header.Get("Retry-After"))
	require.NoError(t, err)
	assert.InDelta(t, 2, secs, 1, "one token every 2s")
	assert.Equal(t, 2, h.logs.LogRecordCount())
	h.assertRefused(map[string]int64{reasonRateLimited: 1})
}

func TestDownstreamBackpressure(t *testing.T) {
	refuse := consumertest.NewErr(errors.New("data refused due to high memory usage"))
	h := startHarness(t, withLogsConsumer(refuse), withConfig(func(c *Config) { c.RetryAfter = 7 * time.Second }))

	resp := h.post("/collect", []byte(smallFaro), "Content-Type", "application/json")
	assert.Equal(t, http.StatusTooManyRequests, resp.StatusCode, "Faro backs off on 429 only")
	assert.Equal(t, "7", resp.Header.Get("Retry-After"))

	logs := `{"resourceLogs":[{"scopeLogs":[{"logRecords":[{"body":{"stringValue":"x"}}]}]}]}`
	resp = h.post("/v1/logs", []byte(logs), "Content-Type", "application/json")
	assert.Equal(t, http.StatusServiceUnavailable, resp.StatusCode, "OTLP exporters retry on 503")
	assert.Equal(t, "7", resp.Header.Get("Retry-After"))
	h.assertRefused(map[string]int64{reasonDownstreamRetryable: 2})
}

func TestDownstreamPermanentErrorIs400(t *testing.T) {
	h := startHarness(t, withLogsConsumer(consumertest.NewErr(consumererror.NewPermanent(errors.New("bad data")))))
	resp := h.post("/collect", []byte(smallFaro), "Content-Type", "application/json")
	assert.Equal(t, http.StatusBadRequest, resp.StatusCode)
	assert.Empty(t, resp.Header.Get("Retry-After"))
	h.assertRefused(map[string]int64{reasonDownstreamPermanent: 1})
}

func TestCORSOnPreflightAndOnPost(t *testing.T) {
	h := startHarness(t, withConfig(func(c *Config) {
		c.CORS.Get().AllowedOrigins = []string{"https://shop.example"}
	}))
	resp := h.do(http.MethodOptions, "/collect", nil,
		"Origin", "https://shop.example",
		"Access-Control-Request-Method", "POST",
		// As browsers send it: lower case and sorted (rs/cors relies on that).
		"Access-Control-Request-Headers", "content-type,traceparent,x-api-key,x-faro-session-id")
	require.Less(t, resp.StatusCode, 300)
	assert.Equal(t, "https://shop.example", resp.Header.Get("Access-Control-Allow-Origin"))
	allowed := strings.ToLower(resp.Header.Get("Access-Control-Allow-Headers"))
	for _, hdr := range []string{"content-type", "traceparent", "x-faro-session-id", "x-api-key"} {
		assert.Contains(t, allowed, hdr)
	}

	resp = h.post("/collect", []byte(smallFaro), "Content-Type", "application/json", "Origin", "https://shop.example")
	require.Equal(t, http.StatusAccepted, resp.StatusCode)
	assert.Equal(t, "https://shop.example", resp.Header.Get("Access-Control-Allow-Origin"))
	assert.Equal(t, "Retry-After", resp.Header.Get("Access-Control-Expose-Headers"))

	// Refusals carry CORS headers too, or the SDK could not read the status.
	resp = h.post("/collect", []byte(`{`), "Content-Type", "application/json", "Origin", "https://shop.example")
	require.Equal(t, http.StatusBadRequest, resp.StatusCode)
	assert.Equal(t, "https://shop.example", resp.Header.Get("Access-Control-Allow-Origin"))

	resp = h.do(http.MethodOptions, "/collect", nil, "Origin", "https://evil.example", "Access-Control-Request-Method", "POST")
	assert.Empty(t, resp.Header.Get("Access-Control-Allow-Origin"))
}

func TestUnknownPathIs404(t *testing.T) {
	h := startHarness(t)
	resp := h.post("/nope", []byte(`{}`), "Content-Type", "application/json")
	assert.Equal(t, http.StatusNotFound, resp.StatusCode)
}

func TestOTLPErrorIsRPCStatus(t *testing.T) {
	h := startHarness(t)
	resp := h.post("/v1/traces", []byte{0xff, 0x01}, "Content-Type", "application/x-protobuf")
	require.Equal(t, http.StatusBadRequest, resp.StatusCode)
	assert.Equal(t, "application/x-protobuf", resp.Header.Get("Content-Type"))
	raw, err := io.ReadAll(resp.Body)
	require.NoError(t, err)
	assert.True(t, bytes.Contains(raw, []byte("invalid OTLP")), "status message in body: %q", raw)
}

// TestVitalsBeaconPageFromReferer: a beacon without page_url names its page by the
// Referer, unless the Referer is only the Origin (what browsers send across origins),
// which names no page.
func TestVitalsBeaconPageFromReferer(t *testing.T) {
	for _, tc := range []struct {
		name, referer, origin, want string
	}{
		{"same origin: the full page", "https://shop.example/product/7?x=1", "", "https://shop.example/product/7?x=1"},
		{"cross origin with a path", "https://shop.example/cart", "https://shop.example", "https://shop.example/cart"},
		{"cross origin, only the origin", "https://shop.example/", "https://shop.example", ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			h := startHarness(t)
			headers := []string{"Content-Type", "text/plain;charset=UTF-8", "Referer", tc.referer}
			if tc.origin != "" {
				headers = append(headers, "Origin", tc.origin)
			}
			resp := h.post("/vitals?session_id=s-9", []byte(lcpBeacon), headers...)
			require.Equal(t, http.StatusAccepted, resp.StatusCode)
			lr := h.logs.AllLogs()[0].ResourceLogs().At(0).ScopeLogs().At(0).LogRecords().At(0)
			got, ok := lr.Attributes().Get("url.full")
			if tc.want == "" {
				assert.False(t, ok, "no page: %v", got)
				return
			}
			require.True(t, ok)
			assert.Equal(t, tc.want, got.Str())
		})
	}
}

// TestOTLPRequestsThroughTheBodyPoolStayApart: the body buffers of OTLP requests are
// reused; what one request forwarded must not change when the next reuses its buffer.
func TestOTLPRequestsThroughTheBodyPoolStayApart(t *testing.T) {
	h := startHarness(t)
	names := []string{strings.Repeat("a", 3000), "b", strings.Repeat("c", 70_000), "d"}
	for _, name := range names {
		td := ptrace.NewTraces()
		td.ResourceSpans().AppendEmpty().ScopeSpans().AppendEmpty().Spans().AppendEmpty().SetName(name)
		pb, err := ptraceotlp.NewExportRequestFromTraces(td).MarshalProto()
		require.NoError(t, err)
		resp := h.post("/v1/traces", pb, "Content-Type", "application/x-protobuf")
		require.Equal(t, http.StatusOK, resp.StatusCode)
	}
	got := h.traces.AllTraces()
	require.Len(t, got, len(names))
	for i, name := range names {
		assert.Equal(t, name, got[i].ResourceSpans().At(0).ScopeSpans().At(0).Spans().At(0).Name(), "request %d", i)
	}
}
