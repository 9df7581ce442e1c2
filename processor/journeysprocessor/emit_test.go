// Copyright The otelcol-rum Authors
// SPDX-License-Identifier: Apache-2.0

package journeysprocessor

import (
	"context"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"go.opentelemetry.io/collector/component/componenttest"
	"go.opentelemetry.io/collector/pdata/pmetric"
	"go.opentelemetry.io/otel/sdk/metric/metricdata"
	"go.opentelemetry.io/otel/sdk/metric/metricdata/metricdatatest"

	"github.com/otelcol-rum/otelcol-rum/processor/journeysprocessor/internal/metadatatest"
)

// TestEmitsEveryIntervalAndAtShutdown: the metrics go into the metrics pipeline every
// emit_interval, cumulative with their start time kept, and a last time when the metrics
// pipeline shuts down; the pipeline's own metrics pass untouched; nothing is sent after.
func TestEmitsEveryIntervalAndAtShutdown(t *testing.T) {
	cfg := testConfig()
	cfg.EmitInterval = 10 * time.Millisecond
	h := newHarness(t, cfg, nopSettings())
	send := func() {
		require.NoError(t, h.lp.ConsumeLogs(context.Background(), sessionLogs(viewEvent(view{index: 0, navigation: "hard", url: "https://shop.example/"}, 0))))
	}
	send()
	require.Eventually(t, func() bool { return len(h.metrics.AllMetrics()) >= 2 }, 30*time.Second, 5*time.Millisecond)
	first := points(h.metrics.AllMetrics(), "browser.views")
	assert.Equal(t, map[string]float64{"url.template=/ rum.view.navigation=hard": 1}, first)

	passing := pmetric.NewMetrics()
	passing.ResourceMetrics().AppendEmpty().ScopeMetrics().AppendEmpty().Metrics().AppendEmpty().SetName("other")
	require.NoError(t, h.mp.ConsumeMetrics(context.Background(), passing))
	send()
	require.NoError(t, h.mp.Shutdown(context.Background())) // the metrics pipeline stops first
	assert.Equal(t, map[string]float64{"url.template=/ rum.view.navigation=hard": 2}, points(h.metrics.AllMetrics(), "browser.views"),
		"cumulative, and flushed at the metrics pipeline's shutdown")
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

// TestOneInstanceForEveryPipeline: the three pipelines of one ID share one processor, and
// a configuration of its own makes another.
func TestOneInstanceForEveryPipeline(t *testing.T) {
	cfg := testConfig()
	h := newHarness(t, cfg, nopSettings())
	other, err := processors.LoadOrStore(testConfig(), func() (*journeysProcessor, error) { return newJourneysProcessor(testConfig(), nopSettings()) })
	require.NoError(t, err)
	t.Cleanup(func() { require.NoError(t, other.Shutdown(context.Background())) })
	again, err := sharedProcessor(nopSettings(), cfg)
	require.NoError(t, err)
	assert.Same(t, h.proc, again.Unwrap())
	require.NoError(t, again.Shutdown(context.Background()))
	assert.NotSame(t, h.proc, other.Unwrap())
}

// TestTelemetry: observations, overflowed observations, folded labels, series and
// expired series.
func TestTelemetry(t *testing.T) {
	tel := componenttest.NewTelemetry()
	t.Cleanup(func() { require.NoError(t, tel.Shutdown(context.Background())) })
	cfg := testConfig()
	cfg.MaxSeries = 3
	cfg.MaxTransitionsPerService = 1
	h := newHarness(t, cfg, metadatatest.NewSettings(tel))
	clock := time.Unix(0, testNow)
	h.proc.now = func() time.Time { return clock }
	require.NoError(t, h.lp.ConsumeLogs(context.Background(), sessionLogs(
		viewEvent(view{index: 1, navigation: "soft", url: "https://shop.example/a", previous: "https://shop.example/"}, 0),
		viewEvent(view{index: 2, navigation: "soft", url: "https://shop.example/b", previous: "https://shop.example/a"}, 0),
	)))
	h.proc.emit(context.Background())
	// views /a, transition / → /a, views /b: three series; the second transition is
	// folded, and overflows.
	ignoreTime := []metricdatatest.Option{metricdatatest.IgnoreTimestamp()}
	metadatatest.AssertEqualProcessorJourneysObservations(t, tel, []metricdata.DataPoint[int64]{{Value: 4}}, ignoreTime...)
	metadatatest.AssertEqualProcessorJourneysLabelsFolded(t, tel, []metricdata.DataPoint[int64]{{Value: 1}}, ignoreTime...)
	metadatatest.AssertEqualProcessorJourneysSeriesOverflowed(t, tel, []metricdata.DataPoint[int64]{{Value: 1}}, ignoreTime...)
	metadatatest.AssertEqualProcessorJourneysSeries(t, tel, []metricdata.DataPoint[int64]{{Value: 4}}, ignoreTime...)

	clock = clock.Add(2 * time.Hour)
	h.proc.emit(context.Background())
	metadatatest.AssertEqualProcessorJourneysSeriesExpired(t, tel, []metricdata.DataPoint[int64]{{Value: 3}}, ignoreTime...)
	metadatatest.AssertEqualProcessorJourneysSeries(t, tel, []metricdata.DataPoint[int64]{{Value: 1}}, ignoreTime...)
}
