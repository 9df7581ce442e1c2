// Copyright The otelcol-rum Authors
// SPDX-License-Identifier: Apache-2.0

package rumreceiver

import (
	"bytes"
	"context"
	"io"
	"net/http"
	"net/http/httptest"
	"testing"

	"github.com/open-telemetry/opentelemetry-collector-contrib/pkg/pdatatest/plogtest"
	"github.com/open-telemetry/opentelemetry-collector-contrib/pkg/pdatatest/pmetrictest"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"go.opentelemetry.io/collector/client"
	"go.opentelemetry.io/collector/component"
	"go.opentelemetry.io/collector/component/componenttest"
	"go.opentelemetry.io/collector/config/configauth"
	"go.opentelemetry.io/collector/config/confighttp"
	"go.opentelemetry.io/collector/config/configmiddleware"
	"go.opentelemetry.io/collector/config/configopaque"
	"go.opentelemetry.io/collector/config/configoptional"
	sdkmetric "go.opentelemetry.io/otel/sdk/metric"
	tracenoop "go.opentelemetry.io/otel/trace/noop"
)

// defaultLevelTelemetry is what a collector at the default metrics level without internal
// traces gives a component.
func defaultLevelTelemetry(t *testing.T) component.TelemetrySettings {
	tel := componenttest.NewTelemetry(componenttest.WithMetricOptions(sdkmetric.WithView(dropOtelhttpView)))
	t.Cleanup(func() { require.NoError(t, tel.Shutdown(context.Background())) })
	set := tel.NewTelemetrySettings()
	set.TracerProvider = tracenoop.NewTracerProvider()
	return set
}

// keepAllTelemetry keeps every metric and makes spans, as at the detailed level with
// internal traces exported.
func keepAllTelemetry(t *testing.T) component.TelemetrySettings {
	tel := componenttest.NewTelemetry()
	t.Cleanup(func() { require.NoError(t, tel.Shutdown(context.Background())) })
	return tel.NewTelemetrySettings()
}

func TestDirectRouteApplies(t *testing.T) {
	metricsKept := func(t *testing.T) component.TelemetrySettings {
		set := keepAllTelemetry(t)
		set.TracerProvider = tracenoop.NewTracerProvider()
		return set
	}
	spansMade := func(t *testing.T) component.TelemetrySettings {
		set := defaultLevelTelemetry(t)
		set.TracerProvider = keepAllTelemetry(t).TracerProvider
		return set
	}
	nop := func(*testing.T) component.TelemetrySettings { return componenttest.NewNopTelemetrySettings() }
	tests := []struct {
		name      string
		telemetry func(*testing.T) component.TelemetrySettings
		config    func(*Config)
		direct    bool
	}{
		{name: "telemetry level none", telemetry: nop, direct: true},
		{name: "default level, no internal traces", telemetry: defaultLevelTelemetry, direct: true},
		{name: "otelhttp metrics kept", telemetry: metricsKept},
		{name: "internal traces", telemetry: spansMade},
		{name: "everything kept", telemetry: keepAllTelemetry},
		{name: "auth", telemetry: nop, config: func(c *Config) {
			c.Auth = configoptional.Some(confighttp.AuthConfig{Config: configauth.Config{AuthenticatorID: component.MustNewID("basicauth")}})
		}},
		{name: "middlewares", telemetry: nop, config: func(c *Config) {
			c.Middlewares = []configmiddleware.Config{{ID: component.MustNewID("limiter")}}
		}},
		{name: "response headers", telemetry: nop, config: func(c *Config) {
			c.ResponseHeaders = configopaque.MapList{{Name: "X-Served-By", Value: "rum"}}
		}},
		{name: "include metadata", telemetry: nop, config: func(c *Config) { c.IncludeMetadata = true }},
		{name: "identity encoding not accepted", telemetry: nop, config: func(c *Config) { c.CompressionAlgorithms = []string{"gzip"} }},
		{name: "identity encoding accepted", telemetry: nop, direct: true, config: func(c *Config) { c.CompressionAlgorithms = []string{"", "gzip"} }},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			cfg := createDefaultConfig().(*Config)
			if tt.config != nil {
				tt.config(cfg)
			}
			d := newDirectRoute(&cfg.ServerConfig, tt.telemetry(t), http.NotFoundHandler())
			assert.Equal(t, tt.direct, d != nil)
		})
	}
}

