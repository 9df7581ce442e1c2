// Copyright The otelcol-rum Authors
// SPDX-License-Identifier: Apache-2.0

package main

import (
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"

	"go.opentelemetry.io/otel/propagation"
	sdktrace "go.opentelemetry.io/otel/sdk/trace"
	"go.opentelemetry.io/otel/sdk/trace/tracetest"
	"go.opentelemetry.io/otel/trace"
)

// newTestShop returns the shop handler with a tracer provider that exports
// every span synchronously, when it ends, to an in-memory exporter.
func newTestShop(t *testing.T) (http.Handler, *tracetest.InMemoryExporter, config) {
	t.Helper()
	exp := tracetest.NewInMemoryExporter()
	tp := sdktrace.NewTracerProvider(sdktrace.WithSyncer(exp))
	t.Cleanup(func() { _ = tp.Shutdown(t.Context()) })
	cfg := config{
		Listen:       "127.0.0.1:0",
		RUMURL:       "http://127.0.0.1:12347",
		AppKey:       "demo-key",
		Assets:       t.TempDir(),
		OTLPEndpoint: "",
	}
	return newShop(cfg, tp, propagation.TraceContext{}), exp, cfg
}

var (
	serverTimingRE = regexp.MustCompile(`^traceparent;desc="(00-([0-9a-f]{32})-([0-9a-f]{16})-01)"$`)
	metaRE         = regexp.MustCompile(`<meta name="traceparent" content="([^"]+)">`)
)

// get serves GET path and fails the test unless the status is want.
func get(t *testing.T, h http.Handler, path string, want int) *httptest.ResponseRecorder {
	t.Helper()
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, httptest.NewRequest(http.MethodGet, path, nil))
	if rec.Code != want {
		t.Fatalf("GET %s: status = %d, want %d; body:\n%s", path, rec.Code, want, rec.Body)
	}
	return rec
}

func serverSpans(exp *tracetest.InMemoryExporter) []tracetest.SpanStub {
	var out []tracetest.SpanStub
	for _, s := range exp.GetSpans() {
		if s.SpanKind == trace.SpanKindServer {
			out = append(out, s)
		}
	}
	return out
}

// handedTrace checks that a document names its request's server span, the last one
// recorded, in Server-Timing (with Timing-Allow-Origin) and in <meta name="traceparent">,
// and returns that span.
func handedTrace(t *testing.T, rec *httptest.ResponseRecorder, exp *tracetest.InMemoryExporter) tracetest.SpanStub {
	t.Helper()
	st := serverTimingRE.FindStringSubmatch(rec.Header().Get("Server-Timing"))
	if st == nil {
		t.Fatalf("Server-Timing = %q, want traceparent;desc=\"00-<trace>-<span>-01\"", rec.Header().Get("Server-Timing"))
	}
	if got := rec.Header().Get("Timing-Allow-Origin"); got != "*" {
		t.Errorf("Timing-Allow-Origin = %q, want *", got)
	}
	meta := metaRE.FindStringSubmatch(rec.Body.String())
	if meta == nil {
		t.Fatalf("no <meta name=\"traceparent\"> in the page:\n%s", rec.Body)
	}
	if meta[1] != st[1] {
		t.Errorf("meta traceparent %s != Server-Timing traceparent %s", meta[1], st[1])
	}
	spans := serverSpans(exp)
	if len(spans) == 0 {
		t.Fatalf("no server span recorded: %+v", exp.GetSpans())
	}
	span := spans[len(spans)-1]
	if sc := span.SpanContext; sc.TraceID().String() != st[2] || sc.SpanID().String() != st[3] {
		t.Errorf("page names %s/%s, server span is %s/%s", st[2], st[3], sc.TraceID(), sc.SpanID())
	}
	return span
}

func TestProductPageHandsServerSpanToBrowser(t *testing.T) {
	h, exp, cfg := newTestShop(t)
	rec := get(t, h, "/product/7", http.StatusOK)
	handedTrace(t, rec, exp)
	body := rec.Body.String()
	spans := serverSpans(exp)
	if len(spans) != 1 {
		t.Fatalf("recorded %d server spans, want 1: %+v", len(spans), exp.GetSpans())
	}
	if spans[0].Name != "GET /product/{id}" {
		t.Errorf("span name = %q, want GET /product/{id}", spans[0].Name)
	}

	// The page loads the Faro bundle and tells it where to send RUM data.
	for _, want := range []string{
		`src="/dist/shop-faro.js"`,
		`data-rum-url="` + cfg.RUMURL + `"`,
		`data-app-key="demo-key"`,
		`href="/product/42"`,
		`id="checkout"`,
		`id="break"`,
		"Merino Running Socks",
	} {
		if !strings.Contains(body, want) {
			t.Errorf("page lacks %s", want)
		}
	}
}

