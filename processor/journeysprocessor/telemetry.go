// Copyright The otelcol-rum Authors
// SPDX-License-Identifier: Apache-2.0

package journeysprocessor // import "github.com/otelcol-rum/otelcol-rum/processor/journeysprocessor"

import (
	"context"

	"go.opentelemetry.io/otel/metric"

	"github.com/otelcol-rum/otelcol-rum/processor/journeysprocessor/internal/journeycount"
	"github.com/otelcol-rum/otelcol-rum/processor/journeysprocessor/internal/metadata"
)

// telemetry records the processor's own work with the instruments of metadata.yaml.
type telemetry struct {
	tb *metadata.TelemetryBuilder
}

// counted records a batch's observations, and those that went to an overflow series.
func (t *telemetry) counted(ctx context.Context, n, overflowed int64) {
	t.tb.ProcessorJourneysObservations.Add(ctx, n)
	if overflowed > 0 {
		t.tb.ProcessorJourneysSeriesOverflowed.Add(ctx, overflowed)
	}
}

// report records what the counter did since the last report: folded labels and expired
// series.
func (t *telemetry) report(ctx context.Context, now, before journeycount.Stats) {
	if n := now.Folded - before.Folded; n > 0 {
		t.tb.ProcessorJourneysLabelsFolded.Add(ctx, n)
	}
	if n := now.Expired - before.Expired; n > 0 {
		t.tb.ProcessorJourneysSeriesExpired.Add(ctx, n)
	}
}

// observeSeries reports the counter's series whenever the telemetry is read.
func (t *telemetry) observeSeries(series func() int64) error {
	return t.tb.RegisterProcessorJourneysSeriesCallback(func(_ context.Context, o metric.Int64Observer) error {
		o.Observe(series())
		return nil
	})
}
