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

// core is the state of one processor ID, shared by its pipelines.
type core struct {
	*engine.Engine
	keep bool
}

func newCore(cfg *Config, set processor.Settings) (*core, error) {
	tb, err := metadata.NewTelemetryBuilder(set.TelemetrySettings)
	if err != nil {
		return nil, err
	}
	e, err := engine.New(engine.Settings{
		Config: cfg, Logger: set.Logger, Telemetry: telemetry{tb},
		// The rum receiver writes each vital as a metric point and as a log record; the
		// processor counts the points and annotates the records.
		Source:    engine.SourceMetricPoints,
		ScopeName: metadata.ScopeName, Version: set.BuildInfo.Version,
	})
	if err != nil {
		tb.Shutdown()
		return nil, err
	}
	return &core{Engine: e, keep: cfg.KeepMeasurements}, nil
}

// processMetrics takes the per-measurement points into the aggregation and, unless
// keep_measurements is set, drops them: the histograms replace them.
func (c *core) processMetrics(_ context.Context, md pmetric.Metrics) (pmetric.Metrics, error) {
	if !c.ConsumeMetrics(md, c.keep) {
		return md, processorhelper.ErrSkipProcessingData
	}
	return md, nil
}

// processLogs annotates web-vital records and takes Faro's navigation timings.
func (c *core) processLogs(_ context.Context, ld plog.Logs) (plog.Logs, error) {
	c.ConsumeLogs(ld)
	return ld, nil
}

// processTraces takes page load timings from documentLoad spans and vitals sent as spans,
// and annotates them.
func (c *core) processTraces(_ context.Context, td ptrace.Traces) (ptrace.Traces, error) {
	c.ConsumeTraces(td)
	return td, nil
}
