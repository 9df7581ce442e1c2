// Copyright The otelcol-rum Authors
// SPDX-License-Identifier: Apache-2.0

package jserrorsprocessor // import "github.com/otelcol-rum/otelcol-rum/processor/jserrorsprocessor"

import (
	"context"

	"go.opentelemetry.io/otel/attribute"
	"go.opentelemetry.io/otel/metric"

	"github.com/otelcol-rum/otelcol-rum/internal/sourcemaps"
	"github.com/otelcol-rum/otelcol-rum/processor/jserrorsprocessor/internal/metadata"
)

// telemetry records the processor's own work, and the source map store's, with the
// instruments of metadata.yaml.
type telemetry struct{ tb *metadata.TelemetryBuilder }

var _ sourcemaps.Observer = telemetry{}

// batch records the errors of one batch by symbolication, and those that went to the
// overflow series.
func (t telemetry) batch(ctx context.Context, statuses map[string]int64, overflowed int64) {
	for status, n := range statuses {
		t.tb.ProcessorJserrorsErrors.Add(ctx, n, metric.WithAttributes(attribute.String("symbolication", status)))
	}
	if overflowed > 0 {
		t.tb.ProcessorJserrorsSeriesOverflowed.Add(ctx, overflowed)
	}
}

func (t telemetry) expired(ctx context.Context, n int64) {
	if n > 0 {
		t.tb.ProcessorJserrorsSeriesExpired.Add(ctx, n)
	}
}

// observeSeries reports the counter's series whenever the telemetry is read.
func (t telemetry) observeSeries(series func() int64) error {
	return t.tb.RegisterProcessorJserrorsSeriesCallback(func(_ context.Context, o metric.Int64Observer) error {
		o.Observe(series())
		return nil
	})
}

// The store's reports carry no context: they come from its loads as well as from
// lookups.

// MapLoaded implements sourcemaps.Observer.
func (t telemetry) MapLoaded(source sourcemaps.Source) {
	t.tb.ProcessorJserrorsMapsLoaded.Add(context.Background(), 1, metric.WithAttributes(attribute.String("source", string(source))))
}

// LoadFailed implements sourcemaps.Observer.
func (t telemetry) LoadFailed(reason sourcemaps.Reason) {
	t.tb.ProcessorJserrorsMapFetchFailures.Add(context.Background(), 1, metric.WithAttributes(attribute.String("reason", string(reason))))
}

// CacheLookup implements sourcemaps.Observer.
func (t telemetry) CacheLookup(outcome sourcemaps.Outcome) {
	t.tb.ProcessorJserrorsCacheLookups.Add(context.Background(), 1, metric.WithAttributes(attribute.String("result", string(outcome))))
}

// CacheChanged implements sourcemaps.Observer.
func (t telemetry) CacheChanged(deltaBytes, deltaEntries int64) {
	t.tb.ProcessorJserrorsCacheBytes.Add(context.Background(), deltaBytes)
	t.tb.ProcessorJserrorsCacheMaps.Add(context.Background(), deltaEntries)
}

// FramesSymbolicated implements sourcemaps.Observer.
func (t telemetry) FramesSymbolicated(resolved, unresolved int) {
	ctx := context.Background()
	if resolved > 0 {
		t.tb.ProcessorJserrorsFrames.Add(ctx, int64(resolved), metric.WithAttributes(attribute.String("outcome", "symbolicated")))
	}
	if unresolved > 0 {
		t.tb.ProcessorJserrorsFrames.Add(ctx, int64(unresolved), metric.WithAttributes(attribute.String("outcome", "unresolved")))
	}
}
