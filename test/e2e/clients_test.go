// Copyright The otelcol-rum Authors
// SPDX-License-Identifier: Apache-2.0

//go:build e2e

package e2e

import (
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/otelcol-rum/otelcol-rum/test/internal/harness"
)

// The shoppers' browsers reach the collector through a forwarding proxy, as behind a CDN:
// the proxy says they came from proxiedClient, an address of the CC0 country database
// (scripts/install-geoip.sh) whose country is proxiedCountry. spoofedClient is what a
// client claims in its own X-Forwarded-For, from another country; it must never count.
const (
	proxiedClient  = "8.8.8.8"
	proxiedCountry = "US"
	spoofedClient  = "1.0.16.1"
)

// headlessChromeUA is the User-Agent of the shoppers' browser, so that the beacons sent
// from the test count under the same browser as theirs.
const headlessChromeUA = "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) HeadlessChrome/156.0.0.0 Safari/537.36"

// The overlay that trusts the proxy, and nobody else, for the forwarding headers.
const proxyOverlay = `
receivers:
  rum:
    trusted_proxies: [` + harness.ProxySource + `/32]
`

// clientDims are the labels the clientinfo processor's attributes become in Prometheus,
// with what every series of the headless Chromium shoppers must carry. The last is the
// rum receiver's, from navigator.connection.effectiveType that the shop's pages send (a
// dimension of examples/demo/otelcol.yaml): headless Chromium on loopback says 4g.
var clientDims = map[string]string{
	"user_agent_name":            "HeadlessChrome",
	"os_name":                    "Linux",
	"rum_device_type":            "desktop",
	"geo_country_iso_code":       proxiedCountry,
	"rum_network_effective_type": "4g",
}

// assertWhoSuffers checks the client dimensions on the series of every SDK: Faro's
// vitals and page loads, the OTel web SDK's page loads, the web-vitals beacons, the
// errors of both.
func (s *stack) assertWhoSuffers(t *testing.T) {
	selectors := []string{
		`browser_web_vital_lcp_milliseconds_bucket{service_name="shop-frontend"}`,
		`browser_page_load_duration_milliseconds_bucket{service_name="shop-frontend"}`,
		`browser_web_vital_lcp_milliseconds_bucket{service_name="shop-frontend-otel"}`,
		`browser_page_load_duration_milliseconds_bucket{service_name="shop-frontend-otel"}`,
		`browser_errors_total{service_name="shop-frontend"}`,
		`browser_errors_total{service_name="shop-frontend-otel"}`,
	}
	for _, sel := range selectors {
		var series []map[string]string
		require.Eventually(t, func() bool {
			series = series[:0]
			for _, r := range s.promQuery(t, sel) {
				series = append(series, r.Metric)
			}
			return len(series) > 0
		}, 60*time.Second, time.Second, "series of %s", sel)
		t.Logf("%s: %d series, the first: %v", sel, len(series), series[0])
		for _, labels := range series {
			for label, want := range clientDims {
				assert.Equal(t, want, labels[label], "%s of %s", label, sel)
			}
			assert.NotContains(t, labels, "client_address", "the address never reaches a metric")
		}
	}
}

// assertSpoofingIgnored sends a web-vitals beacon claiming spoofedClient twice: from
// 127.0.0.1, which is no trusted proxy, and through the proxy. Neither may locate it
// where it claims: directly the claim is ignored (the loopback peer has no country),
// through the proxy the proxy's own hop wins.
func (s *stack) assertSpoofingIgnored(t *testing.T) {
	direct := s.postSpoofedBeacon(t, s.rumURL, "/spoofed-direct")
	proxied := s.postSpoofedBeacon(t, s.proxy.URL(), "/spoofed-through-proxy")

	countryOf := func(route string) (string, bool) {
		for _, r := range s.promQuery(t, fmt.Sprintf(`browser_web_vital_lcp_milliseconds_count{url_template=%q}`, route)) {
			return r.Metric["geo_country_iso_code"], true
		}
		return "", false
	}
	for route, want := range map[string]string{direct: "", proxied: proxiedCountry} {
		var got string
		require.Eventually(t, func() bool {
			var ok bool
			got, ok = countryOf(route)
			return ok
		}, 60*time.Second, time.Second, "the beacon of %s in Prometheus", route)
		assert.Equal(t, want, got, "the country of %s", route)
	}
}

// postSpoofedBeacon posts an LCP beacon of a page at path to the rum receiver at base,
// with an X-Forwarded-For header naming spoofedClient, and returns the page's route.
func (s *stack) postSpoofedBeacon(t *testing.T, base, path string) string {
	q := url.Values{
		"app_key":    {"spoof-test"},
		"app":        {"spoof-test"},
		"session_id": {"spoof" + strings.ReplaceAll(path, "/", "-")},
		"page_url":   {"https://spoof.example" + path},
	}
	body := fmt.Sprintf(`{"name":"LCP","value":1200,"rating":"good","delta":1200,"id":"v4-spoof%s","navigationType":"navigate","entries":[]}`,
		strings.ReplaceAll(path, "/", "-"))
	req, err := http.NewRequest(http.MethodPost, base+"/vitals?"+q.Encode(), strings.NewReader(body))
	require.NoError(t, err)
	req.Header.Set("Content-Type", "text/plain;charset=UTF-8")
	req.Header.Set("User-Agent", headlessChromeUA)
	req.Header.Set("X-Forwarded-For", spoofedClient)
	resp, err := http.DefaultClient.Do(req)
	require.NoError(t, err)
	resp.Body.Close()
	require.Equal(t, http.StatusAccepted, resp.StatusCode, "the beacon to %s", base)
	return path
}
