// Copyright The otelcol-rum Authors
// SPDX-License-Identifier: Apache-2.0

package webvitalsprocessor // import "github.com/otelcol-rum/otelcol-rum/processor/webvitalsprocessor"

import (
	"context"

	"go.opentelemetry.io/collector/pdata/plog"
	"go.opentelemetry.io/collector/pdata/pmetric"
	"go.opentelemetry.io/collector/pdata/ptrace"
	"go.opentelemetry.io/collector/processor"
	"go.opentelemetry.io/collector/processor/processorhelper"

	"github.com/otelcol-rum/otelcol-rum/internal/webvitals/engine"
	"github.com/otelcol-rum/otelcol-rum/processor/webvitalsprocessor/internal/metadata"
)

// webvitalsProcessor is the webvitals processor of one component ID, shared by every
// pipeline that names it: the engine with its histograms, and whether to keep the points
// it aggregates.
type webvitalsProcessor struct {
	*engine.Engine
	keep bool
}

func newWebvitalsProcessor(cfg *Config, set processor.Settings) (*webvitalsProcessor, error) {
	tb, err := metadata.NewTelemetryBuilder(set.TelemetrySettings)
	if err != nil {
		return nil, err
	}
	e, err := engine.New(engine.Settings{
		Aggregation: cfg.AggregationConfig, Logger: set.Logger, Telemetry: telemetry{tb},
		// The rum receiver writes each vital as a metric point and as a log record; the
		// processor counts the points and annotates the records.
		Source:    engine.SourceMetricPoints,
		ScopeName: metadata.ScopeName, Version: set.BuildInfo.Version,
	})
	if err != nil {
		tb.Shutdown()
		return nil, err
	}
	return &webvitalsProcessor{Engine: e, keep: cfg.KeepMeasurements}, nil
}

// processMetrics takes the per-measurement points into the aggregation and, unless
// keep_measurements is set, drops them: the histograms replace them.
func (p *webvitalsProcessor) processMetrics(_ context.Context, md pmetric.Metrics) (pmetric.Metrics, error) {
	if !p.ConsumeMetrics(md, p.keep) {
		return md, processorhelper.ErrSkipProcessingData
	}
	return md, nil
}

// processLogs annotates web-vital records and takes Faro's navigation timings.
func (p *webvitalsProcessor) processLogs(_ context.Context, ld plog.Logs) (plog.Logs, error) {
	p.ConsumeLogs(ld)
	return ld, nil
}

// processTraces takes page load timings from documentLoad spans and vitals sent as spans,
// and annotates them.
func (p *webvitalsProcessor) processTraces(_ context.Context, td ptrace.Traces) (ptrace.Traces, error) {
	p.ConsumeTraces(td)
	return td, nil
}