func TestOtelPageUsesOtelBundleAndLinks(t *testing.T) {
	h, _, _ := newTestShop(t)
	body := get(t, h, "/otel/product/3", http.StatusOK).Body.String()
	for _, want := range []string{`src="/dist/shop-otel.js"`, `href="/otel/product/7"`, `<meta name="traceparent"`} {
		if !strings.Contains(body, want) {
			t.Errorf("page lacks %s", want)
		}
	}
}

func TestHomePageSpanIsNamedAfterRoute(t *testing.T) {
	h, exp, _ := newTestShop(t)
	for _, path := range []string{"/", "/otel/"} {
		get(t, h, path, http.StatusOK)
	}
	spans := serverSpans(exp)
	if len(spans) != 2 {
		t.Fatalf("recorded %d server spans, want 2", len(spans))
	}
	for i, want := range []string{"/", "/otel/"} {
		if spans[i].Name != "GET "+want {
			t.Errorf("span name = %q, want %q", spans[i].Name, "GET "+want)
		}
		var route string
		for _, a := range spans[i].Attributes {
			if a.Key == "http.route" {
				route = a.Value.AsString()
			}
		}
		if route != want {
			t.Errorf("http.route = %q, want %q", route, want)
		}
	}
}

func TestUnknownProductIs404(t *testing.T) {
	h, exp, _ := newTestShop(t)
	get(t, h, "/product/nope", http.StatusNotFound)
	if len(serverSpans(exp)) != 1 {
		t.Errorf("want the 404 page traced too")
	}
}

func TestCheckoutContinuesBrowserTrace(t *testing.T) {
	const (
		incomingTrace = "4bf92f3577b34da6a3ce929d0e0e4736"
		incomingSpan  = "00f067aa0ba902b7"
		origin        = "http://127.0.0.1:9999"
	)
	h, exp, _ := newTestShop(t)
	req := httptest.NewRequest(http.MethodPost, "/api/checkout", strings.NewReader(`{"product_id":"7"}`))
	req.Header.Set("traceparent", "00-"+incomingTrace+"-"+incomingSpan+"-01")
	req.Header.Set("Origin", origin)
	req.Header.Set("Content-Type", "application/json")
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, req)

	if rec.Code != http.StatusOK {
		t.Fatalf("status = %d, want 200; body: %s", rec.Code, rec.Body)
	}
	if got := rec.Header().Get("Access-Control-Allow-Origin"); got != origin {
		t.Errorf("Access-Control-Allow-Origin = %q, want %q", got, origin)
	}

	spans := serverSpans(exp)
	if len(spans) != 1 {
		t.Fatalf("recorded %d server spans, want 1", len(spans))
	}
	server := spans[0]
	if server.SpanContext.TraceID().String() != incomingTrace {
		t.Errorf("server span trace = %s, want the incoming %s", server.SpanContext.TraceID(), incomingTrace)
	}
	if server.Parent.SpanID().String() != incomingSpan || !server.Parent.IsRemote() {
		t.Errorf("server span parent = %s (remote %v), want the incoming %s", server.Parent.SpanID(), server.Parent.IsRemote(), incomingSpan)
	}

	var reserve *tracetest.SpanStub
	for _, s := range exp.GetSpans() {
		if s.Name == "reserve-stock" {
			reserve = &s
		}
	}
	if reserve == nil {
		t.Fatal("no reserve-stock span")
	}
	if reserve.Parent.SpanID() != server.SpanContext.SpanID() {
		t.Errorf("reserve-stock parent = %s, want the server span %s", reserve.Parent.SpanID(), server.SpanContext.SpanID())
	}

	var resp checkoutResponse
	if err := json.Unmarshal(rec.Body.Bytes(), &resp); err != nil {
		t.Fatal(err)
	}
	if resp.TraceID != incomingTrace || resp.SpanID != server.SpanContext.SpanID().String() || resp.ProductID != "7" {
		t.Errorf("response = %+v, want trace %s, span %s, product 7", resp, incomingTrace, server.SpanContext.SpanID())
	}
}

