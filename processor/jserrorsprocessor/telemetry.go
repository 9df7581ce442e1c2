// Copyright The otelcol-rum Authors
// SPDX-License-Identifier: Apache-2.0

package jserrorsprocessor // import "github.com/otelcol-rum/otelcol-rum/processor/jserrorsprocessor"

import (
	"context"

	"go.opentelemetry.io/otel/attribute"
	"go.opentelemetry.io/otel/metric"

	"github.com/otelcol-rum/otelcol-rum/internal/rumconv"
	"github.com/otelcol-rum/otelcol-rum/internal/sourcemaps"
	"github.com/otelcol-rum/otelcol-rum/processor/jserrorsprocessor/internal/metadata"
)

// telemetry records the processor's own work, and the source map store's, with the
// instruments of metadata.yaml.
type telemetry struct {
	tb            *metadata.TelemetryBuilder
	symbolication attributeOptions
	outcome       attributeOptions
	source        attributeOptions
	reason        attributeOptions
	result        attributeOptions
}

var _ sourcemaps.Observer = (*telemetry)(nil)

func newTelemetry(tb *metadata.TelemetryBuilder) *telemetry {
	return &telemetry{
		tb: tb,
		symbolication: newAttributeOptions("symbolication", rumconv.SymbolicationSymbolicated, rumconv.SymbolicationPartial,
			rumconv.SymbolicationUnresolved, rumconv.SymbolicationTimeout, rumconv.SymbolicationNotAttempted),
		outcome: newAttributeOptions("outcome", outcomeSymbolicated, outcomeUnresolved),
		source: newAttributeOptions("source", string(sourcemaps.SourceDirectory), string(sourcemaps.SourceBaseURL),
			string(sourcemaps.SourceDownload), string(sourcemaps.SourceInline)),
		reason: newAttributeOptions("reason", string(sourcemaps.ReasonNotFound), string(sourcemaps.ReasonTimeout),
			string(sourcemaps.ReasonTooLarge), string(sourcemaps.ReasonRefused), string(sourcemaps.ReasonInvalid),
			string(sourcemaps.ReasonFetchError), string(sourcemaps.ReasonBusy)),
		result: newAttributeOptions("result", string(sourcemaps.OutcomeHit), string(sourcemaps.OutcomeNegativeHit), string(sourcemaps.OutcomeMiss)),
	}
}

// The values of the frames' outcome attribute.
const (
	outcomeSymbolicated = "symbolicated"
	outcomeUnresolved   = "unresolved"
)

// attributeOptions hold the option of each known value of one attribute, made once: an
// attribute set made on every Add would cost allocations per error and per lookup.
type attributeOptions struct {
	key   string
	known map[string]metric.AddOption
}

func newAttributeOptions(key string, values ...string) attributeOptions {
	o := attributeOptions{key: key, known: make(map[string]metric.AddOption, len(values))}
	for _, v := range values {
		o.known[v] = metric.WithAttributeSet(attribute.NewSet(attribute.String(key, v)))
	}
	return o
}

func (o attributeOptions) of(value string) metric.AddOption {
	if opt, ok := o.known[value]; ok {
		return opt
	}
	return metric.WithAttributes(attribute.String(o.key, value))
}

// batch records the errors of one batch by symbolication, and those that went to the
// overflow series.
func (t *telemetry) batch(ctx context.Context, statuses map[string]int64, overflowed int64) {
	for status, n := range statuses {
		t.tb.ProcessorJserrorsErrors.Add(ctx, n, t.symbolication.of(status))
	}
	if overflowed > 0 {
		t.tb.ProcessorJserrorsSeriesOverflowed.Add(ctx, overflowed)
	}
}

func (t *telemetry) expired(ctx context.Context, n int64) {
	if n > 0 {
		t.tb.ProcessorJserrorsSeriesExpired.Add(ctx, n)
	}
}

// observeSeries reports the counter's series whenever the telemetry is read.
func (t *telemetry) observeSeries(series func() int64) error {
	return t.tb.RegisterProcessorJserrorsSeriesCallback(func(_ context.Context, o metric.Int64Observer) error {
		o.Observe(series())
		return nil
	})
}

// The store's reports carry no context: they come from its loads as well as from
// lookups.

// MapLoaded implements sourcemaps.Observer.
func (t *telemetry) MapLoaded(source sourcemaps.Source) {
	t.tb.ProcessorJserrorsMapsLoaded.Add(context.Background(), 1, t.source.of(string(source)))
}

// LoadFailed implements sourcemaps.Observer.
func (t *telemetry) LoadFailed(reason sourcemaps.Reason) {
	t.tb.ProcessorJserrorsMapFetchFailures.Add(context.Background(), 1, t.reason.of(string(reason)))
}

// CacheLookup implements sourcemaps.Observer.
func (t *telemetry) CacheLookup(outcome sourcemaps.Outcome) {
	t.tb.ProcessorJserrorsCacheLookups.Add(context.Background(), 1, t.result.of(string(outcome)))
}

// CacheChanged implements sourcemaps.Observer.
func (t *telemetry) CacheChanged(deltaBytes, deltaEntries int64) {
	t.tb.ProcessorJserrorsCacheBytes.Add(context.Background(), deltaBytes)
	t.tb.ProcessorJserrorsCacheMaps.Add(context.Background(), deltaEntries)
}

// FramesSymbolicated implements sourcemaps.Observer.
func (t *telemetry) FramesSymbolicated(resolved, unresolved int) {
	ctx := context.Background()
	if resolved > 0 {
		t.tb.ProcessorJserrorsFrames.Add(ctx, int64(resolved), t.outcome.of(outcomeSymbolicated))
	}
	if unresolved > 0 {
		t.tb.ProcessorJserrorsFrames.Add(ctx, int64(unresolved), t.outcome.of(outcomeUnresolved))
	}
}
