// Copyright The otelcol-rum Authors
// SPDX-License-Identifier: Apache-2.0

package webvitalsconnector // import "github.com/otelcol-rum/otelcol-rum/connector/webvitalsconnector"

import (
	"context"

	"go.opentelemetry.io/collector/component"
	"go.opentelemetry.io/collector/connector"
	"go.opentelemetry.io/collector/consumer"

	"github.com/otelcol-rum/otelcol-rum/connector/webvitalsconnector/internal/metadata"
	"github.com/otelcol-rum/otelcol-rum/internal/sharedcomponent"
	"github.com/otelcol-rum/otelcol-rum/internal/webvitals/engine"
)

// NewFactory creates the webvitals connector factory.
func NewFactory() connector.Factory {
	return connector.NewFactory(
		metadata.Type,
		createDefaultConfig,
		connector.WithLogsToMetrics(createLogsToMetrics, metadata.LogsToMetricsStability),
		connector.WithTracesToMetrics(createTracesToMetrics, metadata.TracesToMetricsStability),
	)
}

func createDefaultConfig() component.Config {
	return &Config{AggregationConfig: engine.NewDefaultAggregationConfig()}
}

// engines holds one state per configuration: the logs→metrics and traces→metrics
// instances of one connector ID feed the same histograms.
var engines = sharedcomponent.NewMap[*Config, *engine.Engine]()

func shared(set connector.Settings, cfg component.Config, next consumer.Metrics) (connectorBase, error) {
	cCfg := cfg.(*Config)
	c, err := engines.LoadOrStore(cCfg, func() (*engine.Engine, error) { return newEngine(cCfg, set) })
	if err != nil {
		return connectorBase{}, err
	}
	c.Unwrap().SetMetricsConsumer(next)
	return connectorBase{shared: c}, nil
}

func createLogsToMetrics(_ context.Context, set connector.Settings, cfg component.Config, next consumer.Metrics) (connector.Logs, error) {
	base, err := shared(set, cfg, next)
	if err != nil {
		return nil, err
	}
	return logsToMetrics{base}, nil
}

func createTracesToMetrics(_ context.Context, set connector.Settings, cfg component.Config, next consumer.Metrics) (connector.Traces, error) {
	base, err := shared(set, cfg, next)
	if err != nil {
		return nil, err
	}
	return tracesToMetrics{base}, nil
}
