// Copyright The otelcol-rum Authors
// SPDX-License-Identifier: Apache-2.0

package journeysprocessor

import (
	"context"
	"fmt"
	"math"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"go.opentelemetry.io/collector/pdata/pcommon"
	"go.opentelemetry.io/collector/pdata/plog"
	"go.opentelemetry.io/collector/pdata/pmetric"
)

// seriesOf counts the points of the named metric, and of those the overflow series.
func seriesOf(md pmetric.Metrics, name string) (total, overflow int) {
	for _, rm := range md.ResourceMetrics().All() {
		for _, sm := range rm.ScopeMetrics().All() {
			for _, m := range sm.Metrics().All() {
				if m.Name() != name {
					continue
				}
				var all []pcommon.Map
				switch m.Type() {
				case pmetric.MetricTypeSum:
					for _, dp := range m.Sum().DataPoints().All() {
						all = append(all, dp.Attributes())
					}
				case pmetric.MetricTypeHistogram:
					for _, dp := range m.Histogram().DataPoints().All() {
						all = append(all, dp.Attributes())
					}
				}
				for _, a := range all {
					total++
					if _, ok := a.Get("otel.metric.overflow"); ok {
						overflow++
					}
				}
			}
		}
	}
	return total, overflow
}

// word is a distinct word of letters for i, a path segment that automatic templating
// keeps as it is (digits would become {id}).
func word(i int) string {
	b := []byte("page")
	for {
		b = append(b, byte('a'+i%26))
		i /= 26
		if i == 0 {
			return string(b)
		}
	}
}

// TestFloodStaysWithinTheLimits: 10,000 distinct routes, transitions and action names from
// one app stay within max_routes_per_service, max_transitions_per_service and
// max_action_names_per_service; the rest is folded into overflow_route, and nothing is
// lost from the totals.
func TestFloodStaysWithinTheLimits(t *testing.T) {
	cfg := testConfig()
	cfg.MaxRoutesPerService = 200
	cfg.MaxTransitionsPerService = 30
	cfg.MaxActionNamesPerService = 20
	cfg.Dimensions = nil
	h := newHarness(t, cfg, nopSettings())
	const n = 10_000
	var records []func(plog.LogRecordSlice)
	for i := range n {
		url := "https://shop.example/section/" + word(i)
		prev := "https://shop.example/from/" + word(i)
		records = append(records,
			viewEvent(view{index: 1, navigation: "soft", url: url, previous: prev}, 0),
			faroAction(fmt.Sprintf("action-%d", i), url, 10, 0))
	}
	require.NoError(t, h.lp.ConsumeLogs(context.Background(), sessionLogs(records...)))
	h.proc.emit(context.Background())
	md := h.metrics.AllMetrics()[0]

	// The routes of both ends of the transitions share the service's route budget.
	routes := map[string]bool{}
	for labels := range points(h.metrics.AllMetrics(), "browser.views") {
		routes[strings.Fields(labels)[0]] = true
	}
	for labels := range points(h.metrics.AllMetrics(), "browser.view.transitions") {
		from, to, _ := strings.Cut(labels, " ")
		routes[strings.Replace(from, "rum.view.from", "url.template", 1)], routes[to] = true, true
	}
	assert.LessOrEqual(t, len(routes), cfg.MaxRoutesPerService+1, "routes up to max_routes_per_service, plus the overflow route")
	// Each view brings two new routes (its own and the one it came from) into the budget,
	// so the views fill half of it before the rest is {other}.
	viewRoutes := 0
	for labels := range points(h.metrics.AllMetrics(), "browser.views") {
		if strings.HasPrefix(labels, "url.template=/section/") {
			viewRoutes++
		}
	}
	assert.Equal(t, cfg.MaxRoutesPerService/2, viewRoutes, "the flood filled the route bound")
	assert.True(t, routes["url.template={other}"], "routes past the bound are {other}")
	transitions, _ := seriesOf(md, "browser.view.transitions")
	assert.Equal(t, cfg.MaxTransitionsPerService+1, transitions, "transitions up to max_transitions_per_service, plus the folded one")
	assert.InDelta(t, float64(n-cfg.MaxTransitionsPerService), points(h.metrics.AllMetrics(), "browser.view.transitions")["rum.view.from={other} url.template={other}"], 0,
		"every transition past the bound is folded, none lost")
	actions, _ := seriesOf(md, "browser.action.duration")
	// Action names are bounded, and each name has at most the routes of the service.
	assert.LessOrEqual(t, actions, (cfg.MaxActionNamesPerService+1)*(cfg.MaxRoutesPerService+1))
	var actionNames = map[string]bool{}
	var sum float64
	for labels, count := range points(h.metrics.AllMetrics(), "browser.action.duration") {
		actionNames[labels[strings.Index(labels, "rum.action.name="):]] = true
		sum += count
	}
	assert.Len(t, actionNames, cfg.MaxActionNamesPerService+1, "names up to max_action_names_per_service, plus the folded one")
	assert.InDelta(t, float64(n), sum, 0, "every action counted")
	var total float64
	for _, c := range points(h.metrics.AllMetrics(), "browser.views") {
		total += c
	}
	assert.InDelta(t, float64(n), total, 0, "every view counted")
}

