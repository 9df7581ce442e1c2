// Copyright The otelcol-rum Authors
// SPDX-License-Identifier: Apache-2.0

package sessionprocessor

import (
	"net/url"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"go.opentelemetry.io/collector/pdata/pcommon"

	"github.com/otelcol-rum/otelcol-rum/internal/sdkcaptures"
)

// replaySPA posts a captured single-page scenario through the rum receiver into a
// pipeline and ends its session.
func replaySPA(t *testing.T, scenario string) *pipeline {
	t.Helper()
	p := startPipeline(t, testConfig(), newFakeClock(), nil)
	endpoint := startReceiver(t, p)
	for _, c := range sdkcaptures.Load(t).Of(t, scenario) {
		require.Less(t, sdkcaptures.Post(t, endpoint, c).StatusCode, 300, c.File)
		p.clock.Advance(time.Second)
	}
	p.expireAfter(time.Hour)
	return p
}

// pathOf is the path of a URL attribute, "" if absent.
func pathOf(t *testing.T, m pcommon.Map, key string) string {
	t.Helper()
	raw := pattrStr(m, key)
	if raw == "" {
		return ""
	}
	u, err := url.Parse(raw)
	require.NoError(t, err)
	return u.Path
}

// vitalTraces maps each web vital's name to its trace and span id.
func vitalTraces(p *pipeline) map[string]string {
	out := map[string]string{}
	for _, lr := range p.dataRecords() {
		if lr.EventName() == "browser.web_vital" {
			name := pattrStr(lr.Attributes(), "browser.web_vital.name")
			out[name] = lr.TraceID().String() + "/" + lr.SpanID().String()
		}
	}
	return out
}

type capturedView struct {
	index                 int64
	navigation, path, typ string
	previous              string
	errors, actions       int64
	exit                  bool
}

func capturedViews(t *testing.T, p *pipeline) []capturedView {
	var out []capturedView
	for _, v := range p.events("rum.view") {
		a := v.Attributes()
		out = append(out, capturedView{
			attr(t, a, "rum.view.index").Int(), attr(t, a, "rum.view.navigation").Str(), pathOf(t, a, "url.full"),
			pattrStr(a, "rum.view.navigation_type"), pathOf(t, a, "rum.view.previous_url"),
			attr(t, a, "rum.view.errors").Int(), attr(t, a, "rum.view.actions").Int(), attr(t, a, "rum.view.exit").Bool(),
		})
		assert.Positive(t, attr(t, a, "rum.view.duration").Double())
	}
	return out
}

// vitalPaths maps each web vital's name to the path of its url.full.
func vitalPaths(t *testing.T, p *pipeline) map[string]string {
	out := map[string]string{}
	for _, lr := range p.dataRecords() {
		if lr.EventName() == "browser.web_vital" {
			out[attr(t, lr.Attributes(), "browser.web_vital.name").Str()] = pathOf(t, lr.Attributes(), "url.full")
		}
	}
	return out
}

// TestRealFaroSinglePageSession replays the spa-faro captures (Faro 2.12.1 with its view
// and navigation instrumentations and faro-react's route_change, on the shop's
// single-page section): a load of /app/ and two route changes make three views, although
// each route change also came as view_changed and faro.navigation; the actions and the
// error click count in /app/cart, where INP and CLS are filed too, while LCP stays with
// the load.
func TestRealFaroSinglePageSession(t *testing.T) {
	p := replaySPA(t, "spa-faro")
	assert.Equal(t, []capturedView{
		{0, "hard", "/spa-faro/app/", "", "", 0, 0, false},
		{1, "soft", "/spa-faro/app/product/42", "", "/spa-faro/app/", 0, 0, false},
		{2, "soft", "/spa-faro/app/cart", "", "/spa-faro/app/product/42", 1, 7, true},
	}, capturedViews(t, p))
	paths := vitalPaths(t, p)
	assert.Equal(t, "/spa-faro/app/cart", paths["inp"])
	assert.Equal(t, "/spa-faro/app/cart", paths["cls"])
	assert.Equal(t, "/spa-faro/app/", paths["lcp"])
	// The cart's first request (add-to-cart's POST /api/cart, whose traceparent the
	// backend received) is the cart's trace; the load's vitals keep the document's.
	traces := vitalTraces(p)
	assert.Equal(t, "7b2a6de88f88f55dfb1a78d65be775da/724c989151ba67cc", traces["inp"])
	assert.Equal(t, "7b2a6de88f88f55dfb1a78d65be775da/724c989151ba67cc", traces["cls"])
	assert.Equal(t, "a4c6721378b978faf2c7370bed3aed35/f08a1d1c143ed664", traces["lcp"])
	ends := p.events("session.end")
	require.Len(t, ends, 1)
	a := ends[0].Attributes()
	assert.Equal(t, int64(3), attr(t, a, "session.views").Int())
	assert.Equal(t, int64(2), attr(t, a, "session.soft_views").Int())
	assert.Equal(t, []any{"/spa-faro/app/", "/spa-faro/app/product/42", "/spa-faro/app/cart"}, attr(t, a, "session.path").Slice().AsRaw())
}

