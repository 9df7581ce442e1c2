package sessionprocessor // import "github.com/otelcol-rum/otelcol-rum/processor/sessionprocessor"

import (
	"context"

	"go.opentelemetry.io/collector/component"
	"go.opentelemetry.io/collector/consumer"
	"go.opentelemetry.io/collector/processor"
	"go.opentelemetry.io/collector/processor/processorhelper"

	"github.com/otelcol-rum/otelcol-rum/internal/sharedcomponent"
	"github.com/otelcol-rum/otelcol-rum/processor/sessionprocessor/internal/metadata"
)

// NewFactory creates the session processor factory.
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
		InactivityTimeout:  defaultInactivityTimeout,
		MaxDuration:        defaultMaxDuration,
		MaxSessions:        defaultMaxSessions,
		CheckInterval:      defaultCheckInterval,
		UnknownSessions:    UnknownPass,
		SamplingPercentage: defaultSamplingPercentage,
		CheckpointInterval: defaultCheckpointInterval,
		SnapshotInterval:   defaultSnapshotInterval,
	}
}

// cores holds one session state per configuration, so that the traces, logs and metrics
// pipelines that name the same session processor share it: a navigation seen in the logs
// pipeline is known when its vital arrives in the metrics pipeline.
var cores = sharedcomponent.NewMap[*Config, *core]()

func sharedCore(set processor.Settings, cfg component.Config) (*sharedcomponent.Component[*core], error) {
	pCfg := cfg.(*Config)
	return cores.LoadOrStore(pCfg, func() (*core, error) { return newCore(pCfg, set) })
}

var mutates = processorhelper.WithCapabilities(consumer.Capabilities{MutatesData: true})

func createTraces(ctx context.Context, set processor.Settings, cfg component.Config, next consumer.Traces) (processor.Traces, error) {
	c, err := sharedCore(set, cfg)
	if err != nil {
		return nil, err
	}
	return processorhelper.NewTraces(ctx, set, cfg, next, c.Unwrap().processTraces, mutates,
		processorhelper.WithStart(c.Start), processorhelper.WithShutdown(c.Shutdown))
}

func createLogs(ctx context.Context, set processor.Settings, cfg component.Config, next consumer.Logs) (processor.Logs, error) {
	c, err := sharedCore(set, cfg)
	if err != nil {
		return nil, err
	}
	// Lifecycle events go down the logs pipeline, after this processor; so the final
	// session.end events go out when this pipeline shuts down, while it still runs.
	inner := c.Unwrap()
	inner.setEventConsumer(next)
	return processorhelper.NewLogs(ctx, set, cfg, next, inner.processLogs, mutates,
		processorhelper.WithStart(c.Start), processorhelper.WithShutdown(c.ShutdownEmitting))
}

func createMetrics(ctx context.Context, set processor.Settings, cfg component.Config, next consumer.Metrics) (processor.Metrics, error) {
	c, err := sharedCore(set, cfg)
	if err != nil {
		return nil, err
	}
	return processorhelper.NewMetrics(ctx, set, cfg, next, c.Unwrap().processMetrics, mutates,
		processorhelper.WithStart(c.Start), processorhelper.WithShutdown(c.Shutdown))
}
