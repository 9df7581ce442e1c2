// Copyright The otelcol-rum Authors
// SPDX-License-Identifier: Apache-2.0

package jserrorsprocessor // import "github.com/otelcol-rum/otelcol-rum/processor/jserrorsprocessor"

import (
	"context"

	"go.opentelemetry.io/collector/component"
	"go.opentelemetry.io/collector/consumer"
	"go.opentelemetry.io/collector/processor"
	"go.opentelemetry.io/collector/processor/processorhelper"

	"github.com/otelcol-rum/otelcol-rum/internal/dimensions"
	"github.com/otelcol-rum/otelcol-rum/internal/sharedcomponent"
	"github.com/otelcol-rum/otelcol-rum/internal/sourcemaps"
	"github.com/otelcol-rum/otelcol-rum/processor/jserrorsprocessor/internal/metadata"
)

// NewFactory creates the jserrors processor factory.
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
		Sourcemaps:          sourcemaps.NewDefaultConfig(),
		Timeout:             defaultTimeout,
		LibraryPattern:      defaultLibraryPattern,
		GroupFrames:         defaultGroupFrames,
		EmitInterval:        defaultEmitInterval,
		SeriesTTL:           defaultSeriesTTL,
		MaxRoutesPerService: defaultMaxRoutesPerService,
		OverflowRoute:       defaultOverflowRoute,
		MaxSeries:           defaultMaxSeries,
		Dimensions:          dimensions.Defaults(),
	}
}

// processors holds one processor per configuration: the pipelines that name the same
// jserrors processor share its counter, its routes and its source map cache.
var processors = sharedcomponent.NewMap[*Config, *jserrorsProcessor]()

func sharedProcessor(set processor.Settings, cfg component.Config) (*sharedcomponent.Component[*jserrorsProcessor], error) {
	pCfg := cfg.(*Config)
	return processors.LoadOrStore(pCfg, func() (*jserrorsProcessor, error) {
		return newJSErrorsProcessor(pCfg, set, func(obs sourcemaps.Observer) (parts, error) { return newParts(pCfg, set, obs) })
	})
}

// options are the processorhelper options of one pipeline's instance: the shared
// processor starts once, stops with shutdown, and changes the data only where it writes
// attributes (logs and traces).
func options(shared *sharedcomponent.Component[*jserrorsProcessor], shutdown component.ShutdownFunc, mutates bool) []processorhelper.Option {
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
	return processorhelper.NewTraces(ctx, set, cfg, next, shared.Unwrap().processTraces, options(shared, shared.Shutdown, true)...)
}

func createMetrics(ctx context.Context, set processor.Settings, cfg component.Config, next consumer.Metrics) (processor.Metrics, error) {
	shared, err := sharedProcessor(set, cfg)
	if err != nil {
		return nil, err
	}
	// The counter goes down the metrics pipeline, after this processor; its last values
	// are sent when this pipeline shuts down, while the pipeline still runs.
	inner := shared.Unwrap()
	inner.SetMetricsConsumer(next)
	return processorhelper.NewMetrics(ctx, set, cfg, next, inner.processMetrics, options(shared, shared.ShutdownEmitting, false)...)
}
