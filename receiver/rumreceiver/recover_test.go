// Copyright The otelcol-rum Authors
// SPDX-License-Identifier: Apache-2.0

package rumreceiver

import (
	"context"
	"io"
	"net/http"
	"sync/atomic"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"go.opentelemetry.io/collector/consumer"
	"go.opentelemetry.io/collector/consumer/consumertest"
	"go.opentelemetry.io/collector/pdata/plog"
	"go.opentelemetry.io/otel/attribute"
	"go.opentelemetry.io/otel/sdk/metric/metricdata"
)

// TestPanicDownstreamIsAnswered500: a component behind the receiver panics on one batch.
// The client gets a 500 that says so (not a dropped connection), the refusal is counted,
// and the next request is served.
func TestPanicDownstreamIsAnswered500(t *testing.T) {
	var calls atomic.Int64
	sink := new(consumertest.LogsSink)
	panicky, err := consumer.NewLogs(func(ctx context.Context, ld plog.Logs) error {
		if calls.Add(1) == 1 {
			panic("a bug in a processor")
		}
		return sink.ConsumeLogs(ctx, ld)
	})
	require.NoError(t, err)
	h := startHarness(t, withLogsConsumer(panicky))

	resp := h.post("/vitals", []byte(lcpBeacon), "Content-Type", "text/plain")
	assert.Equal(t, http.StatusInternalServerError, resp.StatusCode)
	msg, _ := io.ReadAll(resp.Body)
	assert.Contains(t, string(msg), "internal error")
	h.assertRefused(map[string]int64{reasonInternalError: 1})
	assert.Zero(t, h.rcv.inFlight.n.Load(), "the panicking request gave its slot back")

	resp = h.post("/vitals", []byte(lcpBeacon), "Content-Type", "text/plain")
	assert.Equal(t, http.StatusAccepted, resp.StatusCode)
	assert.Equal(t, 1, sink.LogRecordCount())
}

// TestPanicIsSeenByTheHTTPTelemetry: the 500 is answered inside confighttp's handler, so
// that its HTTP server telemetry (otelhttp) records the request as a 500 rather than
// losing it to a panic passing through.
func TestPanicIsSeenByTheHTTPTelemetry(t *testing.T) {
	panicky, err := consumer.NewLogs(func(context.Context, plog.Logs) error { panic("a bug in a processor") })
	require.NoError(t, err)
	h := startHarness(t, withLogsConsumer(panicky))
	resp := h.post("/vitals", []byte(lcpBeacon), "Content-Type", "text/plain")
	require.Equal(t, http.StatusInternalServerError, resp.StatusCode)

	m, err := h.tel.GetMetric("http.server.request.duration")
	require.NoError(t, err, "confighttp records its requests")
	hist, ok := m.Data.(metricdata.Histogram[float64])
	require.True(t, ok, "%T", m.Data)
	var statuses []int64
	for _, dp := range hist.DataPoints {
		if v, ok := dp.Attributes.Value(attribute.Key("http.response.status_code")); ok {
			statuses = append(statuses, v.AsInt64())
		}
	}
	assert.Equal(t, []int64{http.StatusInternalServerError}, statuses)
}
