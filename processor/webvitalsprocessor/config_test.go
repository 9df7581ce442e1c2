package webvitalsprocessor

import (
	"path/filepath"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"go.opentelemetry.io/collector/component"
	"go.opentelemetry.io/collector/confmap/confmaptest"
	"go.opentelemetry.io/collector/confmap/xconfmap"

	"github.com/otelcol-rum/otelcol-rum/processor/webvitalsprocessor/internal/metadata"
)

func TestLoadConfig(t *testing.T) {
	cm, err := confmaptest.LoadConf(filepath.Join("testdata", "config.yaml"))
	require.NoError(t, err)
	cfg := createDefaultConfig()
	sub, err := cm.Sub(component.NewIDWithName(metadata.Type, "full").String())
	require.NoError(t, err)
	require.NoError(t, sub.Unmarshal(cfg))
	require.NoError(t, xconfmap.Validate(cfg))
	assert.Equal(t, &Config{
		EmitInterval: 30 * time.Second, MeasurementHold: 5 * time.Second, SeriesTTL: 2 * time.Hour,
		Routes: []string{"/product/{id}", "/docs/*"}, MaxRoutesPerService: 50, OverflowRoute: "other",
		KeepMeasurements: true, MaxPending: 1000, MaxRemembered: 5000, RememberFor: 10 * time.Minute,
	}, cfg)
}

func TestValidateNamesTheKey(t *testing.T) {
	cases := map[string]struct {
		mutate func(*Config)
		want   string
	}{
		"emit":     {func(c *Config) { c.EmitInterval = 0 }, "invalid emit_interval: must be positive"},
		"hold":     {func(c *Config) { c.MeasurementHold = 0 }, "invalid measurement_hold: must be positive"},
		"ttl":      {func(c *Config) { c.SeriesTTL = time.Second }, "invalid series_ttl: must not be shorter than emit_interval"},
		"routes":   {func(c *Config) { c.MaxRoutesPerService = 0 }, "invalid max_routes_per_service: must be positive"},
		"overflow": {func(c *Config) { c.OverflowRoute = "" }, "invalid overflow_route: must not be empty"},
		"pattern":  {func(c *Config) { c.Routes = []string{"/ok", "/a/{"} }, "invalid routes[1]:"},
		"pending":  {func(c *Config) { c.MaxPending = 0 }, "invalid max_pending: must be positive"},
	}
	for name, tc := range cases {
		t.Run(name, func(t *testing.T) {
			cfg := createDefaultConfig().(*Config)
			require.NoError(t, cfg.Validate())
			tc.mutate(cfg)
			assert.ErrorContains(t, cfg.Validate(), tc.want)
		})
	}
}
