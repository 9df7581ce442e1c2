// Copyright The otelcol-rum Authors
// SPDX-License-Identifier: Apache-2.0

package rumreceiver

import (
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/rs/cors"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"go.opentelemetry.io/collector/config/confighttp"
	"go.opentelemetry.io/collector/config/configoptional"

	"github.com/otelcol-rum/otelcol-rum/internal/sdkcaptures"
)

func withAllowedOrigins(origins ...string) harnessOption {
	return withConfig(func(c *Config) { c.CORS.Get().AllowedOrigins = origins })
}

// TestOriginNotAllowedIsRefused: with allowed_origins set, a page of another origin gets
// 403 and nothing is forwarded, whether it is Faro, a beacon (text/plain, sent without a
// preflight) or OTLP; the page's own origin gets through.
func TestOriginNotAllowedIsRefused(t *testing.T) {
	h := startHarness(t, withAllowedOrigins("https://shop.example", "https://*.example.org"))
	for _, tc := range []struct {
		path, contentType, body string
	}{
		{"/collect", "application/json", smallFaro},
		{"/vitals", "text/plain;charset=UTF-8", lcpBeacon},
		{"/v1/logs", "application/json", `{"resourceLogs":[{"scopeLogs":[{"logRecords":[{"body":{"stringValue":"x"}}]}]}]}`},
	} {
		resp := h.post(tc.path, []byte(tc.body), "Content-Type", tc.contentType, "Origin", "https://evil.example")
		assert.Equal(t, http.StatusForbidden, resp.StatusCode, tc.path)
		msg, _ := io.ReadAll(resp.Body)
		assert.Contains(t, string(msg), "https://evil.example", "%s: the answer names the origin", tc.path)
	}
	assert.Zero(t, h.logs.LogRecordCount()+h.metrics.DataPointCount())
	h.assertRefused(map[string]int64{reasonOriginNotAllowed: 3})

	resp := h.post("/vitals", []byte(lcpBeacon), "Content-Type", "text/plain", "Origin", "https://shop.example")
	assert.Equal(t, http.StatusAccepted, resp.StatusCode)
}

func TestOriginRules(t *testing.T) {
	for _, tc := range []struct {
		name            string
		allowed         []string
		origin, referer string
		want            int
	}{
		{"exact", []string{"https://shop.example"}, "https://shop.example", "", http.StatusAccepted},
		{"case does not matter", []string{"https://Shop.Example"}, "https://SHOP.example", "", http.StatusAccepted},
		{"other scheme", []string{"https://shop.example"}, "http://shop.example", "", http.StatusForbidden},
		{"other port", []string{"https://shop.example"}, "https://shop.example:8443", "", http.StatusForbidden},
		{"wildcard subdomain", []string{"https://*.example.org"}, "https://eu.shop.example.org", "", http.StatusAccepted},
		{"wildcard needs its suffix", []string{"https://*.example.org"}, "https://example.org.evil.example", "", http.StatusForbidden},
		{"null origin (sandboxed frame) not listed", []string{"https://shop.example"}, "null", "", http.StatusForbidden},
		{"referer stands in for a missing origin", []string{"https://shop.example"}, "", "https://shop.example/cart?x=1", http.StatusAccepted},
		{"referer of another site", []string{"https://shop.example"}, "", "https://evil.example/page", http.StatusForbidden},
		{"origin wins over referer", []string{"https://shop.example"}, "https://evil.example", "https://shop.example/", http.StatusForbidden},
		{"neither: not a browser page", []string{"https://shop.example"}, "", "", http.StatusAccepted},
		{"star allows everyone", []string{"*"}, "https://evil.example", "", http.StatusAccepted},
		{"star among others allows everyone", []string{"https://shop.example", "*"}, "https://evil.example", "", http.StatusAccepted},
	} {
		t.Run(tc.name, func(t *testing.T) {
			h := startHarness(t, withAllowedOrigins(tc.allowed...))
			headers := []string{"Content-Type", "text/plain"}
			if tc.origin != "" {
				headers = append(headers, "Origin", tc.origin)
			}
			if tc.referer != "" {
				headers = append(headers, "Referer", tc.referer)
			}
			resp := h.post("/vitals", []byte(lcpBeacon), headers...)
			assert.Equal(t, tc.want, resp.StatusCode)
		})
	}
}

// TestOriginNotCheckedWithoutCORS: without a cors section no origin list exists, and
// nothing is refused for its origin.
func TestOriginNotCheckedWithoutCORS(t *testing.T) {
	cfg := createDefaultConfig().(*Config)
	cfg.CORS.Get().AllowedOrigins = []string{"https://shop.example"}
	require.NotEmpty(t, newOriginPolicy(cfg).patterns)
	cfg = createDefaultConfig().(*Config)
	cfg.CORS = configoptional.None[confighttp.CORSConfig]()
	assert.Empty(t, newOriginPolicy(cfg).patterns)
}

