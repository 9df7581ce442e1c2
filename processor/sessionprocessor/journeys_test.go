// Copyright The otelcol-rum Authors
// SPDX-License-Identifier: Apache-2.0

package sessionprocessor

import (
	"context"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"go.opentelemetry.io/collector/component"
	"go.opentelemetry.io/collector/component/componenttest"
	"go.opentelemetry.io/collector/consumer/consumertest"
	"go.opentelemetry.io/collector/pdata/pmetric"
	"go.opentelemetry.io/collector/processor/processortest"

	"github.com/otelcol-rum/otelcol-rum/processor/journeysprocessor"
)

// TestJourneysCountTheFrustrationEvents runs the events of the real single-page
// sessions through the journeys processor, as the pipeline after this one does: its
// browser.frustrations counts one rage and one error click on each cart route, so the
// events carry what it reads.
func TestJourneysCountTheFrustrationEvents(t *testing.T) {
	f := journeysprocessor.NewFactory()
	cfg := f.CreateDefaultConfig()
	set := processortest.NewNopSettings(f.Type())
	ctx := context.Background()
	logs, metrics := new(consumertest.LogsSink), new(consumertest.MetricsSink)
	lp, err := f.CreateLogs(ctx, set, cfg, logs)
	require.NoError(t, err)
	mp, err := f.CreateMetrics(ctx, set, cfg, metrics)
	require.NoError(t, err)
	for _, c := range []component.Component{lp, mp} {
		require.NoError(t, c.Start(ctx, componenttest.NewNopHost()))
	}
	for _, scenario := range []string{"spa-faro", "spa-otel"} {
		for _, ld := range replaySPA(t, scenario).logs.AllLogs() {
			require.NoError(t, lp.ConsumeLogs(ctx, ld))
		}
	}
	for _, c := range []component.Component{lp, mp} {
		require.NoError(t, c.Shutdown(ctx))
	}

	got := map[string]int64{}
	all := metrics.AllMetrics()
	require.NotEmpty(t, all)
	for _, rm := range all[len(all)-1].ResourceMetrics().All() {
		for _, sm := range rm.ScopeMetrics().All() {
			for _, m := range sm.Metrics().All() {
				if m.Name() != "browser.frustrations" || m.Type() != pmetric.MetricTypeSum {
					continue
				}
				for _, dp := range m.Sum().DataPoints().All() {
					got[pattrStr(dp.Attributes(), "url.template")+" "+pattrStr(dp.Attributes(), "rum.frustration.type")] += dp.IntValue()
				}
			}
		}
	}
	assert.Equal(t, map[string]int64{
		"/spa-faro/app/cart rage": 1, "/spa-faro/app/cart error": 1,
		"/spa-otel/app/cart rage": 1, "/spa-otel/app/cart error": 1,
	}, got)
}
