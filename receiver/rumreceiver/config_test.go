// Copyright The otelcol-rum Authors
// SPDX-License-Identifier: Apache-2.0

package rumreceiver

import (
	"path/filepath"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"go.opentelemetry.io/collector/component"
	"go.opentelemetry.io/collector/confmap/confmaptest"
	"go.opentelemetry.io/collector/confmap/xconfmap"

	"github.com/otelcol-rum/otelcol-rum/receiver/rumreceiver/internal/metadata"
)

func loadConfig(t *testing.T, name string) *Config {
	t.Helper()
	cm, err := confmaptest.LoadConf(filepath.Join("testdata", "config.yaml"))
	require.NoError(t, err)
	cfg := createDefaultConfig()
	sub, err := cm.Sub(component.NewIDWithName(metadata.Type, name).String())
	require.NoError(t, err)
	require.NoError(t, sub.Unmarshal(cfg))
	require.NoError(t, xconfmap.Validate(cfg))
	return cfg.(*Config)
}

func TestLoadDefaultConfig(t *testing.T) {
	cfg := loadConfig(t, "")
	assert.Equal(t, defaultEndpoint, cfg.NetAddr.Endpoint)
	assert.Equal(t, []string{"*"}, cfg.CORS.Get().AllowedOrigins)
	assert.Equal(t, defaultCORSAllowedHeaders, cfg.CORS.Get().AllowedHeaders)
	assert.Equal(t, []string{"Retry-After"}, cfg.CORS.Get().ExposedHeaders)
	assert.Empty(t, cfg.Apps)
	assert.False(t, cfg.Privacy.RecordClientAddress)
	assert.Equal(t, defaultReadHeaderTimeout, cfg.ReadHeaderTimeout)
	assert.Equal(t, defaultReadTimeout, cfg.ReadTimeout)
	assert.Equal(t, defaultWriteTimeout, cfg.WriteTimeout)
	assert.Equal(t, MinBodyRateConfig{BytesPerSecond: defaultMinBodyRate, GracePeriod: defaultMinBodyRateGrace}, cfg.MinBodyRate)
	assert.Equal(t, defaultMaxConcurrentRequests, cfg.MaxConcurrentRequests)
	assert.Equal(t, defaultDrainTimeout, cfg.DrainTimeout)
	assert.Equal(t, defaultMaxTimestampAge, cfg.MaxTimestampAge)
	assert.Empty(t, cfg.TrustedProxies, "trust no proxy unless told")
	assert.Empty(t, cfg.ClientAddressHeader)
	assert.False(t, cfg.SessionMetadata.Enabled, "a collector that keeps its sessions itself needs no key")
}

func TestLoadFullConfig(t *testing.T) {
	cfg := loadConfig(t, "full")
	assert.Equal(t, "0.0.0.0:12347", cfg.NetAddr.Endpoint)
	assert.Equal(t, int64(262144), cfg.MaxRequestBodySize)
	assert.Equal(t, []AppConfig{{Name: "shop-web", APIKey: "k-shop", Environment: "production"}}, cfg.Apps)
	assert.Equal(t, RateLimitConfig{PerApp: LimitConfig{Rate: 50, Burst: 100}, PerClient: LimitConfig{Rate: 2, Burst: 10}, MaxClients: 1000}, cfg.RateLimit)
	assert.Equal(t, []string{"10.0.0.0/8", "2001:db8::/32", "192.0.2.1"}, cfg.TrustedProxies)
	assert.Equal(t, "CF-Connecting-IP", cfg.ClientAddressHeader)
	assert.Equal(t, 10*time.Second, cfg.RetryAfter)
	assert.Equal(t, time.Minute, cfg.MaxClockSkew)
	assert.Equal(t, 48*time.Hour, cfg.MaxTimestampAge)
	assert.Equal(t, 64, cfg.MaxConcurrentRequests)
	assert.Equal(t, MinBodyRateConfig{BytesPerSecond: 512, GracePeriod: 2 * time.Second}, cfg.MinBodyRate)
	assert.Equal(t, 15*time.Second, cfg.DrainTimeout)
	assert.Equal(t, 20*time.Second, cfg.ReadTimeout)
	assert.Equal(t, PrivacyConfig{RecordClientAddress: true, UserAttributes: []string{"email"}}, cfg.Privacy)
	assert.Equal(t, SessionMetadataConfig{Enabled: true}, cfg.SessionMetadata)
	// The default CORS headers survive a config that only sets origins.
	assert.Equal(t, []string{"https://shop.example"}, cfg.CORS.Get().AllowedOrigins)
	assert.Equal(t, defaultCORSAllowedHeaders, cfg.CORS.Get().AllowedHeaders)
	assert.Equal(t, defaultCORSExposedHeaders, cfg.CORS.Get().ExposedHeaders)
}

