// Copyright The otelcol-rum Authors
// SPDX-License-Identifier: Apache-2.0

package rumreceiver

import (
	"context"
	"errors"
	"net/http"
	"sync/atomic"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"go.opentelemetry.io/collector/consumer"
	"go.opentelemetry.io/collector/consumer/consumertest"
	"go.opentelemetry.io/collector/pdata/pmetric"
	"go.opentelemetry.io/otel/attribute"
	"go.opentelemetry.io/otel/sdk/metric/metricdata"
	"go.opentelemetry.io/otel/sdk/metric/metricdata/metricdatatest"

	"github.com/otelcol-rum/otelcol-rum/receiver/rumreceiver/internal/metadatatest"
)

var errHighMemory = errors.New("data refused due to high memory usage")

// refusingMetrics refuses the first `refusals` offers (all of them while refusals < 0),
// then keeps what it is given.
type refusingMetrics struct {
	consumertest.MetricsSink
	refusals atomic.Int64
	offers   atomic.Int64
}

func newRefusingMetrics(refusals int64) *refusingMetrics {
	m := &refusingMetrics{}
	m.refusals.Store(refusals)
	return m
}

func (m *refusingMetrics) ConsumeMetrics(ctx context.Context, md pmetric.Metrics) error {
	n := m.offers.Add(1)
	if r := m.refusals.Load(); r < 0 || n <= r {
		return errHighMemory
	}
	return m.MetricsSink.ConsumeMetrics(ctx, md)
}

func withMetricsConsumer(c consumer.Metrics) harnessOption {
	return func(_ *Config, hc *harnessConsumers) { hc.metrics = c }
}

func (h *harness) assertPartial(counts map[string]int64) {
	h.t.Helper()
	var dps []metricdata.DataPoint[int64]
	for outcome, n := range counts {
		dps = append(dps, metricdata.DataPoint[int64]{Attributes: attribute.NewSet(attribute.String("outcome", outcome)), Value: n})
	}
	metadatatest.AssertEqualReceiverRumPartialRequests(h.t, h.tel, dps, metricdatatest.IgnoreTimestamp(), metricdatatest.IgnoreExemplars())
}

// TestRestOfARequestIsOfferedAgain: smallFaro's logs go on, its metric point is refused
// twice (memory_limiter for a moment): the receiver offers it again rather than refuse a
// request half of which went on, and the client gets its 202 with both parts forwarded
// once.
func TestRestOfARequestIsOfferedAgain(t *testing.T) {
	metrics := newRefusingMetrics(2)
	h := startHarness(t, withMetricsConsumer(metrics))
	resp := h.post("/collect", []byte(smallFaro), "Content-Type", "application/json")
	require.Equal(t, http.StatusAccepted, resp.StatusCode)
	assert.Equal(t, 2, h.logs.LogRecordCount(), "logs forwarded once")
	assert.Equal(t, 1, metrics.DataPointCount(), "the metric point after two refusals")
	assert.EqualValues(t, 3, metrics.offers.Load())
	h.assertRefused(map[string]int64{})
	h.assertPartial(map[string]int64{partialCompleted: 1})
}

// TestFirstRefusalRefusesTheWholeRequest: when the first signal is refused nothing went
// on, so the request is refused at once, without offering it again.
func TestFirstRefusalRefusesTheWholeRequest(t *testing.T) {
	start := time.Now()
	h := startHarness(t, withLogsConsumer(consumertest.NewErr(errHighMemory)))
	resp := h.post("/collect", []byte(smallFaro), "Content-Type", "application/json")
	assert.Equal(t, http.StatusTooManyRequests, resp.StatusCode)
	assert.Less(t, time.Since(start), defaultRetryAfter, "refused without waiting")
	assert.Zero(t, h.metrics.DataPointCount(), "nothing after the refused signal")
	h.assertRefused(map[string]int64{reasonDownstreamRetryable: 1})
}

// TestRetryOfAPartlyForwardedRequestSendsOnlyTheRest: the metric point is refused for
// longer than retry_after, so the request is refused after its logs went on. The SDK
// sends the same bytes again: this time only the metric point goes on, and the logs are
// not duplicated.
func TestRetryOfAPartlyForwardedRequestSendsOnlyTheRest(t *testing.T) {
	metrics := newRefusingMetrics(-1)
	h := startHarness(t, withMetricsConsumer(metrics), withConfig(func(c *Config) { c.RetryAfter = 300 * time.Millisecond }))
	resp := h.post("/collect", []byte(smallFaro), "Content-Type", "application/json")
	require.Equal(t, http.StatusTooManyRequests, resp.StatusCode)
	assert.Equal(t, "1", resp.Header.Get("Retry-After"))
	assert.Greater(t, metrics.offers.Load(), int64(2), "offered again until retry_after")
	require.Equal(t, 2, h.logs.LogRecordCount())

	metrics.refusals.Store(0) // memory is back
	resp = h.post("/collect", []byte(smallFaro), "Content-Type", "application/json")
	require.Equal(t, http.StatusAccepted, resp.StatusCode)
	assert.Equal(t, acceptedBody{Accepted: 3}, decodeJSON[acceptedBody](t, resp), "the answer counts the whole request")
	assert.Equal(t, 2, h.logs.LogRecordCount(), "the logs of the first attempt are not sent twice")
	assert.Equal(t, 1, metrics.DataPointCount())
	h.assertPartial(map[string]int64{partialRefused: 1, partialResumed: 1})

	// The memory is used once: a third identical request is a new one.
	resp = h.post("/collect", []byte(smallFaro), "Content-Type", "application/json")
	require.Equal(t, http.StatusAccepted, resp.StatusCode)
	assert.Equal(t, 4, h.logs.LogRecordCount())
}

