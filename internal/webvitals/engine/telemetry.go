// Copyright The otelcol-rum Authors
// SPDX-License-Identifier: Apache-2.0

package engine // import "github.com/otelcol-rum/otelcol-rum/internal/webvitals/engine"

import "context"

// Telemetry is the self-telemetry of the component that runs the engine. Each component
// declares its own instruments in its metadata.yaml (processor_webvitals_*,
// connector_webvitals_*) and adapts them to this.
type Telemetry interface {
	// Measurements counts measurement reports by outcome (counted, update, duplicate,
	// unknown).
	Measurements(ctx context.Context, outcome string, n int64)
	// SeriesExpired counts series dropped for lack of data.
	SeriesExpired(ctx context.Context, n int64)
	// ObserveSeries registers the callback that reports the number of live series.
	ObserveSeries(series func() int64) error
	Shutdown()
}
