// Copyright The otelcol-rum Authors
// SPDX-License-Identifier: Apache-2.0

package kafkahandoverextension // import "github.com/otelcol-rum/otelcol-rum/extension/kafkahandoverextension"

import (
	"context"
	"time"

	"go.opentelemetry.io/otel/attribute"
	"go.opentelemetry.io/otel/metric"

	"github.com/otelcol-rum/otelcol-rum/extension/kafkahandoverextension/internal/marker"
	"github.com/otelcol-rum/otelcol-rum/extension/kafkahandoverextension/internal/metadata"
)

// Outcomes of Acquire (attribute outcome).
const (
	outcomeNew      = "new"
	outcomeReleased = "released"
	outcomeTimeout  = "timeout"
	outcomeOwn      = "own"
)

// Reasons a record is skipped or a checkpoint refused (attribute reason).
const (
	reasonUndecodableMarker  = "undecodable_marker"
	reasonNoKey              = "no_key"
	reasonUnknownReservedKey = "unknown_reserved_key"
	reasonReservedKey        = "reserved_key"
	reasonUnconfirmed        = "unconfirmed"
)

// Kinds of checkpoint records (attribute kind); markers use their own kind names.
const (
	kindSession = "session"
	kindEnded   = "ended"
)

// telemetry records the instruments of metadata.yaml with attribute sets built once.
type telemetry struct {
	tb    *metadata.TelemetryBuilder
	attrs map[string]metric.MeasurementOption
}

func newTelemetry(tb *metadata.TelemetryBuilder) *telemetry {
	t := &telemetry{tb: tb, attrs: map[string]metric.MeasurementOption{}}
	for key, values := range map[string][]string{
		"outcome": {outcomeNew, outcomeReleased, outcomeTimeout, outcomeOwn},
		"reason":  {reasonUndecodableMarker, reasonNoKey, reasonUnknownReservedKey, reasonReservedKey, reasonUnconfirmed},
		"kind":    {kindSession, kindEnded, marker.Claim.String(), marker.Request.String(), marker.Release.String()},
	} {
		for _, v := range values {
			t.attrs[key+"="+v] = metric.WithAttributeSet(attribute.NewSet(attribute.String(key, v)))
		}
	}
	return t
}

func (t *telemetry) with(key, value string) metric.MeasurementOption { return t.attrs[key+"="+value] }

func (t *telemetry) acquired(ctx context.Context, outcome string, sessions int) {
	t.tb.ExtensionKafkaHandoverAcquisitions.Add(ctx, 1, t.with("outcome", outcome))
	t.tb.ExtensionKafkaHandoverSessionsRestored.Add(ctx, int64(sessions))
}

func (t *telemetry) waited(ctx context.Context, d time.Duration) {
	t.tb.ExtensionKafkaHandoverWaitDuration.Record(ctx, d.Seconds())
}

func (t *telemetry) checkpointsWritten(ctx context.Context, sessions, ended, bytes int) {
	if sessions > 0 {
		t.tb.ExtensionKafkaHandoverCheckpointsWritten.Add(ctx, int64(sessions), t.with("kind", kindSession))
	}
	if ended > 0 {
		t.tb.ExtensionKafkaHandoverCheckpointsWritten.Add(ctx, int64(ended), t.with("kind", kindEnded))
	}
	t.tb.ExtensionKafkaHandoverCheckpointBytesWritten.Add(ctx, int64(bytes))
}

func (t *telemetry) markerWritten(ctx context.Context, k marker.Kind) {
	t.tb.ExtensionKafkaHandoverMarkersWritten.Add(ctx, 1, t.with("kind", k.String()))
}

func (t *telemetry) skipped(ctx context.Context, reason string, n int) {
	if n > 0 {
		t.tb.ExtensionKafkaHandoverRecordsSkipped.Add(ctx, int64(n), t.with("reason", reason))
	}
}

func (t *telemetry) requestReceived(ctx context.Context) {
	t.tb.ExtensionKafkaHandoverRequestsReceived.Add(ctx, 1)
}

func (t *telemetry) partitionLost(ctx context.Context) {
	t.tb.ExtensionKafkaHandoverPartitionsLost.Add(ctx, 1)
}