// TestMaxSeriesBoundsEverything: with a small max_series every metric's further series go
// to its overflow series, under a resource of its own.
func TestMaxSeriesBoundsEverything(t *testing.T) {
	cfg := testConfig()
	cfg.MaxSeries = 5
	h := newHarness(t, cfg, nopSettings())
	require.NoError(t, h.lp.ConsumeLogs(context.Background(), shopJourney()))
	h.proc.emit(context.Background())
	md := h.metrics.AllMetrics()[0]
	var kept, overflow int
	for _, name := range []string{"browser.views", "browser.view.transitions", "browser.view.entries", "browser.view.exits", "browser.frustrations", "browser.session.views", "browser.session.duration", "browser.action.duration"} {
		n, o := seriesOf(md, name)
		kept += n - o
		overflow += o
	}
	assert.Equal(t, 5, kept)
	assert.Positive(t, overflow)
	last := md.ResourceMetrics().At(md.ResourceMetrics().Len() - 1)
	assert.Equal(t, 0, last.Resource().Attributes().Len(), "the overflow series have a resource of their own")
}

// TestBadValuesAreNotMeasured: durations that are no number, negative, NaN or infinite,
// and spans that end before they start, count nothing; nothing crashes.
func TestBadValuesAreNotMeasured(t *testing.T) {
	h := newHarness(t, testConfig(), nopSettings())
	ld := sessionLogs(
		faroAction("a", "https://shop.example/", -5, 0),
		faroAction("b", "https://shop.example/", math.Inf(1), 0),
		func(records plog.LogRecordSlice) {
			attrs := event(records, "faro.user.action", 0)
			attrs.PutStr("userActionName", "c")
			attrs.PutStr("userActionDuration", "soon")
		},
		sessionEnd(-1, -3, math.NaN()),
	)
	require.NoError(t, h.lp.ConsumeLogs(context.Background(), ld))
	td := interactionSpans("https://shop.example/", time.Second)
	span := td.ResourceSpans().At(0).ScopeSpans().At(0).Spans().At(0)
	span.SetEndTimestamp(span.StartTimestamp() - 1)
	require.NoError(t, h.tp.ConsumeTraces(context.Background(), td))
	h.proc.emit(context.Background())
	assert.Empty(t, h.metrics.AllMetrics(), "nothing to emit")
}

// TestActionsThatNeverEnd: Faro actions of NaN milliseconds or of the largest float64
// (twice: their sum would be infinite) are not measured, one of 10^12 is (in the last
// bucket); an OTel click span that never ended (end 0) counts nothing. Every record and
// span goes on.
func TestActionsThatNeverEnd(t *testing.T) {
	h := newHarness(t, testConfig(), nopSettings())
	ld := sessionLogs(
		faroAction("pay", "https://shop.example/", math.NaN(), 0),
		faroAction("pay", "https://shop.example/", math.MaxFloat64, 0),
		faroAction("pay", "https://shop.example/", math.MaxFloat64, 0),
		faroAction("pay", "https://shop.example/", 1e12, 0),
		faroAction("pay", "https://shop.example/", 120, 0),
	)
	require.NoError(t, h.lp.ConsumeLogs(context.Background(), ld))
	td := interactionSpans("https://shop.example/", time.Second, time.Second)
	td.ResourceSpans().At(0).ScopeSpans().At(0).Spans().At(0).SetEndTimestamp(0)
	require.NoError(t, h.tp.ConsumeTraces(context.Background(), td))
	h.stop()

	assert.Equal(t, 5, h.logs.LogRecordCount(), "no record lost")
	assert.Equal(t, 2, h.traces.SpanCount(), "no span lost")
	assert.Equal(t, map[string]float64{
		"url.template=/ rum.action.name=pay":   2,
		"url.template=/ rum.action.name=click": 1,
	}, points(h.metrics.AllMetrics(), "browser.action.duration"))
	md := h.metrics.AllMetrics()[len(h.metrics.AllMetrics())-1]
	for _, rm := range md.ResourceMetrics().All() {
		for _, sm := range rm.ScopeMetrics().All() {
			for _, m := range sm.Metrics().All() {
				if m.Name() != "browser.action.duration" {
					continue
				}
				for _, dp := range m.Histogram().DataPoints().All() {
					assert.False(t, math.IsInf(dp.Sum(), 0) || math.IsNaN(dp.Sum()), "sum %v of %v", dp.Sum(), dp.Attributes().AsRaw())
				}
			}
		}
	}
}
