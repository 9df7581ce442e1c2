// Copyright The otelcol-rum Authors
// SPDX-License-Identifier: Apache-2.0

package webvitalsprocessor // import "github.com/otelcol-rum/otelcol-rum/processor/webvitalsprocessor"

import "github.com/otelcol-rum/otelcol-rum/internal/webvitals/engine"

// defaultKeepMeasurements: the histograms replace the raw points.
const defaultKeepMeasurements = false

// Config is the configuration of the webvitals processor.
type Config struct {
	// AggregationConfig holds the options shared with the webvitals connector, read at the
	// top level of this configuration: emit_interval, measurement_hold, series_ttl, routes,
	// max_routes_per_service, overflow_route, max_pending, max_remembered, remember_for.
	// engine.AggregationConfig documents each.
	// Default: engine.NewDefaultAggregationConfig()
	engine.AggregationConfig `mapstructure:",squash"`

	// KeepMeasurements forwards the raw browser.web_vital.<name>.measurement points as
	// well as counting them; otherwise the processor drops them.
	// Default: false
	KeepMeasurements bool `mapstructure:"keep_measurements"`

	// prevent unkeyed literal initialization
	_ struct{}
}

// Validate checks every option, each error naming its YAML key.
func (cfg *Config) Validate() error {
	// keep_measurements takes any boolean; the shared options have rules.
	return cfg.AggregationConfig.Check()
}
