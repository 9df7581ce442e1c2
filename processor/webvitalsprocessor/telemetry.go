// Copyright The otelcol-rum Authors
// SPDX-License-Identifier: Apache-2.0

package webvitalsprocessor // import "github.com/otelcol-rum/otelcol-rum/processor/webvitalsprocessor"

import (
	"context"

	"go.opentelemetry.io/otel/attribute"
	"go.opentelemetry.io/otel/metric"

	"github.com/otelcol-rum/otelcol-rum/processor/webvitalsprocessor/internal/metadata"
)

// telemetry adapts the instruments declared in metadata.yaml to the engine.
type telemetry struct{ tb *metadata.TelemetryBuilder }

func (t telemetry) Measurements(ctx context.Context, outcome string, n int64) {
	t.tb.ProcessorWebvitalsMeasurements.Add(ctx, n, metric.WithAttributes(attribute.String("outcome", outcome)))
}

func (t telemetry) SeriesExpired(ctx context.Context, n int64) {
	t.tb.ProcessorWebvitalsSeriesExpired.Add(ctx, n)
}

func (t telemetry) ObserveSeries(series func() int64) error {
	return t.tb.RegisterProcessorWebvitalsSeriesCallback(func(_ context.Context, o metric.Int64Observer) error {
		o.Observe(series())
		return nil
	})
}

func (t telemetry) Shutdown() { t.tb.Shutdown() }