func TestDirectRouteTakes(t *testing.T) {
	d := newDirectRoute(&createDefaultConfig().(*Config).ServerConfig, componenttest.NewNopTelemetrySettings(), http.NotFoundHandler())
	require.NotNil(t, d)
	req := func(method string, headers ...string) *http.Request {
		r := httptest.NewRequest(method, "/vitals", http.NoBody)
		for i := 0; i+1 < len(headers); i += 2 {
			r.Header.Set(headers[i], headers[i+1])
		}
		return r
	}
	assert.True(t, d.takes(req(http.MethodPost)))
	assert.True(t, d.takes(req(http.MethodPost, "Origin", "https://shop.example")))
	assert.False(t, d.takes(req(http.MethodPost, "Content-Encoding", "gzip")), "a compressed body needs confighttp's decompressor")
	assert.False(t, d.takes(req(http.MethodOptions, "Origin", "https://shop.example")), "a preflight is confighttp's CORS answer")
	assert.False(t, d.takes(req(http.MethodGet)))
	var none *directRoute
	assert.False(t, none.takes(req(http.MethodPost)))
}

// TestDirectRouteAnswersAlike sends the same requests to a receiver whose requests all go
// through confighttp and to one where they may take the direct route: the answers
// (status, headers, body), the data forwarded and the client it names are the same; with
// session_metadata also the session each call names.
func TestDirectRouteAnswersAlike(t *testing.T) {
	for _, sessions := range []bool{false, true} {
		name := "session_metadata off"
		if sessions {
			name = "session_metadata on"
		}
		t.Run(name, func(t *testing.T) { testDirectRouteAnswersAlike(t, sessions) })
	}
}

