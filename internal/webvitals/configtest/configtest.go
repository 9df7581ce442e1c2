// Copyright The otelcol-rum Authors
// SPDX-License-Identifier: Apache-2.0

// Package configtest holds the configuration checks that the webvitals processor's and
// connector's tests share: both squash engine.AggregationConfig into their own Config, so
// both must refuse the same values with the same errors, and each README must document
// the options its Config has.
package configtest // import "github.com/otelcol-rum/otelcol-rum/internal/webvitals/configtest"

import (
	"maps"
	"path/filepath"
	"slices"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"go.opentelemetry.io/collector/component"
	"go.opentelemetry.io/collector/confmap"
	"go.opentelemetry.io/collector/confmap/confmaptest"
	"go.opentelemetry.io/collector/confmap/xconfmap"

	"github.com/otelcol-rum/otelcol-rum/internal/webvitals/engine"
)

// Load unmarshals the entry id of the package's testdata/config.yaml over cfg, as the
// collector does with a component's section: a key cfg does not have is an error.
func Load(t *testing.T, id component.ID, cfg component.Config) error {
	t.Helper()
	cm, err := confmaptest.LoadConf(filepath.Join("testdata", "config.yaml"))
	require.NoError(t, err)
	sub, err := cm.Sub(id.String())
	require.NoError(t, err)
	return sub.Unmarshal(cfg)
}

// AssertLoads loads each entry of testdata/config.yaml that want names over the
// component's defaults, and checks that it is valid and the configuration want holds.
func AssertLoads(t *testing.T, newConfig func() component.Config, want map[component.ID]component.Config) {
	t.Helper()
	for id, expected := range want {
		t.Run(id.String(), func(t *testing.T) {
			cfg := newConfig()
			require.NoError(t, Load(t, id, cfg))
			require.NoError(t, xconfmap.Validate(cfg))
			assert.Equal(t, expected, cfg)
		})
	}
}

// Refusal is a value of some options that the configuration refuses, and the error the
// collector reports for it.
type Refusal struct {
	Name string
	// Options are set over the defaults, as in a user's YAML.
	Options map[string]any
	Err     string
}

var refusals = []Refusal{
	{"emit_interval", map[string]any{"emit_interval": "0s"}, "invalid emit_interval: must be positive"},
	{"measurement_hold", map[string]any{"measurement_hold": "-1s"}, "invalid measurement_hold: must be positive"},
	{"series_ttl", map[string]any{"series_ttl": "0s"}, "invalid series_ttl: must be positive"},
	{"series_ttl below emit_interval", map[string]any{"emit_interval": "1m", "series_ttl": "30s"}, "invalid series_ttl: must not be shorter than emit_interval"},
	{"routes", map[string]any{"routes": []any{"/ok", "/a/{"}}, `invalid routes[1]: invalid route pattern "/a/{": unclosed "{"`},
	{"max_routes_per_service", map[string]any{"max_routes_per_service": 0}, "invalid max_routes_per_service: must be positive"},
	{"overflow_route empty", map[string]any{"overflow_route": ""}, "invalid overflow_route: must not be empty"},
	{"overflow_route a path", map[string]any{"overflow_route": "/other"}, `invalid overflow_route: must not start with "/", it could be mistaken for a route`},
	{"overflow_route not UTF-8", map[string]any{"overflow_route": "\xff"}, "invalid overflow_route: not valid UTF-8"},
	{"max_pending", map[string]any{"max_pending": -1}, "invalid max_pending: must be positive"},
	{"max_remembered", map[string]any{"max_remembered": 0}, "invalid max_remembered: must be positive"},
	{"remember_for", map[string]any{"remember_for": "0s"}, "invalid remember_for: must be positive"},
	{"max_series", map[string]any{"max_series": 0}, "invalid max_series: must be positive"},
	{"apdex load_threshold", map[string]any{"apdex": map[string]any{"load_threshold": "0s"}}, "invalid apdex.load_threshold: must be positive"},
	{"apdex lcp_threshold", map[string]any{"apdex": map[string]any{"lcp_threshold": "-1s"}}, "invalid apdex.lcp_threshold: must be positive"},
	{"apdex routes pattern", map[string]any{"apdex": map[string]any{"routes": []any{map[string]any{"pattern": "checkout"}}}}, `invalid apdex.routes[0].pattern: invalid route pattern "checkout": must start with "/"`},
	{"apdex routes threshold", map[string]any{"apdex": map[string]any{"routes": []any{map[string]any{"pattern": "/checkout", "load_threshold": "-1s"}}}}, "invalid apdex.routes[0].load_threshold: must not be negative"},
}

// DimensionRefusals are the refused values of the dimensions option, which the jserrors
// processor shares with the webvitals components.
var DimensionRefusals = []Refusal{
	{"dimensions max_values", map[string]any{"dimensions": []any{"os.name", map[string]any{"name": "user_agent.name", "max_values": 0}}}, "invalid dimensions[1].max_values: must be positive"},
	{"dimensions name", map[string]any{"dimensions": []any{map[string]any{"max_values": 5}}}, "invalid dimensions[0].name: must not be empty"},
	{"dimensions twice", map[string]any{"dimensions": []any{"os.name", "os.name"}}, `invalid dimensions[1].name: "os.name" is listed twice`},
	{"dimensions reserved", map[string]any{"dimensions": []any{"url.template"}}, `invalid dimensions[0].name: "url.template" is a label the component writes itself`},
	{"dimensions too many", map[string]any{"dimensions": []any{"a", "b", "c", "d", "e", "f", "g", "h", "i"}}, "invalid dimensions: at most 8 dimensions"},
}

// AssertValidateNamesTheKey sets a refused value of each shared option over the
// component's defaults and checks that the collector's validation reports exactly one
// error, which names the YAML key. It fails too if a shared option has no refused value
// here, so that a new option comes with its rule.
func AssertValidateNamesTheKey(t *testing.T, newConfig func() component.Config) {
	t.Helper()
	tested := AssertRefusals(t, newConfig, append(slices.Clone(refusals), DimensionRefusals...))
	shared := engine.NewDefaultAggregationConfig()
	for _, key := range Keys(t, &shared) {
		assert.True(t, tested[key], "no refused value of %s", key)
	}
}

// AssertRefusals checks that the defaults are valid, then sets each refusal's options
// over them and checks that the collector's validation reports exactly the refusal's
// error, which names the YAML key. It returns the top-level keys the refusals set, so that
// the caller can check that every option with a rule has one.
func AssertRefusals(t *testing.T, newConfig func() component.Config, refusals []Refusal) map[string]bool {
	t.Helper()
	require.NoError(t, xconfmap.Validate(newConfig()), "the defaults are valid")
	tested := map[string]bool{}
	for _, r := range refusals {
		t.Run(r.Name, func(t *testing.T) {
			cfg := newConfig()
			require.NoError(t, confmap.NewFromStringMap(r.Options).Unmarshal(cfg))
			assert.EqualError(t, xconfmap.Validate(cfg), r.Err)
		})
		for key := range r.Options {
			tested[key] = true
		}
	}
	return tested
}

// Keys returns the top-level YAML keys of cfg, sorted.
func Keys(t *testing.T, cfg any) []string {
	t.Helper()
	conf := confmap.New()
	require.NoError(t, conf.Marshal(cfg))
	return slices.Sorted(maps.Keys(conf.ToStringMap()))
}