// FuzzOriginPolicy: whatever the configured origins and the request's headers, deciding
// never panics, an origin listed as it is always passes, and an origin with no listed
// pattern matching it never does.
func FuzzOriginPolicy(f *testing.F) {
	f.Add("https://shop.example", "https://shop.example", "")
	f.Add("https://*.example.org", "https://eu.example.org", "")
	f.Add("https://*.example.org", "", "https://evil.example/x")
	f.Add("null", "null", "")
	f.Add("*x*", "", "::%zz")
	f.Fuzz(func(t *testing.T, allowed, origin, referer string) {
		cfg := createDefaultConfig().(*Config)
		cfg.CORS.Get().AllowedOrigins = []string{allowed}
		p := newOriginPolicy(cfg)
		req := httptest.NewRequest(http.MethodPost, "/vitals", nil)
		if origin != "" {
			req.Header.Set("Origin", origin)
		}
		if referer != "" {
			req.Header.Set("Referer", referer)
		}
		judged, ok := p.allows(req)
		if allowed == "*" || judged == "" {
			assert.True(t, ok)
			return
		}
		if strings.EqualFold(judged, allowed) {
			assert.True(t, ok, "%q is listed", judged)
		}
		if !strings.Contains(allowed, "*") && !strings.EqualFold(judged, allowed) {
			assert.False(t, ok, "%q is not %q", judged, allowed)
		}
	})
}

// TestRealBeaconsAreJudgedByTheirPageOrigin replays what Chromium sent: a web-vitals
// sendBeacon is a no-cors request (no preflight, so CORS never stops it) that carries
// the page's Origin, and Faro's fetch a cors one with the same. Allowing another origin
// refuses them; allowing theirs takes them.
func TestRealBeaconsAreJudgedByTheirPageOrigin(t *testing.T) {
	m := sdkcaptures.Load(t)
	for _, scenario := range []string{"vitals", "faro"} {
		c := m.Of(t, scenario)[0]
		origin := c.Headers["origin"]
		require.NotEmpty(t, origin, "%s: the browser sent the page's origin", c.File)
		if scenario == "vitals" {
			assert.Equal(t, "no-cors", c.Headers["sec-fetch-mode"], "sendBeacon with text/plain needs no preflight")
		}

		h := startHarness(t, withAllowedOrigins("https://shop.example"))
		h.rcv.now = func() time.Time { return goldenNow }
		resp := sdkcaptures.Post(t, h.url, c)
		assert.Equal(t, http.StatusForbidden, resp.StatusCode, c.File)
		h.assertRefused(map[string]int64{reasonOriginNotAllowed: 1})

		h = startHarness(t, withAllowedOrigins("https://shop.example", origin))
		h.rcv.now = func() time.Time { return goldenNow }
		resp = sdkcaptures.Post(t, h.url, c)
		assert.Less(t, resp.StatusCode, 300, c.File)
	}
}

// FuzzOriginPolicyAgreesWithCORS: the receiver refuses exactly the origins to which
// confighttp's CORS handler (rs/cors) would not grant access, for the same
// allowed_origins; otherwise a page could read answers to requests the receiver refused,
// or be refused data the CORS answers invite it to send.
func FuzzOriginPolicyAgreesWithCORS(f *testing.F) {
	f.Add("https://shop.example", "https://*.example.org", "https://eu.example.org")
	f.Add("https://Shop.Example", "", "HTTPS://SHOP.EXAMPLE")
	f.Add("https://*.example.org", "*", "https://evil.example")
	f.Add("https://*", "*.org", "https://x.org")
	f.Add("*x*", "null", "null")
	f.Add("https://a.example", "https://a.example:443", "https://a.example:443")
	f.Add("https://*example.org*", "", "https://example.org")
	f.Fuzz(func(t *testing.T, first, second, origin string) {
		if origin == "" {
			t.Skip("without Origin the receiver judges the Referer, which CORS does not read")
		}
		allowed := []string{first}
		if second != "" {
			allowed = append(allowed, second)
		}
		cfg := createDefaultConfig().(*Config)
		cfg.CORS.Get().AllowedOrigins = allowed
		req := httptest.NewRequest(http.MethodPost, "/vitals", nil)
		req.Header.Set("Origin", origin)
		_, ours := newOriginPolicy(cfg).allows(req)
		theirs := cors.New(cors.Options{AllowedOrigins: allowed}).OriginAllowed(req)
		assert.Equal(t, theirs, ours, "allowed_origins %q, Origin %q", allowed, origin)
	})
}