func TestCheckoutPreflightAllowsTraceparent(t *testing.T) {
	const origin = "http://localhost:3000"
	h, exp, _ := newTestShop(t)
	req := httptest.NewRequest(http.MethodOptions, "/api/checkout", nil)
	req.Header.Set("Origin", origin)
	req.Header.Set("Access-Control-Request-Method", "POST")
	req.Header.Set("Access-Control-Request-Headers", "content-type,traceparent")
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, req)

	if rec.Code != http.StatusNoContent {
		t.Fatalf("status = %d, want 204", rec.Code)
	}
	hd := rec.Header()
	if got := hd.Get("Access-Control-Allow-Origin"); got != origin {
		t.Errorf("Access-Control-Allow-Origin = %q, want %q", got, origin)
	}
	allowed := strings.Split(strings.ReplaceAll(hd.Get("Access-Control-Allow-Headers"), " ", ""), ",")
	for _, want := range []string{"traceparent", "tracestate", "content-type"} {
		if !slices.Contains(allowed, want) {
			t.Errorf("Access-Control-Allow-Headers = %q lacks %s", hd.Get("Access-Control-Allow-Headers"), want)
		}
	}
	if !strings.Contains(hd.Get("Access-Control-Allow-Methods"), "POST") {
		t.Errorf("Access-Control-Allow-Methods = %q lacks POST", hd.Get("Access-Control-Allow-Methods"))
	}
	if n := len(exp.GetSpans()); n != 0 {
		t.Errorf("preflight recorded %d spans, want none", n)
	}
}

func TestAssetsAndHealthz(t *testing.T) {
	h, exp, cfg := newTestShop(t)
	for name, body := range map[string]string{
		"shop-faro.js":     "console.log(1)\n//# sourceMappingURL=shop-faro.js.map",
		"shop-faro.js.map": `{"version":3,"sources":["../pages/cart.js"],"mappings":"AAAA"}`,
	} {
		if err := os.WriteFile(filepath.Join(cfg.Assets, name), []byte(body), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	for path, want := range map[string]int{
		"/dist/shop-faro.js": http.StatusOK,
		// The map is there, but not public: only the collector gets it (deployed).
		"/dist/shop-faro.js.map": http.StatusNotFound,
		"/dist/shop-otel.js":     http.StatusNotFound, // not built
		"/dist/.hidden.js":       http.StatusNotFound,
		"/dist/x.css":            http.StatusNotFound,
		"/healthz":               http.StatusOK,
	} {
		rec := httptest.NewRecorder()
		h.ServeHTTP(rec, httptest.NewRequest(http.MethodGet, path, nil))
		if rec.Code != want {
			t.Errorf("GET %s: status %d, want %d", path, rec.Code, want)
		}
		if path == "/healthz" {
			b, _ := io.ReadAll(rec.Body)
			if !strings.Contains(string(b), `"rum_url":"`+cfg.RUMURL+`"`) {
				t.Errorf("healthz = %s, want rum_url", b)
			}
		}
	}
	if n := len(exp.GetSpans()); n != 0 {
		t.Errorf("assets/healthz recorded %d spans, want none", n)
	}
}

func TestParseConfig(t *testing.T) {
	env := map[string]string{"SHOP_LISTEN": "127.0.0.1:9090", "OTEL_EXPORTER_OTLP_ENDPOINT": "http://collector:4318/"}
	cfg, err := parseConfig([]string{"-rum-url", "http://rum.example:12347/", "-assets", "/srv/dist"},
		func(k string) string { return env[k] }, io.Discard)
	if err != nil {
		t.Fatal(err)
	}
	want := config{
		Listen:       "127.0.0.1:9090",
		OTLPEndpoint: "http://collector:4318",
		RUMURL:       "http://rum.example:12347",
		AppKey:       "demo-key",
		Assets:       "/srv/dist",
	}
	if cfg != want {
		t.Errorf("config = %+v, want %+v", cfg, want)
	}
	if _, err := parseConfig([]string{"-rum-url", "12347"}, func(string) string { return "" }, io.Discard); err == nil {
		t.Error("a -rum-url without scheme should be refused")
	}
}
