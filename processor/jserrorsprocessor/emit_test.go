// Copyright The otelcol-rum Authors
// SPDX-License-Identifier: Apache-2.0

package jserrorsprocessor

import (
	"context"
	"errors"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"go.opentelemetry.io/collector/component/componenttest"
	"go.opentelemetry.io/collector/consumer"
	"go.opentelemetry.io/collector/pdata/pcommon"
	"go.opentelemetry.io/collector/pdata/pmetric"
	"go.opentelemetry.io/otel/attribute"
	"go.opentelemetry.io/otel/sdk/metric/metricdata"
	"go.opentelemetry.io/otel/sdk/metric/metricdata/metricdatatest"

	"github.com/otelcol-rum/otelcol-rum/processor/jserrorsprocessor/internal/metadatatest"
)

func sendError(t *testing.T, h *harness, message string) {
	t.Helper()
	require.NoError(t, h.lp.ConsumeLogs(context.Background(), logsOf(browserResource(), exception(func(m pcommon.Map) {
		m.PutStr("exception.message", message)
		m.PutStr("exception.stacktrace", "Error: "+message+"\n    at f (https://shop.example/app.js:1:2)")
	}))))
}

// TestEmitsEveryIntervalAndAtShutdown: the counter goes into the metrics pipeline every
// emit_interval, cumulative with its start time kept, and a last time when the metrics
// pipeline shuts down; the pipeline's own metrics pass untouched.
func TestEmitsEveryIntervalAndAtShutdown(t *testing.T) {
	cfg := testConfig()
	cfg.EmitInterval = 10 * time.Millisecond
	h := newHarness(t, cfg, nopSettings(), fakeParts(&fakeSymbolicator{}))
	sendError(t, h, "boom")
	require.Eventually(t, func() bool { return len(h.metrics.AllMetrics()) >= 2 }, 30*time.Second, 5*time.Millisecond)
	first := errorPoints(t, h.metrics)
	require.Len(t, first, 1)
	assert.Equal(t, int64(1), first[0].IntValue())

	passing := pmetric.NewMetrics()
	passing.ResourceMetrics().AppendEmpty().ScopeMetrics().AppendEmpty().Metrics().AppendEmpty().SetName("other")
	require.NoError(t, h.mp.ConsumeMetrics(context.Background(), passing))
	sendError(t, h, "boom")
	require.NoError(t, h.mp.Shutdown(context.Background())) // the metrics pipeline stops first
	last := errorPoints(t, h.metrics)
	require.Len(t, last, 1)
	assert.Equal(t, int64(2), last[0].IntValue(), "cumulative, and flushed at the metrics pipeline's shutdown")
	assert.Equal(t, first[0].StartTimestamp(), last[0].StartTimestamp(), "the start time is kept")

	var passed bool
	for _, md := range h.metrics.AllMetrics() {
		passed = passed || md.ResourceMetrics().At(0).ScopeMetrics().At(0).Metrics().At(0).Name() == "other"
	}
	assert.True(t, passed, "the pipeline's metrics went on")
	n := len(h.metrics.AllMetrics())
	require.NoError(t, h.tp.Shutdown(context.Background()))
	require.NoError(t, h.lp.Shutdown(context.Background()))
	require.NoError(t, h.shared.Shutdown(context.Background()))
	h.stopped = true
	assert.Len(t, h.metrics.AllMetrics(), n, "nothing after the metrics pipeline stopped")
}

// refusingOnce refuses its first metrics.
type refusingOnce struct {
	mu      sync.Mutex
	refused bool
	got     []pmetric.Metrics
}

func (*refusingOnce) Capabilities() consumer.Capabilities { return consumer.Capabilities{} }

func (r *refusingOnce) ConsumeMetrics(_ context.Context, md pmetric.Metrics) error {
	r.mu.Lock()
	defer r.mu.Unlock()
	if !r.refused {
		r.refused = true
		return errors.New("backend down")
	}
	r.got = append(r.got, md)
	return nil
}

// TestRefusedEmissionComesAgain: the counter is cumulative, so what the pipeline refused
// is in the next emission.
func TestRefusedEmissionComesAgain(t *testing.T) {
	h := newHarness(t, testConfig(), nopSettings(), fakeParts(&fakeSymbolicator{}))
	next := &refusingOnce{}
	h.proc.SetMetricsConsumer(next)
	sendError(t, h, "boom")
	h.proc.emit(context.Background())
	h.stop()
	require.Len(t, next.got, 1)
	assert.Equal(t, int64(1), next.got[0].ResourceMetrics().At(0).ScopeMetrics().At(0).Metrics().At(0).Sum().DataPoints().At(0).IntValue())
}

// TestOverflowAndTelemetry: past max_series, errors of new series go to the overflow
// series; the self-telemetry counts errors by symbolication, frames, overflowed errors,
// series and expired series. (The source map store's own telemetry is in
// TestRealMapsTelemetry.)
func TestOverflowAndTelemetry(t *testing.T) {
	tel := componenttest.NewTelemetry()
	t.Cleanup(func() { require.NoError(t, tel.Shutdown(context.Background())) })
	cfg := testConfig()
	cfg.MaxSeries = 1
	cfg.SeriesTTL = time.Hour
	h := newHarness(t, cfg, metadatatest.NewSettings(tel), fakeParts(&fakeSymbolicator{}))
	clock := time.Unix(1_800_000_000, 0)
	h.proc.now = func() time.Time { return clock }
	sendError(t, h, "first")
	sendError(t, h, "first")
	sendError(t, h, "second") // a new series beyond max_series
	h.proc.emit(context.Background())

	points := errorPoints(t, h.metrics)
	require.Len(t, points, 2)
	assert.Equal(t, int64(2), points[0].IntValue())
	assert.Equal(t, map[string]any{"otel.metric.overflow": true}, points[1].Attributes().AsRaw())
	assert.Empty(t, points[1].resource)
	assert.Equal(t, int64(1), points[1].IntValue())

	ignoreTime := []metricdatatest.Option{metricdatatest.IgnoreTimestamp()}
	metadatatest.AssertEqualProcessorJserrorsErrors(t, tel, []metricdata.DataPoint[int64]{
		{Value: 3, Attributes: attribute.NewSet(attribute.String("symbolication", "unresolved"))},
	}, ignoreTime...)
	metadatatest.AssertEqualProcessorJserrorsSeriesOverflowed(t, tel, []metricdata.DataPoint[int64]{{Value: 1}}, ignoreTime...)
	metadatatest.AssertEqualProcessorJserrorsSeries(t, tel, []metricdata.DataPoint[int64]{{Value: 2}}, ignoreTime...)

	clock = clock.Add(2 * time.Hour)
	h.proc.emit(context.Background())
	metadatatest.AssertEqualProcessorJserrorsSeriesExpired(t, tel, []metricdata.DataPoint[int64]{{Value: 1}}, ignoreTime...)
	metadatatest.AssertEqualProcessorJserrorsSeries(t, tel, []metricdata.DataPoint[int64]{{Value: 1}}, ignoreTime...)
}
