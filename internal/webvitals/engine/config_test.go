package engine

import (
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestValidateNamesTheKey: every rule of Validate, each error naming its YAML key.
func TestValidateNamesTheKey(t *testing.T) {
	cases := map[string]struct {
		mutate func(*Config)
		want   string
	}{
		"emit":          {func(c *Config) { c.EmitInterval = 0 }, "invalid emit_interval: must be positive"},
		"hold":          {func(c *Config) { c.MeasurementHold = 0 }, "invalid measurement_hold: must be positive"},
		"ttl":           {func(c *Config) { c.SeriesTTL = 0 }, "invalid series_ttl: must be positive"},
		"ttl short":     {func(c *Config) { c.SeriesTTL = time.Second }, "invalid series_ttl: must not be shorter than emit_interval"},
		"remember":      {func(c *Config) { c.RememberFor = -time.Second }, "invalid remember_for: must be positive"},
		"routes":        {func(c *Config) { c.MaxRoutesPerService = 0 }, "invalid max_routes_per_service: must be positive"},
		"overflow":      {func(c *Config) { c.OverflowRoute = "" }, "invalid overflow_route: must not be empty"},
		"overflow /":    {func(c *Config) { c.OverflowRoute = "/other" }, `invalid overflow_route: must not start with "/", it could be mistaken for a route`},
		"overflow utf8": {func(c *Config) { c.OverflowRoute = "\xff" }, "invalid overflow_route: not valid UTF-8"},
		"pattern":       {func(c *Config) { c.Routes = []string{"/ok", "/a/{"} }, "invalid routes[1]:"},
		"pending":       {func(c *Config) { c.MaxPending = 0 }, "invalid max_pending: must be positive"},
		"remembered":    {func(c *Config) { c.MaxRemembered = -1 }, "invalid max_remembered: must be positive"},
	}
	for name, tc := range cases {
		t.Run(name, func(t *testing.T) {
			cfg := DefaultConfig()
			require.NoError(t, cfg.Validate())
			tc.mutate(cfg)
			assert.ErrorContains(t, cfg.Validate(), tc.want)
		})
	}
}
