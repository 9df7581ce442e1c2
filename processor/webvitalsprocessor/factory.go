// Copyright The otelcol-rum Authors
// SPDX-License-Identifier: Apache-2.0

package webvitalsprocessor // import "github.com/otelcol-rum/otelcol-rum/processor/webvitalsprocessor"

import (
	"context"

	"go.opentelemetry.io/collector/component"
	"go.opentelemetry.io/collector/consumer"
	"go.opentelemetry.io/collector/processor"
	"go.opentelemetry.io/collector/processor/processorhelper"

	"github.com/otelcol-rum/otelcol-rum/internal/sharedcomponent"
	"github.com/otelcol-rum/otelcol-rum/internal/webvitals/engine"
	"github.com/otelcol-rum/otelcol-rum/processor/webvitalsprocessor/internal/metadata"
)

// NewFactory creates the webvitals processor factory.
func NewFactory() processor.Factory {
	return processor.NewFactory(
		metadata.Type,
		createDefaultConfig,
		processor.WithMetrics(createMetrics, metadata.MetricsStability),
		processor.WithLogs(createLogs, metadata.LogsStability),
		processor.WithTraces(createTraces, metadata.TracesStability),
	)
}

func createDefaultConfig() component.Config {
	return &Config{
		AggregationConfig: engine.NewDefaultAggregationConfig(),
		KeepMeasurements:  defaultKeepMeasurements,
	}
}

// processors holds one processor per configuration: the metrics and logs pipelines that
// name the same webvitals processor share its routes.
var processors = sharedcomponent.NewMap[*Config, *webvitalsProcessor]()

func sharedProcessor(set processor.Settings, cfg component.Config) (*sharedcomponent.Component[*webvitalsProcessor], error) {
	pCfg := cfg.(*Config)
	return processors.LoadOrStore(pCfg, func() (*webvitalsProcessor, error) { return newWebvitalsProcessor(pCfg, set) })
}

func createMetrics(ctx context.Context, set processor.Settings, cfg component.Config, next consumer.Metrics) (processor.Metrics, error) {
	shared, err := sharedProcessor(set, cfg)
	if err != nil {
		return nil, err
	}
	// The histograms go down the metrics pipeline, after this processor; the last ones
	// are sent when this pipeline shuts down, while it still runs.
	inner := shared.Unwrap()
	inner.SetMetricsConsumer(next)
	return processorhelper.NewMetrics(ctx, set, cfg, next, inner.processMetrics,
		processorhelper.WithCapabilities(consumer.Capabilities{MutatesData: true}),
		processorhelper.WithStart(shared.Start), processorhelper.WithShutdown(shared.ShutdownEmitting))
}

func createLogs(ctx context.Context, set processor.Settings, cfg component.Config, next consumer.Logs) (processor.Logs, error) {
	shared, err := sharedProcessor(set, cfg)
	if err != nil {
		return nil, err
	}
	return processorhelper.NewLogs(ctx, set, cfg, next, shared.Unwrap().processLogs,
		processorhelper.WithCapabilities(consumer.Capabilities{MutatesData: true}),
		processorhelper.WithStart(shared.Start), processorhelper.WithShutdown(shared.Shutdown))
}

func createTraces(ctx context.Context, set processor.Settings, cfg component.Config, next consumer.Traces) (processor.Traces, error) {
	shared, err := sharedProcessor(set, cfg)
	if err != nil {
		return nil, err
	}
	return processorhelper.NewTraces(ctx, set, cfg, next, shared.Unwrap().processTraces,
		processorhelper.WithCapabilities(consumer.Capabilities{MutatesData: true}),
		processorhelper.WithStart(shared.Start), processorhelper.WithShutdown(shared.Shutdown))
}
