// Copyright The otelcol-rum Authors
// SPDX-License-Identifier: Apache-2.0

package clientinfoprocessor // import "github.com/otelcol-rum/otelcol-rum/processor/clientinfoprocessor"

import (
	"context"

	"go.opentelemetry.io/collector/component"
	"go.opentelemetry.io/collector/consumer"
	"go.opentelemetry.io/collector/processor"
	"go.opentelemetry.io/collector/processor/processorhelper"

	"github.com/otelcol-rum/otelcol-rum/internal/sharedcomponent"
	"github.com/otelcol-rum/otelcol-rum/processor/clientinfoprocessor/internal/metadata"
)

// NewFactory creates the clientinfo processor factory.
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
		UserAgent: UserAgentConfig{CacheSize: defaultUserAgentCacheSize, MaxUncachedPerSecond: defaultUserAgentMaxUncachedPerSecond},
		GeoIP:     GeoIPConfig{ReloadInterval: defaultGeoIPReload},
	}
}

// processors holds one processor per configuration: the pipelines that name the same
// clientinfo processor share its user agent cache and its database (one copy in memory,
// one watcher of the file).
var processors = sharedcomponent.NewMap[*Config, *clientInfoProcessor]()

func sharedProcessor(set processor.Settings, cfg component.Config) (*sharedcomponent.Component[*clientInfoProcessor], error) {
	pCfg := cfg.(*Config)
	return processors.LoadOrStore(pCfg, func() (*clientInfoProcessor, error) { return newClientInfoProcessor(pCfg, set) })
}

func options(shared *sharedcomponent.Component[*clientInfoProcessor]) []processorhelper.Option {
	return []processorhelper.Option{
		processorhelper.WithCapabilities(consumer.Capabilities{MutatesData: true}),
		processorhelper.WithStart(shared.Start), processorhelper.WithShutdown(shared.Shutdown),
	}
}

func createLogs(ctx context.Context, set processor.Settings, cfg component.Config, next consumer.Logs) (processor.Logs, error) {
	shared, err := sharedProcessor(set, cfg)
	if err != nil {
		return nil, err
	}
	return processorhelper.NewLogs(ctx, set, cfg, next, shared.Unwrap().processLogs, options(shared)...)
}

func createTraces(ctx context.Context, set processor.Settings, cfg component.Config, next consumer.Traces) (processor.Traces, error) {
	shared, err := sharedProcessor(set, cfg)
	if err != nil {
		return nil, err
	}
	return processorhelper.NewTraces(ctx, set, cfg, next, shared.Unwrap().processTraces, options(shared)...)
}

func createMetrics(ctx context.Context, set processor.Settings, cfg component.Config, next consumer.Metrics) (processor.Metrics, error) {
	shared, err := sharedProcessor(set, cfg)
	if err != nil {
		return nil, err
	}
	return processorhelper.NewMetrics(ctx, set, cfg, next, shared.Unwrap().processMetrics, options(shared)...)
}
