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

// cores holds one state per configuration: the metrics and logs pipelines that name the
// same webvitals processor share its routes.
var cores = sharedcomponent.NewMap[*Config, *core]()

func sharedCore(set processor.Settings, cfg component.Config) (*sharedcomponent.Component[*core], error) {
	pCfg := cfg.(*Config)
	return cores.LoadOrStore(pCfg, func() (*core, error) { return newCore(pCfg, set) })
}

func createMetrics(ctx context.Context, set processor.Settings, cfg component.Config, next consumer.Metrics) (processor.Metrics, error) {
	c, err := sharedCore(set, cfg)
	if err != nil {
		return nil, err
	}
	// The histograms go down the metrics pipeline, after this processor; the last ones
	// are sent when this pipeline shuts down, while it still runs.
	inner := c.Unwrap()
	inner.SetMetricsConsumer(next)
	return processorhelper.NewMetrics(ctx, set, cfg, next, inner.processMetrics,
		processorhelper.WithCapabilities(consumer.Capabilities{MutatesData: true}),
		processorhelper.WithStart(c.Start), processorhelper.WithShutdown(c.ShutdownEmitting))
}

func createLogs(ctx context.Context, set processor.Settings, cfg component.Config, next consumer.Logs) (processor.Logs, error) {
	c, err := sharedCore(set, cfg)
	if err != nil {
		return nil, err
	}
	return processorhelper.NewLogs(ctx, set, cfg, next, c.Unwrap().processLogs,
		processorhelper.WithCapabilities(consumer.Capabilities{MutatesData: true}),
		processorhelper.WithStart(c.Start), processorhelper.WithShutdown(c.Shutdown))
}

func createTraces(ctx context.Context, set processor.Settings, cfg component.Config, next consumer.Traces) (processor.Traces, error) {
	c, err := sharedCore(set, cfg)
	if err != nil {
		return nil, err
	}
	return processorhelper.NewTraces(ctx, set, cfg, next, c.Unwrap().processTraces,
		processorhelper.WithCapabilities(consumer.Capabilities{MutatesData: true}),
		processorhelper.WithStart(c.Start), processorhelper.WithShutdown(c.Shutdown))
}
