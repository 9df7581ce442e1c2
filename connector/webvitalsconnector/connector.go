// Copyright The otelcol-rum Authors
// SPDX-License-Identifier: Apache-2.0

package webvitalsconnector // import "github.com/otelcol-rum/otelcol-rum/connector/webvitalsconnector"

import (
	"context"

	"go.opentelemetry.io/collector/component"
	"go.opentelemetry.io/collector/connector"
	"go.opentelemetry.io/collector/consumer"
	"go.opentelemetry.io/collector/pdata/plog"
	"go.opentelemetry.io/collector/pdata/ptrace"

	"github.com/otelcol-rum/otelcol-rum/connector/webvitalsconnector/internal/metadata"
	"github.com/otelcol-rum/otelcol-rum/internal/sharedcomponent"
	"github.com/otelcol-rum/otelcol-rum/internal/webvitals/engine"
)

func newEngine(cfg *Config, set connector.Settings) (*engine.Engine, error) {
	tb, err := metadata.NewTelemetryBuilder(set.TelemetrySettings)
	if err != nil {
		return nil, err
	}
	e, err := engine.New(engine.Settings{
		Aggregation: cfg.AggregationConfig, Logger: set.Logger, Telemetry: telemetry{tb},
		Source:    engine.SourceLogRecords,
		ReadOnly:  true,
		ScopeName: metadata.ScopeName, Version: set.BuildInfo.Version,
	})
	if err != nil {
		tb.Shutdown()
		return nil, err
	}
	return e, nil
}

// connectorBase is what both directions share: the engine of this connector ID, started
// and stopped with the other direction's instance.
type connectorBase struct {
	shared *sharedcomponent.Component[*engine.Engine]
}

func (c connectorBase) Start(ctx context.Context, host component.Host) error {
	return c.shared.Start(ctx, host)
}

// Shutdown flushes the histograms when the last direction stops. The collector stops a
// connector before the pipeline it feeds, so the metrics pipeline still runs.
func (c connectorBase) Shutdown(ctx context.Context) error {
	return c.shared.Shutdown(ctx)
}

// The connector reads its input and passes nothing on: the logs and traces stay with the
// other exporters of their pipelines, untouched.
func (connectorBase) Capabilities() consumer.Capabilities {
	return consumer.Capabilities{MutatesData: false}
}

type logsToMetrics struct{ connectorBase }

// ConsumeLogs counts browser.web_vital records and Faro navigation timings.
func (c logsToMetrics) ConsumeLogs(_ context.Context, ld plog.Logs) error {
	c.shared.Unwrap().ConsumeLogs(ld)
	return nil
}

type tracesToMetrics struct{ connectorBase }

// ConsumeTraces counts page load timings of documentLoad spans and vitals sent as spans.
func (c tracesToMetrics) ConsumeTraces(_ context.Context, td ptrace.Traces) error {
	c.shared.Unwrap().ConsumeTraces(td)
	return nil
}