// TestRealOTelSinglePageSession replays the spa-otel captures (OTel JS with the
// browser-navigation instrumentation): the documentLoad span comes in a traces export
// after the logs export that carried the two soft navigations, and still becomes the
// first view; the soft views have their navigation type; the uncaught error (an exception
// event on a span) counts in /app/cart.
func TestRealOTelSinglePageSession(t *testing.T) {
	p := replaySPA(t, "spa-otel")
	assert.Equal(t, []capturedView{
		{0, "hard", "/spa-otel/app/", "", "", 0, 0, false},
		{1, "soft", "/spa-otel/app/product/42", "push", "/spa-otel/app/", 0, 0, false},
		{2, "soft", "/spa-otel/app/cart", "push", "/spa-otel/app/product/42", 1, 0, true},
	}, capturedViews(t, p))
	paths := vitalPaths(t, p)
	assert.Equal(t, "/spa-otel/app/cart", paths["inp"])
	assert.Equal(t, "/spa-otel/app/cart", paths["cls"])
	// The cart's first request is the add-to-cart fetch (POST /api/cart, the parent of
	// the backend's span: its traceparent), which came in a traces export before the
	// INP. (The load's vitals came before the documentLoad span: they have no trace.)
	traces := vitalTraces(p)
	assert.Equal(t, "01132c196819bfa802e6f58e5376e9d3/82fe2ded91b1f68b", traces["inp"])
	assert.Equal(t, "01132c196819bfa802e6f58e5376e9d3/82fe2ded91b1f68b", traces["cls"])
}

type capturedFrustration struct {
	kind, path, target string
	clicks             int64
}

// capturedFrustrations lists the rum.frustration events, checking what each carries.
func capturedFrustrations(t *testing.T, p *pipeline) []capturedFrustration {
	var out []capturedFrustration
	for _, lr := range p.events("rum.frustration") {
		a := lr.Attributes()
		assert.NotEmpty(t, pattrStr(a, "session.id"))
		f := capturedFrustration{kind: attr(t, a, "rum.frustration.type").Str(), path: pathOf(t, a, "url.full"), target: pattrStr(a, "rum.action.target")}
		if c, ok := a.Get("rum.frustration.clicks"); ok {
			f.clicks = c.Int()
		}
		out = append(out, f)
	}
	return out
}

// TestRealFaroFrustration: in the spa-faro captures the five fast apply-coupon clicks
// (five user actions, 133 ms apart) make one rage click, at the fourth, and the exception
// the pay action threw makes one error click, both on the cart; the wishlist (dead)
// click sent nothing, and no dead click is signalled.
func TestRealFaroFrustration(t *testing.T) {
	p := replaySPA(t, "spa-faro")
	assert.Equal(t, []capturedFrustration{
		{kind: "rage", path: "/spa-faro/app/cart", target: "apply-coupon", clicks: 4},
		{kind: "error", path: "/spa-faro/app/cart", target: "pay"},
	}, capturedFrustrations(t, p))
	assertFrustratedSummary(t, p, 2)
}

// TestRealOTelFrustration: in the spa-otel captures the five root click spans on the
// rage button make one rage click and the uncaught error after the pay click one error
// click, on the cart; the child spans of each click count nothing.
func TestRealOTelFrustration(t *testing.T) {
	p := replaySPA(t, "spa-otel")
	got := capturedFrustrations(t, p)
	require.Len(t, got, 2, "%v", got)
	assert.Equal(t, capturedFrustration{kind: "rage", path: "/spa-otel/app/cart", target: `//*[@id="spa-rage"]`, clicks: 4}, got[0])
	assert.Equal(t, "error", got[1].kind)
	assert.Equal(t, "/spa-otel/app/cart", got[1].path)
	assertFrustratedSummary(t, p, 2)
}

func assertFrustratedSummary(t *testing.T, p *pipeline, n int64) {
	t.Helper()
	ends := p.events("session.end")
	require.Len(t, ends, 1)
	a := ends[0].Attributes()
	assert.True(t, attr(t, a, "session.frustrated").Bool())
	assert.Equal(t, n, attr(t, a, "session.frustrations").Int())
}
