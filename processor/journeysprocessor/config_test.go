// Copyright The otelcol-rum Authors
// SPDX-License-Identifier: Apache-2.0

package journeysprocessor

import (
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"go.opentelemetry.io/collector/component"

	"github.com/otelcol-rum/otelcol-rum/internal/dimensions"
	"github.com/otelcol-rum/otelcol-rum/internal/webvitals/configtest"
	"github.com/otelcol-rum/otelcol-rum/processor/journeysprocessor/internal/metadata"
)

// TestLoadConfig: testdata/config.yaml sets every option.
func TestLoadConfig(t *testing.T) {
	configtest.AssertLoads(t, createDefaultConfig, map[component.ID]component.Config{
		component.NewID(metadata.Type): createDefaultConfig(),
		component.NewIDWithName(metadata.Type, "full"): &Config{
			EmitInterval: 30 * time.Second, SeriesTTL: 2 * time.Hour,
			Routes: []string{"/product/{id}", "/docs/*"}, MaxRoutesPerService: 50, OverflowRoute: "other",
			MaxTransitionsPerService: 100, MaxActionNamesPerService: 20, MaxSeries: 500,
			Dimensions: []dimensions.Dimension{{Name: "user_agent.name", MaxValues: 20}, {Name: "rum.device.type", MaxValues: 10}},
		},
	})
}

// TestValidateNamesTheKey sets a refused value of each option over the defaults: the
// collector's validation reports exactly one error, which names the YAML key. Every
// option with a rule has a refused value here.
func TestValidateNamesTheKey(t *testing.T) {
	tested := configtest.AssertRefusals(t, createDefaultConfig, append([]configtest.Refusal{
		{Name: "emit_interval", Options: map[string]any{"emit_interval": "-1s"}, Err: "invalid emit_interval: must be positive"},
		{Name: "series_ttl", Options: map[string]any{"series_ttl": "0s"}, Err: "invalid series_ttl: must be positive"},
		{Name: "series_ttl below emit_interval", Options: map[string]any{"emit_interval": "1m", "series_ttl": "30s"}, Err: "invalid series_ttl: must not be shorter than emit_interval"},
		{Name: "routes", Options: map[string]any{"routes": []any{"/ok", "/a/{"}}, Err: `invalid routes[1]: invalid route pattern "/a/{": unclosed "{"`},
		{Name: "max_routes_per_service", Options: map[string]any{"max_routes_per_service": 0}, Err: "invalid max_routes_per_service: must be positive"},
		{Name: "overflow_route empty", Options: map[string]any{"overflow_route": ""}, Err: "invalid overflow_route: must not be empty"},
		{Name: "overflow_route a path", Options: map[string]any{"overflow_route": "/other"}, Err: `invalid overflow_route: must not start with "/", it could be mistaken for a route`},
		{Name: "max_transitions_per_service", Options: map[string]any{"max_transitions_per_service": 0}, Err: "invalid max_transitions_per_service: must be positive"},
		{Name: "max_action_names_per_service", Options: map[string]any{"max_action_names_per_service": -1}, Err: "invalid max_action_names_per_service: must be positive"},
		{Name: "max_series", Options: map[string]any{"max_series": -5}, Err: "invalid max_series: must be positive"},
	}, configtest.DimensionRefusals...))
	for _, key := range configtest.Keys(t, createDefaultConfig()) {
		assert.True(t, tested[key], "no refused value of %s", key)
	}
}

func TestREADMEDocumentsEveryOption(t *testing.T) {
	configtest.AssertREADMEOptions(t, "processors", metadata.Type, createDefaultConfig)
}