func TestPartialsAreBounded(t *testing.T) {
	p := newPartials()
	now := time.Now()
	for i := range 3 * partialsKept {
		p.rememberKey(uint64(i), progress{signals: signalLogs}, now)
		require.LessOrEqual(t, len(p.sent), partialsKept)
		require.LessOrEqual(t, len(p.order), 2*partialsKept)
		require.EqualValues(t, len(p.sent), p.kept.Load())
	}
	assert.Equal(t, progress{signals: signalLogs}, p.takeKey(uint64(3*partialsKept-1), now), "the newest are kept")
	assert.Zero(t, p.takeKey(0, now), "the oldest were forgotten")
	p.rememberKey(7, progress{signals: signalTraces}, now)
	assert.Zero(t, p.takeKey(7, now.Add(partialTTL+time.Second)), "expired")
	assert.EqualValues(t, len(p.sent), p.kept.Load())
}

// TestPartialMemoryIsNotTakenByAnotherRequestWithTheSameBody: a beacon names its session
// and page in the query string, so two browsers can send the same bytes. The first one's
// log record went on and its metric point was refused; the second must not be taken for
// its retry, or its own log record would never be forwarded.
func TestPartialMemoryIsNotTakenByAnotherRequestWithTheSameBody(t *testing.T) {
	metrics := newRefusingMetrics(-1)
	h := startHarness(t, withMetricsConsumer(metrics), withConfig(func(c *Config) { c.RetryAfter = 200 * time.Millisecond }))
	resp := h.post("/vitals?session_id=s-a", []byte(lcpBeacon), "Content-Type", "text/plain")
	require.Equal(t, http.StatusTooManyRequests, resp.StatusCode)
	require.Equal(t, 1, h.logs.LogRecordCount())

	metrics.refusals.Store(0)
	for _, other := range []struct{ target, header, value string }{
		{"/vitals?session_id=s-b", "", ""},
		{"/vitals?session_id=s-a", "Referer", "https://shop.example/other-page"},
		{"/vitals?session_id=s-a", "User-Agent", "another browser"},
	} {
		before := h.logs.LogRecordCount()
		headers := []string{"Content-Type", "text/plain"}
		if other.header != "" {
			headers = append(headers, other.header, other.value)
		}
		resp = h.post(other.target, []byte(lcpBeacon), headers...)
		require.Equal(t, http.StatusAccepted, resp.StatusCode)
		assert.Equal(t, before+1, h.logs.LogRecordCount(), "%s %s: its log record is forwarded", other.target, other.header)
	}
	// The first browser's retry still forwards only the rest.
	before := h.logs.LogRecordCount()
	resp = h.post("/vitals?session_id=s-a", []byte(lcpBeacon), "Content-Type", "text/plain")
	require.Equal(t, http.StatusAccepted, resp.StatusCode)
	assert.Equal(t, before, h.logs.LogRecordCount(), "the retry does not send its log record twice")
}

// TestPartialRememberedAgainIsEvictedLast: eviction drops the request remembered the
// longest ago, counting from its last remembering.
func TestPartialRememberedAgainIsEvictedLast(t *testing.T) {
	p := newPartials()
	now := time.Now()
	for i := range partialsKept {
		p.rememberKey(uint64(i), progress{signals: signalLogs}, now)
	}
	require.Equal(t, progress{signals: signalLogs}, p.takeKey(0, now))
	p.rememberKey(0, progress{signals: signalTraces}, now) // the retry of request 0 was refused again
	p.rememberKey(partialsKept, progress{signals: signalLogs}, now)
	assert.Equal(t, progress{signals: signalTraces}, p.takeKey(0, now), "request 0 is the newest")
	assert.Zero(t, p.takeKey(1, now), "request 1 is the oldest")
	assert.EqualValues(t, len(p.sent), p.kept.Load())
}

// TestExpiredPartialsAreDropped: once every remembered request is past partialTTL, the
// memory is empty again, and requests no longer pay for a hash of their body.
func TestExpiredPartialsAreDropped(t *testing.T) {
	p := newPartials()
	now := time.Now()
	p.rememberKey(1, progress{signals: signalLogs}, now)
	p.rememberKey(2, progress{signals: signalLogs}, now.Add(time.Minute))
	later := now.Add(partialTTL + 2*time.Minute)
	assert.Zero(t, p.takeKey(3, later))
	assert.Zero(t, p.kept.Load(), "both expired")
	assert.Empty(t, p.order)
}
