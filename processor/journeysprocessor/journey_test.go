// Copyright The otelcol-rum Authors
// SPDX-License-Identifier: Apache-2.0

package journeysprocessor

import (
	"context"
	"flag"
	"path/filepath"
	"testing"
	"time"

	"github.com/open-telemetry/opentelemetry-collector-contrib/pkg/pdatatest/plogtest"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"go.opentelemetry.io/collector/pdata/plog"

	"github.com/otelcol-rum/otelcol-rum/internal/goldenfile"
)

var update = flag.Bool("update", false, "rewrite the golden files under testdata/golden from the current output")

// shopJourney is one session of the shop: a hard load of /, soft navigations to a product
// and to the cart, a rage click and an error click on the cart, two user actions, and
// the session's end; with a second session that bounces on a product page.
func shopJourney() plog.Logs {
	return sessionLogs(
		viewEvent(view{index: 0, navigation: "hard", url: "https://shop.example/?utm=x", durationMillis: 4200}, 0),
		faroAction("open-product", "https://shop.example/", 180, 3*time.Second),
		viewEvent(view{index: 1, navigation: "soft", url: "https://shop.example/product/42", previous: "https://shop.example/?utm=x", durationMillis: 9100}, 4*time.Second),
		faroAction("add-to-cart", "https://shop.example/product/42", 420, 10*time.Second),
		viewEvent(view{index: 2, navigation: "soft", url: "https://shop.example/cart", previous: "https://shop.example/product/42", exit: true, durationMillis: 15000}, 13*time.Second),
		frustrationEvent("rage", "https://shop.example/cart", 20*time.Second),
		frustrationEvent("error", "https://shop.example/cart", 21*time.Second),
		sessionEnd(3, 1, 28),
		viewEvent(view{index: 0, navigation: "hard", url: "https://shop.example/product/7", exit: true, durationMillis: 2000}, 30*time.Second),
		sessionEnd(-1, 1, 2), // a summary from before soft views: session.page_views only
	)
}

// TestJourneyMetrics: the views, transitions, entries, exits, views and duration per
// session, action durations and frustrations of the shop's sessions, by route.
func TestJourneyMetrics(t *testing.T) {
	h := newHarness(t, testConfig(), nopSettings())
	require.NoError(t, h.lp.ConsumeLogs(context.Background(), shopJourney()))
	require.NoError(t, h.tp.ConsumeTraces(context.Background(), interactionSpans("https://shop.example/cart", 80*time.Millisecond, 1200*time.Millisecond)))
	h.stop()
	got := h.metrics.AllMetrics()

	assert.Equal(t, map[string]float64{
		"url.template=/ rum.view.navigation=hard":             1,
		"url.template=/product/{id} rum.view.navigation=soft": 1,
		"url.template=/product/{id} rum.view.navigation=hard": 1,
		"url.template=/cart rum.view.navigation=soft":         1,
	}, points(got, "browser.views"))
	assert.Equal(t, map[string]float64{
		"rum.view.from=/ url.template=/product/{id}":     1,
		"rum.view.from=/product/{id} url.template=/cart": 1,
	}, points(got, "browser.view.transitions"))
	assert.Equal(t, map[string]float64{"url.template=/": 1, "url.template=/product/{id}": 1}, points(got, "browser.view.entries"))
	assert.Equal(t, map[string]float64{"url.template=/cart": 1, "url.template=/product/{id}": 1}, points(got, "browser.view.exits"))
	assert.Equal(t, map[string]float64{"": 2}, points(got, "browser.session.views"))
	assert.Equal(t, map[string]float64{"": 2}, points(got, "browser.session.duration"))
	assert.Equal(t, map[string]float64{
		"url.template=/ rum.action.name=open-product":            1,
		"url.template=/product/{id} rum.action.name=add-to-cart": 1,
		"url.template=/cart rum.action.name=click":               2,
	}, points(got, "browser.action.duration"))
	assert.Equal(t, map[string]float64{
		"url.template=/cart rum.frustration.type=rage":  1,
		"url.template=/cart rum.frustration.type=error": 1,
	}, points(got, "browser.frustrations"))

	golden := filepath.Join("testdata", "golden", "journey.metrics.json")
	goldenfile.Metrics(t, golden, got[len(got)-1:], *update)
}

// TestPassesDataOnWritingOnlyRouteTemplates: the records go on as they came, but for
// url.template on every rum.view and rum.view.from on those with a previous view.
func TestPassesDataOnWritingOnlyRouteTemplates(t *testing.T) {
	h := newHarness(t, testConfig(), nopSettings())
	require.NoError(t, h.lp.ConsumeLogs(context.Background(), shopJourney()))
	traces := interactionSpans("https://shop.example/cart", time.Second)
	require.NoError(t, h.tp.ConsumeTraces(context.Background(), traces))

	want := shopJourney()
	records := want.ResourceLogs().At(0).ScopeLogs().At(0).LogRecords()
	for _, i := range []int{0, 2, 4, 8} {
		attrs := records.At(i).Attributes()
		require.Equal(t, "rum.view", records.At(i).EventName())
		switch i {
		case 0:
			attrs.PutStr("url.template", "/")
		case 2:
			attrs.PutStr("url.template", "/product/{id}")
			attrs.PutStr("rum.view.from", "/")
		case 4:
			attrs.PutStr("url.template", "/cart")
			attrs.PutStr("rum.view.from", "/product/{id}")
		case 8:
			attrs.PutStr("url.template", "/product/{id}")
		}
	}
	require.Len(t, h.logs.AllLogs(), 1)
	require.NoError(t, plogtest.CompareLogs(want, h.logs.AllLogs()[0]))
	require.Len(t, h.traces.AllTraces(), 1)
	assert.Equal(t, interactionSpans("https://shop.example/cart", time.Second), h.traces.AllTraces()[0])
}
