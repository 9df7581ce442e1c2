// Copyright The otelcol-rum Authors
// SPDX-License-Identifier: Apache-2.0

package webvitalsconnector // import "github.com/otelcol-rum/otelcol-rum/connector/webvitalsconnector"

import "github.com/otelcol-rum/otelcol-rum/internal/webvitals/engine"

// Config is the configuration of the webvitals connector. It has the aggregation options
// of the webvitals processor and none of its own: the processor's keep_measurements would
// mean nothing here, since a connector never changes the pipelines it reads from, so the
// collector refuses it as an unknown key.
type Config struct {
	// AggregationConfig holds every option of the connector, read at the top level of its
	// configuration; engine.AggregationConfig documents each.
	// Default: engine.NewDefaultAggregationConfig()
	engine.AggregationConfig `mapstructure:",squash"`

	// prevent unkeyed literal initialization
	_ struct{}
}

// Validate checks every option, each error naming its YAML key.
func (cfg *Config) Validate() error {
	return cfg.AggregationConfig.Check()
}
