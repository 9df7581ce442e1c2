// Copyright The otelcol-rum Authors
// SPDX-License-Identifier: Apache-2.0

package jserrorsprocessor

import (
	"maps"
	"slices"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"go.opentelemetry.io/collector/component"
	"go.opentelemetry.io/collector/confmap"
	"go.opentelemetry.io/collector/confmap/xconfmap"

	"github.com/otelcol-rum/otelcol-rum/internal/sourcemaps"
	"github.com/otelcol-rum/otelcol-rum/internal/webvitals/configtest"
	"github.com/otelcol-rum/otelcol-rum/processor/jserrorsprocessor/internal/metadata"
)

// TestLoadConfig: testdata/config.yaml sets every option.
func TestLoadConfig(t *testing.T) {
	configtest.AssertLoads(t, createDefaultConfig, map[component.ID]component.Config{
		component.NewID(metadata.Type): createDefaultConfig(),
		component.NewIDWithName(metadata.Type, "full"): &Config{
			Sourcemaps: fullSourcemaps(),
			Timeout:    250 * time.Millisecond, LibraryPattern: "node_modules|/static/lib/", GroupFrames: 3,
			EmitInterval: 30 * time.Second, SeriesTTL: 2 * time.Hour,
			Routes: []string{"/product/{id}", "/docs/*"}, MaxRoutesPerService: 50, OverflowRoute: "other",
			MaxSeries: 500,
		},
	})
}

// TestValidateNamesTheKey sets a refused value of each option over the defaults: the
// collector's validation reports exactly one error, which names the YAML key. Every
// option with a rule has a refused value here.
func TestValidateNamesTheKey(t *testing.T) {
	require.NoError(t, xconfmap.Validate(createDefaultConfig()), "the defaults are valid")
	refusals := []struct {
		name    string
		options map[string]any
		err     string
	}{
		{"timeout", map[string]any{"timeout": "0s"}, "invalid timeout: must be positive"},
		{"library_pattern", map[string]any{"library_pattern": "node_modules|("}, "invalid library_pattern: error parsing regexp: missing closing ): `node_modules|(`"},
		{"group_frames", map[string]any{"group_frames": -1}, "invalid group_frames: must not be negative"},
		{"sourcemaps", map[string]any{"sourcemaps": map[string]any{"cache": map[string]any{"max_bytes": 0}}}, "sourcemaps: invalid cache.max_bytes: must be positive"},
		{"emit_interval", map[string]any{"emit_interval": "-1s"}, "invalid emit_interval: must be positive"},
		{"series_ttl", map[string]any{"series_ttl": "0s"}, "invalid series_ttl: must be positive"},
		{"series_ttl below emit_interval", map[string]any{"emit_interval": "1m", "series_ttl": "30s"}, "invalid series_ttl: must not be shorter than emit_interval"},
		{"routes", map[string]any{"routes": []any{"/ok", "/a/{"}}, `invalid routes[1]: invalid route pattern "/a/{": unclosed "{"`},
		{"max_routes_per_service", map[string]any{"max_routes_per_service": 0}, "invalid max_routes_per_service: must be positive"},
		{"overflow_route empty", map[string]any{"overflow_route": ""}, "invalid overflow_route: must not be empty"},
		{"overflow_route a path", map[string]any{"overflow_route": "/other"}, `invalid overflow_route: must not start with "/", it could be mistaken for a route`},
		{"max_series", map[string]any{"max_series": -5}, "invalid max_series: must be positive"},
	}
	tested := map[string]bool{}
	for _, r := range refusals {
		t.Run(r.name, func(t *testing.T) {
			cfg := createDefaultConfig()
			require.NoError(t, confmap.NewFromStringMap(r.options).Unmarshal(cfg))
			assert.EqualError(t, xconfmap.Validate(cfg), r.err)
		})
		for key := range r.options {
			tested[key] = true
		}
	}
	conf := confmap.New()
	require.NoError(t, conf.Marshal(createDefaultConfig()))
	for _, key := range slices.Sorted(maps.Keys(conf.ToStringMap())) {
		assert.True(t, tested[key], "no refused value of %s", key)
	}
}

func TestREADMEDocumentsEveryOption(t *testing.T) {
	configtest.AssertREADMEOptions(t, "processors", metadata.Type, createDefaultConfig)
}

// fullSourcemaps is the sourcemaps block of testdata/config.yaml, every option set.
func fullSourcemaps() sourcemaps.Config {
	sm := sourcemaps.NewDefaultConfig()
	sm.Directory = "/var/lib/otelcol-rum/sourcemaps"
	sm.BaseURL = "https://artifacts.internal.example/sourcemaps"
	sm.Download.Enabled = true
	sm.Download.AllowedOrigins = []string{"https://shop.example", "https://cdn.shop.example"}
	sm.Download.MaxScriptSize = 4 << 20
	sm.FetchTimeout = 3 * time.Second
	sm.MaxMapSize = 16 << 20
	sm.MaxConcurrentLoads = 8
	sm.Cache.MaxBytes = 128 << 20
	sm.Cache.TTL = 30 * time.Minute
	sm.Cache.NegativeTTL = 2 * time.Minute
	sm.Cache.NegativeMaxEntries = 5000
	return sm
}