func TestValidateNamesTheKey(t *testing.T) {
	cases := map[string]struct {
		mutate func(*Config)
		want   string
	}{
		"retry_after":             {func(c *Config) { c.RetryAfter = 0 }, "invalid retry_after: must be positive"},
		"max_clock_skew":          {func(c *Config) { c.MaxClockSkew = -time.Second }, "invalid max_clock_skew: must be positive"},
		"max_timestamp_age":       {func(c *Config) { c.MaxTimestampAge = 0 }, "invalid max_timestamp_age: must be positive"},
		"max_concurrent_requests": {func(c *Config) { c.MaxConcurrentRequests = 0 }, "invalid max_concurrent_requests: must be positive"},
		"min_body_rate rate":      {func(c *Config) { c.MinBodyRate.BytesPerSecond = -1 }, "invalid min_body_rate::bytes_per_second: must not be negative"},
		"min_body_rate grace":     {func(c *Config) { c.MinBodyRate.GracePeriod = 0 }, "invalid min_body_rate::grace_period: must be positive when bytes_per_second is set"},
		"drain_timeout":           {func(c *Config) { c.DrainTimeout = 0 }, "invalid drain_timeout: must be positive"},
		"write_timeout":           {func(c *Config) { c.WriteTimeout = c.ReadTimeout }, "invalid write_timeout: must be longer than read_timeout plus retry_after (35s), or 0"},
		"app name":                {func(c *Config) { c.Apps = []AppConfig{{APIKey: "k"}} }, "invalid apps[0]::name: must not be empty"},
		"app key":                 {func(c *Config) { c.Apps = []AppConfig{{Name: "a"}} }, "invalid apps[0]::api_key: must not be empty"},
		"duplicate key":           {func(c *Config) { c.Apps = []AppConfig{{Name: "a", APIKey: "k"}, {Name: "b", APIKey: "k"}} }, `invalid apps[1]::api_key: already used by app "a"`},
		"negative rate":           {func(c *Config) { c.RateLimit.PerApp.Rate = -1 }, "invalid rate_limit::per_app::rate: must not be negative"},
		"burst":                   {func(c *Config) { c.RateLimit.PerClient.Burst = 0 }, "invalid rate_limit::per_client::burst: must be positive when rate is set"},
		"max_clients":             {func(c *Config) { c.RateLimit.MaxClients = 0 }, "invalid rate_limit::max_clients: must be positive when rate_limit::per_client is set"},
		"user_attributes":         {func(c *Config) { c.Privacy.UserAttributes = []string{"ssn"} }, `invalid privacy::user_attributes: "ssn" is not one of`},
		"trusted_proxies": {func(c *Config) { c.TrustedProxies = []string{"10.0.0.0/8", "::1", "10.0.0.300/8"} },
			`invalid trusted_proxies[2]: "10.0.0.300/8" is not a CIDR prefix`},
		"trusted_proxies name": {func(c *Config) { c.TrustedProxies = []string{"lb.internal"} },
			`invalid trusted_proxies[0]: "lb.internal" is neither an IP address nor a CIDR prefix`},
		"client_address_header": {func(c *Config) { c.TrustedProxies = []string{"10.0.0.1"}; c.ClientAddressHeader = "Client IP" },
			`invalid client_address_header: "Client IP" is not a header name`},
		"client_address_header without proxies": {func(c *Config) { c.ClientAddressHeader = "CF-Connecting-IP" },
			"invalid client_address_header: set trusted_proxies too"},
	}
	cfg := createDefaultConfig().(*Config)
	cfg.MinBodyRate = MinBodyRateConfig{}
	require.NoError(t, cfg.Validate(), "a rate of 0 disables the check and needs no grace period")
	cfg = createDefaultConfig().(*Config)
	cfg.WriteTimeout = 0
	require.NoError(t, cfg.Validate(), "no write_timeout cuts no answer off")
	for name, tc := range cases {
		t.Run(name, func(t *testing.T) {
			cfg := createDefaultConfig().(*Config)
			require.NoError(t, cfg.Validate())
			tc.mutate(cfg)
			err := cfg.Validate()
			require.Error(t, err)
			assert.Contains(t, err.Error(), tc.want)
		})
	}
}
