// Copyright The otelcol-rum Authors
// SPDX-License-Identifier: Apache-2.0

package journeysprocessor // import "github.com/otelcol-rum/otelcol-rum/processor/journeysprocessor"

import (
	"context"

	"go.opentelemetry.io/collector/component"
	"go.opentelemetry.io/collector/consumer"
	"go.opentelemetry.io/collector/processor"
	"go.opentelemetry.io/collector/processor/processorhelper"

	"github.com/otelcol-rum/otelcol-rum/internal/dimensions"
	"github.com/otelcol-rum/otelcol-rum/internal/sharedcomponent"
	"github.com/otelcol-rum/otelcol-rum/processor/journeysprocessor/internal/metadata"
)

// NewFactory creates the journeys processor factory.
func NewFactory() processor.Factory {
	return processor.NewFactory(
		metadata.Type,
		createDefaultConfig,
		processor.WithTraces(createTraces, metadata.TracesStability),
		processor.WithLogs(createLogs, metadata.LogsStability),
		processor.WithMetrics(createMetrics, metadata.MetricsStability),
	)
}

func createDefaultConfig() component.Config {
	return &Config{
		EmitInterval:             defaultEmitInterval,
		SeriesTTL:                defaultSeriesTTL,
		MaxRoutesPerService:      defaultMaxRoutesPerService,
		OverflowRoute:            defaultOverflowRoute,
		MaxTransitionsPerService: defaultMaxTransitionsPerService,
		MaxActionNamesPerService: defaultMaxActionNamesPerService,
		MaxSeries:                defaultMaxSeries,
		Dimensions:               dimensions.Defaults(),
	}
}

// processors holds one processor per configuration: the pipelines that name the same
// journeys processor share its counter and its routes.
var processors = sharedcomponent.NewMap[*Config, *journeysProcessor]()

func sharedProcessor(set processor.Settings, cfg component.Config) (*sharedcomponent.Component[*journeysProcessor], error) {
	pCfg := cfg.(*Config)
	return processors.LoadOrStore(pCfg, func() (*journeysProcessor, error) { return newJourneysProcessor(pCfg, set) })
}

// options are the processorhelper options of one pipeline's instance: the shared
// processor starts once and stops with shutdown; only the logs pipeline's data is
// changed (the route templates of rum.view events).
func options(shared *sharedcomponent.Component[*journeysProcessor], shutdown component.ShutdownFunc, mutates bool) []processorhelper.Option {
	return []processorhelper.Option{
		processorhelper.WithCapabilities(consumer.Capabilities{MutatesData: mutates}),
		processorhelper.WithStart(shared.Start), processorhelper.WithShutdown(shutdown),
	}
}

func createLogs(ctx context.Context, set processor.Settings, cfg component.Config, next consumer.Logs) (processor.Logs, error) {
	shared, err := sharedProcessor(set, cfg)
	if err != nil {
		return nil, err
	}
	return processorhelper.NewLogs(ctx, set, cfg, next, shared.Unwrap().processLogs, options(shared, shared.Shutdown, true)...)
}

func createTraces(ctx context.Context, set processor.Settings, cfg component.Config, next consumer.Traces) (processor.Traces, error) {
	shared, err := sharedProcessor(set, cfg)
	if err != nil {
		return nil, err
	}
	return processorhelper.NewTraces(ctx, set, cfg, next, shared.Unwrap().processTraces, options(shared, shared.Shutdown, false)...)
}

func createMetrics(ctx context.Context, set processor.Settings, cfg component.Config, next consumer.Metrics) (processor.Metrics, error) {
	shared, err := sharedProcessor(set, cfg)
	if err != nil {
		return nil, err
	}
	// The metrics go down the metrics pipeline, after this processor; their last values
	// are sent when this pipeline shuts down, while the pipeline still runs.
	inner := shared.Unwrap()
	inner.SetMetricsConsumer(next)
	return processorhelper.NewMetrics(ctx, set, cfg, next, inner.processMetrics, options(shared, shared.ShutdownEmitting, false)...)
}