func testDirectRouteAnswersAlike(t *testing.T, sessions bool) {
	vitals := readBench(t, benchVitalsFile)
	const page = "https://shop.example"
	cases := []struct {
		name    string
		method  string
		path    string
		body    []byte
		headers []string
	}{
		{name: "beacon from an allowed page", method: http.MethodPost, path: "/vitals?session_id=s1", body: vitals, headers: []string{"Content-Type", "text/plain;charset=UTF-8", "Origin", page}},
		{name: "beacon without Origin", method: http.MethodPost, path: "/vitals?session_id=s1", body: vitals, headers: []string{"Content-Type", "text/plain"}},
		{name: "beacon from another page", method: http.MethodPost, path: "/vitals", body: vitals, headers: []string{"Origin", "https://evil.example"}},
		{name: "gzip beacon", method: http.MethodPost, path: "/vitals", body: gzipBytes(t, vitals), headers: []string{"Content-Encoding", "gzip", "Origin", page}},
		{name: "preflight", method: http.MethodOptions, path: "/collect", headers: []string{"Origin", page, "Access-Control-Request-Method", "POST", "Access-Control-Request-Headers", "content-type,x-faro-session-id"}},
		{name: "GET", method: http.MethodGet, path: "/vitals", headers: []string{"Origin", page}},
		{name: "too large", method: http.MethodPost, path: "/vitals", body: bytes.Repeat([]byte(" "), 2<<20), headers: []string{"Origin", page}},
		{name: "unsupported media type", method: http.MethodPost, path: "/vitals", body: vitals, headers: []string{"Content-Type", "image/png", "Origin", page}},
		{name: "malformed", method: http.MethodPost, path: "/vitals", body: []byte(`{"name":`), headers: []string{"Origin", page}},
		{name: "unknown path", method: http.MethodPost, path: "/nowhere", body: vitals},
	}
	withSessions := withConfig(func(c *Config) { c.SessionMetadata.Enabled = sessions })
	full := startHarness(t, withAllowedOrigins(page), withSessions)
	direct := startHarness(t, withAllowedOrigins(page), withDefaultTelemetryLevel(), withSessions)
	require.Nil(t, full.rcv.direct, "componenttest keeps otelhttp's metrics and spans")
	require.NotNil(t, direct.rcv.direct)
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			want := full.do(c.method, c.path, c.body, c.headers...)
			got := direct.do(c.method, c.path, c.body, c.headers...)
			assert.Equal(t, want.StatusCode, got.StatusCode)
			want.Header.Del("Date")
			got.Header.Del("Date")
			assert.Equal(t, want.Header, got.Header)
			wantBody, err := io.ReadAll(want.Body)
			require.NoError(t, err)
			gotBody, err := io.ReadAll(got.Body)
			require.NoError(t, err)
			assert.Equal(t, string(wantBody), string(gotBody))
		})
	}
	// The same requests forward the same data: record by record, only the times may
	// differ, since a beacon has none and takes the time the receiver read it.
	wantLogs, gotLogs := full.logs.AllLogs(), direct.logs.AllLogs()
	require.Len(t, gotLogs, len(wantLogs))
	require.NotEmpty(t, gotLogs)
	for i := range wantLogs {
		assert.NoError(t, plogtest.CompareLogs(wantLogs[i], gotLogs[i], plogtest.IgnoreObservedTimestamp(), plogtest.IgnoreTimestamp()))
	}
	wantMetrics, gotMetrics := full.metrics.AllMetrics(), direct.metrics.AllMetrics()
	require.Len(t, gotMetrics, len(wantMetrics))
	for i := range wantMetrics {
		assert.NoError(t, pmetrictest.CompareMetrics(wantMetrics[i], gotMetrics[i], pmetrictest.IgnoreTimestamp(), pmetrictest.IgnoreStartTimestamp()))
	}
	require.NotEmpty(t, direct.logs.Contexts())
	for _, ctx := range direct.logs.Contexts() {
		addr := client.FromContext(ctx).Addr
		require.NotNil(t, addr, "the direct route names the client as confighttp does")
		assert.Equal(t, "127.0.0.1", addr.String())
	}
	for _, ctxs := range [][2][]context.Context{{full.logs.Contexts(), direct.logs.Contexts()}, {full.metrics.Contexts(), direct.metrics.Contexts()}} {
		keys := sessionKeys(ctxs[1])
		assert.Equal(t, sessionKeys(ctxs[0]), keys, "both routes name the same sessions")
		for _, key := range keys {
			if sessions {
				assert.NotEmpty(t, key, "every call names its session")
			} else {
				assert.Empty(t, key)
			}
		}
	}
}

// TestDirectRouteKeepsTelemetry: the receiver's own and obsreport's metrics are recorded on
// the direct route, and otelhttp's where the level keeps them.
func TestDirectRouteKeepsTelemetry(t *testing.T) {
	vitals := readBench(t, benchVitalsFile)
	for _, tt := range []struct {
		name       string
		opts       []harnessOption
		httpMetric bool
	}{
		{name: "default level", opts: []harnessOption{withDefaultTelemetryLevel()}},
		{name: "everything kept", httpMetric: true},
	} {
		t.Run(tt.name, func(t *testing.T) {
			h := startHarness(t, tt.opts...)
			resp := h.post("/vitals?session_id=s1", vitals, "Content-Type", "text/plain")
			require.Equal(t, http.StatusAccepted, resp.StatusCode)
			for _, name := range []string{"otelcol_receiver_rum_requests", "otelcol_receiver_accepted_log_records", "otelcol_receiver_accepted_metric_points"} {
				_, err := h.tel.GetMetric(name)
				assert.NoError(t, err, name)
			}
			_, err := h.tel.GetMetric("http.server.request.duration")
			if tt.httpMetric {
				assert.NoError(t, err)
			} else {
				assert.Error(t, err, "dropped by the view")
			}
		})
	}
}
