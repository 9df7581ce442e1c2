// Copyright The otelcol-rum Authors
// SPDX-License-Identifier: Apache-2.0

package clientinfoprocessor // import "github.com/otelcol-rum/otelcol-rum/processor/clientinfoprocessor"

import (
	"context"

	"go.opentelemetry.io/otel/attribute"
	"go.opentelemetry.io/otel/metric"

	"github.com/otelcol-rum/otelcol-rum/processor/clientinfoprocessor/internal/metadata"
)

// The results of a geolocation lookup, the values of the result attribute.
const (
	lookupFound          = "found"
	lookupNotFound       = "not_found"
	lookupInvalidAddress = "invalid_address"
)

// telemetry records the processor's work with the instruments of metadata.yaml. The
// attribute sets are built once.
type telemetry struct {
	tb     *metadata.TelemetryBuilder
	result map[string]metric.AddOption
}

func newTelemetry(tb *metadata.TelemetryBuilder) *telemetry {
	t := &telemetry{tb: tb, result: map[string]metric.AddOption{}}
	for _, r := range []string{lookupFound, lookupNotFound, lookupInvalidAddress} {
		t.result[r] = metric.WithAttributeSet(attribute.NewSet(attribute.String("result", r)))
	}
	return t
}

func (t *telemetry) enriched(ctx context.Context) {
	t.tb.ProcessorClientinfoResourcesEnriched.Add(ctx, 1)
}

func (t *telemetry) botDropped(ctx context.Context) {
	t.tb.ProcessorClientinfoBotsDropped.Add(ctx, 1)
}

func (t *telemetry) userAgentUnparsed(ctx context.Context) {
	t.tb.ProcessorClientinfoUserAgentsUnparsed.Add(ctx, 1)
}

func (t *telemetry) lookedUp(ctx context.Context, result string) {
	t.tb.ProcessorClientinfoGeoLookups.Add(ctx, 1, t.result[result])
}

func (t *telemetry) shutdown() { t.tb.Shutdown() }
