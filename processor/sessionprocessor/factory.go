// Copyright The otelcol-rum Authors
// SPDX-License-Identifier: Apache-2.0

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
		InactivityTimeout:    defaultInactivityTimeout,
		MaxDuration:          defaultMaxDuration,
		MaxSessions:          defaultMaxSessions,
		CheckInterval:        defaultCheckInterval,
		UnknownSessions:      UnknownPass,
		SamplingPercentage:   defaultSamplingPercentage,
		CheckpointInterval:   defaultCheckpointInterval,
		SnapshotInterval:     defaultSnapshotInterval,
		PathLength:           defaultPathLength,
		InferSoftNavigations: defaultInferSoftNav,
		ViewReorderWindow:    defaultViewReorderWindow,
		JoinWait:             defaultJoinWait,
		MaxHeldVitals:        defaultMaxHeldVitals,
		Frustration:          defaultFrustrationConfig(),
	}
}

// processors holds one session processor per configuration, so that the traces, logs and
// metrics pipelines that name the same component ID share its state: a navigation seen in
// the logs pipeline is known when its vital arrives in the metrics pipeline.
var processors = sharedcomponent.NewMap[*Config, *sessionProcessor]()

func sharedProcessor(set processor.Settings, cfg component.Config) (*sharedcomponent.Component[*sessionProcessor], error) {
	pCfg := cfg.(*Config)
	return processors.LoadOrStore(pCfg, func() (*sessionProcessor, error) { return newSessionProcessor(pCfg, set) })
}

var mutates = processorhelper.WithCapabilities(consumer.Capabilities{MutatesData: true})

func createTraces(ctx context.Context, set processor.Settings, cfg component.Config, next consumer.Traces) (processor.Traces, error) {
	shared, err := sharedProcessor(set, cfg)
	if err != nil {
		return nil, err
	}
	inner := shared.Unwrap()
	return processorhelper.NewTraces(ctx, set, cfg, next, inner.processTraces, mutates,
		processorhelper.WithStart(shared.Start), processorhelper.WithShutdown(inner.releasingHeld(shared.Shutdown)))
}

func createLogs(ctx context.Context, set processor.Settings, cfg component.Config, next consumer.Logs) (processor.Logs, error) {
	shared, err := sharedProcessor(set, cfg)
	if err != nil {
		return nil, err
	}
	// Lifecycle events go down the logs pipeline, after this processor; so the final
	// session.end events go out when this pipeline shuts down, while it still runs.
	inner := shared.Unwrap()
	inner.setEventConsumer(next)
	return processorhelper.NewLogs(ctx, set, cfg, next, inner.processLogs, mutates,
		processorhelper.WithStart(shared.Start), processorhelper.WithShutdown(inner.releasingHeld(shared.ShutdownEmitting)))
}

func createMetrics(ctx context.Context, set processor.Settings, cfg component.Config, next consumer.Metrics) (processor.Metrics, error) {
	shared, err := sharedProcessor(set, cfg)
	if err != nil {
		return nil, err
	}
	// Held vitals go on down this pipeline once released.
	inner := shared.Unwrap()
	inner.setMetricsConsumer(next)
	return processorhelper.NewMetrics(ctx, set, cfg, next, inner.processMetrics, mutates,
		processorhelper.WithStart(shared.Start), processorhelper.WithShutdown(inner.releasingHeld(shared.Shutdown)))
}
