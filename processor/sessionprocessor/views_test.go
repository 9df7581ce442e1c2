// Copyright The otelcol-rum Authors
// SPDX-License-Identifier: Apache-2.0

package sessionprocessor

import (
	"fmt"
	"math/rand/v2"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"go.opentelemetry.io/collector/pdata/pcommon"
	"go.opentelemetry.io/collector/pdata/plog"

	"github.com/otelcol-rum/otelcol-rum/processor/sessionprocessor/internal/store"
)

// spaRecord is one record of a single-page app's session, at a time after the clock's
// start.
type spaRecord struct {
	after time.Duration
	event string
	url   string
	attrs map[string]any
	trace pcommon.TraceID
	sev   plog.SeverityNumber
}

func spaLogs(start time.Time, records ...spaRecord) plog.Logs {
	ld := sessionLogs("s1")
	lrs := ld.ResourceLogs().At(0).ScopeLogs().At(0).LogRecords()
	for _, r := range records {
		lr := lrs.AppendEmpty()
		lr.SetTimestamp(pcommon.NewTimestampFromTime(start.Add(r.after)))
		lr.SetEventName(r.event)
		lr.SetSeverityNumber(r.sev)
		lr.SetTraceID(r.trace)
		if r.url != "" {
			lr.Attributes().PutStr("url.full", r.url)
		}
		for k, v := range r.attrs {
			switch v := v.(type) {
			case string:
				lr.Attributes().PutStr(k, v)
			case bool:
				lr.Attributes().PutBool(k, v)
			}
		}
	}
	return ld
}

const shop = "https://shop.example"

// TestSinglePageAppSession: a session that loads /, soft-navigates (Faro route_change)
// to /product/42 and /cart, interacts and leaves has three views, the INP and the error
// of /cart are filed under /cart while the LCP stays with the load, and the summary
// counts and lists the views.
func TestSinglePageAppSession(t *testing.T) {
	clock := newFakeClock()
	p := startPipeline(t, testConfig(), clock, nil)
	t0 := clock.Now()
	p.sendLogs(spaLogs(t0,
		spaRecord{event: "faro.performance.navigation", url: shop + "/", trace: pcommon.TraceID{1}, attrs: map[string]any{"rum.navigation.id": "n1"}},
		spaRecord{after: 2 * time.Second, event: "route_change", url: shop + "/", attrs: map[string]any{"toUrl": shop + "/product/42?ref=home", "toRoute": "/product/:id"}},
		spaRecord{after: 5 * time.Second, event: "route_change", url: shop + "/product/42?ref=home", attrs: map[string]any{"toUrl": shop + "/cart"}},
	))
	// Faro's page meta lags: the records of /cart still name /product/42.
	p.sendLogs(spaLogs(t0,
		spaRecord{after: 6 * time.Second, event: "browser.web_vital", url: shop + "/product/42?ref=home", attrs: map[string]any{"browser.web_vital.name": "inp"}},
		spaRecord{after: 6 * time.Second, event: "browser.web_vital", url: shop + "/product/42?ref=home", attrs: map[string]any{"browser.web_vital.name": "lcp"}},
		spaRecord{after: 7 * time.Second, event: "exception", url: shop + "/product/42?ref=home", sev: plog.SeverityNumberError},
		spaRecord{after: 7 * time.Second, event: "faro.user.action", url: shop + "/cart"},
		// a route_change sent again changes nothing
		spaRecord{after: 5 * time.Second, event: "route_change", attrs: map[string]any{"toUrl": shop + "/cart"}},
		spaRecord{after: 30 * time.Second, url: shop + "/cart"},
	))
	views := p.events("rum.view")
	require.Len(t, views, 2, "the first two views are over (the reorder window has passed)")

	byEvent := map[string]pcommon.Map{}
	for _, lr := range p.dataRecords() {
		byEvent[lr.EventName()+"/"+pattrStr(lr.Attributes(), "browser.web_vital.name")] = lr.Attributes()
	}
	inp := byEvent["browser.web_vital/inp"]
	assert.Equal(t, shop+"/cart", attr(t, inp, "url.full").Str())
	assert.Equal(t, shop+"/product/42?ref=home", attr(t, inp, "rum.page.url.original").Str())
	assert.Equal(t, int64(2), attr(t, inp, "rum.view.index").Int())
	lcp := byEvent["browser.web_vital/lcp"]
	assert.Equal(t, shop+"/", attr(t, lcp, "url.full").Str(), "a load vital stays with its load")
	_, indexed := lcp.Get("rum.view.index")
	assert.False(t, indexed, "records of hard views are left as they are")
	assert.Equal(t, shop+"/cart", attr(t, byEvent["exception/"], "url.full").Str())
	_, refiled := byEvent["faro.user.action/"].Get("rum.page.url.original")
	assert.False(t, refiled, "an action on its own view's page keeps it")

	p.expireAfter(time.Hour)
	views = p.events("rum.view")
	require.Len(t, views, 3)
	type view struct {
		index                 int64
		navigation, url, prev string
		duration              float64
		errors, actions       int64
		exit                  bool
	}
	var got []view
	for _, v := range views {
		a := v.Attributes()
		prev := pattrStr(a, "rum.view.previous_url")
		got = append(got, view{
			attr(t, a, "rum.view.index").Int(), attr(t, a, "rum.view.navigation").Str(), attr(t, a, "url.full").Str(), prev,
			attr(t, a, "rum.view.duration").Double(), attr(t, a, "rum.view.errors").Int(), attr(t, a, "rum.view.actions").Int(),
			attr(t, a, "rum.view.exit").Bool(),
		})
		assert.Equal(t, "s1", attr(t, a, "session.id").Str())
	}
	assert.Equal(t, []view{
		{0, "hard", shop + "/", "", 2000, 0, 0, false},
		{1, "soft", shop + "/product/42?ref=home", shop + "/", 3000, 0, 0, false},
		{2, "soft", shop + "/cart", shop + "/product/42?ref=home", 25000, 1, 1, true},
	}, got)
	assert.Equal(t, pcommon.TraceID{1}, views[0].TraceID(), "the hard view's page trace")

	ends := p.events("session.end")
	require.Len(t, ends, 1)
	a := ends[0].Attributes()
	assert.Equal(t, int64(3), attr(t, a, "session.views").Int())
	assert.Equal(t, int64(2), attr(t, a, "session.soft_views").Int())
	assert.Equal(t, int64(1), attr(t, a, "session.page_views").Int())
	assert.False(t, attr(t, a, "session.bounce").Bool())
	assert.Equal(t, []any{"/", "/product/42", "/cart"}, attr(t, a, "session.path").Slice().AsRaw())
	assert.Equal(t, shop+"/", attr(t, a, "session.entry_page").Str())
	assert.Equal(t, shop+"/cart", attr(t, a, "session.exit_page").Str())
}

func pattrStr(m pcommon.Map, key string) string {
	if v, ok := m.Get(key); ok {
		return v.Str()
	}
	return ""
}

// TestInferredSoftNavigations: without soft-navigation events, a change of the URL path
// between records is a soft view (a change of query is not); once the session sends a
// soft-navigation event, URL changes are no longer taken for navigations; and with
// infer_soft_navigations off, never.
func TestInferredSoftNavigations(t *testing.T) {
	for _, infer := range []bool{true, false} {
		cfg := testConfig()
		cfg.InferSoftNavigations = infer
		clock := newFakeClock()
		p := startPipeline(t, cfg, clock, nil)
		t0 := clock.Now()
		p.sendLogs(spaLogs(t0,
			spaRecord{event: "faro.performance.navigation", url: shop + "/", attrs: map[string]any{"rum.navigation.id": "n1"}},
			spaRecord{after: time.Second, url: shop + "/?q=1"},
			spaRecord{after: 2 * time.Second, url: shop + "/search"},
			spaRecord{after: 3 * time.Second, url: shop + "/search#results"},
		))
		// Navigations are taken before the other records of their batch.
		p.sendLogs(spaLogs(t0,
			spaRecord{after: 4 * time.Second, event: "browser.navigation", url: shop + "/cart", attrs: map[string]any{"browser.navigation.same_document": true, "browser.navigation.type": "replace"}},
			spaRecord{after: 5 * time.Second, url: shop + "/elsewhere"},
		))
		p.expireAfter(time.Hour)
		var urls, types []string
		for _, v := range p.events("rum.view") {
			urls = append(urls, attr(t, v.Attributes(), "url.full").Str())
			types = append(types, pattrStr(v.Attributes(), "rum.view.navigation_type"))
		}
		if infer {
			assert.Equal(t, []string{shop + "/", shop + "/search", shop + "/cart"}, urls)
			assert.Equal(t, []string{"", "", "replace"}, types)
		} else {
			assert.Equal(t, []string{shop + "/", shop + "/cart"}, urls)
		}
		p.stop()
	}
}

// TestViewsSurviveARestart: a session with soft views, saved and restored, goes on with
// its views: their events go out once, after the restart.
func TestViewsSurviveARestart(t *testing.T) {
	clock := newFakeClock()
	host, stopStorage := startFileStorage(t, t.TempDir())
	defer stopStorage()
	cfg := testConfig()
	cfg.Storage = &storageID
	p := startPipeline(t, cfg, clock, host)
	t0 := clock.Now()
	p.sendLogs(spaLogs(t0,
		spaRecord{event: "faro.performance.navigation", url: shop + "/", attrs: map[string]any{"rum.navigation.id": "n1"}},
		spaRecord{after: time.Second, event: "route_change", attrs: map[string]any{"toUrl": shop + "/a"}},
	))
	p.stop()
	require.Empty(t, p.events("rum.view"))

	cfg2 := testConfig()
	cfg2.Storage = &storageID
	again := startPipeline(t, cfg2, clock, host)
	again.sendLogs(spaLogs(t0, spaRecord{after: time.Minute, event: "route_change", attrs: map[string]any{"toUrl": shop + "/b"}}))
	again.expireAfter(time.Hour)
	var urls []string
	for _, v := range again.events("rum.view") {
		urls = append(urls, attr(t, v.Attributes(), "url.full").Str())
	}
	assert.Equal(t, []string{shop + "/", shop + "/a", shop + "/b"}, urls)
}

// FuzzNavigationOrder sends a session's navigations shuffled, duplicated and split into
// batches at random, with records in between: whatever the order, nothing panics, there
// are no more views than navigations sent, every rum.view has a distinct index, and the
// state stays bounded. (A copy of a navigation older than the views a session keeps is
// not recognised: it becomes a late view, without event.)
func FuzzNavigationOrder(f *testing.F) {
	f.Add(uint64(1), uint8(5), uint8(2))
	f.Add(uint64(7), uint8(40), uint8(0))
	f.Add(uint64(42), uint8(200), uint8(9))
	f.Fuzz(func(t *testing.T, seed uint64, n, dups uint8) {
		rng := rand.New(rand.NewPCG(seed, seed>>1|1))
		clock := newFakeClock()
		p := startPipeline(t, testConfig(), clock, nil)
		t0 := clock.Now()
		var navs []spaRecord
		navs = append(navs, spaRecord{event: "faro.performance.navigation", url: shop + "/", attrs: map[string]any{"rum.navigation.id": "n1"}})
		for i := range int(n) {
			navs = append(navs, spaRecord{after: time.Duration(i+1) * time.Duration(1+rng.IntN(3000)) * time.Millisecond, event: "route_change",
				attrs: map[string]any{"toUrl": shop + "/p/" + string(rune('a'+rng.IntN(26)))}})
		}
		for range int(dups) {
			navs = append(navs, navs[rng.IntN(len(navs))])
		}
		sent := len(navs)
		rng.Shuffle(len(navs), func(i, j int) { navs[i], navs[j] = navs[j], navs[i] })
		for len(navs) > 0 {
			k := 1 + rng.IntN(len(navs))
			batch := append(navs[:k:k], spaRecord{after: time.Duration(rng.IntN(600)) * time.Second, event: "exception", sev: plog.SeverityNumberError})
			p.sendLogs(spaLogs(t0, batch...))
			navs = navs[k:]
			for _, r := range openRecords(p.proc) {
				require.LessOrEqual(t, len(r.Pages), store.MaxPageViewsKept+p.cfg.PathLength)
			}
		}
		p.expireAfter(time.Hour)
		views := p.events("rum.view")
		ends := p.events("session.end")
		require.Len(t, ends, 1)
		total := attr(t, ends[0].Attributes(), "session.views").Int()
		assert.LessOrEqual(t, total, int64(sent))
		assert.LessOrEqual(t, int64(len(views)), total)
		seen := map[int64]bool{}
		for _, v := range views {
			i := attr(t, v.Attributes(), "rum.view.index").Int()
			assert.False(t, seen[i], "index %d twice", i)
			assert.Less(t, i, total)
			seen[i] = true
		}
	})
}

// TestRecordsBeforeTheirLoadMakeNoExtraView: in a multi-page site, Faro sends a page's
// navigation event once the page has loaded, so an error of the new page can arrive
// first; the view inferred from it is that load, and becomes it when its event comes.
func TestRecordsBeforeTheirLoadMakeNoExtraView(t *testing.T) {
	clock := newFakeClock()
	p := startPipeline(t, testConfig(), clock, nil)
	t0 := clock.Now()
	p.sendLogs(spaLogs(t0,
		spaRecord{event: "faro.performance.navigation", url: shop + "/", attrs: map[string]any{"rum.navigation.id": "n1"}},
	))
	p.sendLogs(spaLogs(t0,
		spaRecord{after: 5*time.Second + 300*time.Millisecond, event: "exception", url: shop + "/cart?step=1", sev: plog.SeverityNumberError},
	))
	p.sendLogs(spaLogs(t0,
		spaRecord{after: 5 * time.Second, event: "faro.performance.navigation", url: shop + "/cart?step=1", attrs: map[string]any{"rum.navigation.id": "n2"}},
	))
	p.expireAfter(time.Hour)
	var got []string
	for _, v := range p.events("rum.view") {
		a := v.Attributes()
		got = append(got, attr(t, a, "rum.view.navigation").Str()+" "+attr(t, a, "url.full").Str()+" errors="+
			fmt.Sprint(attr(t, a, "rum.view.errors").Int()))
	}
	assert.Equal(t, []string{"hard " + shop + "/ errors=0", "hard " + shop + "/cart?step=1 errors=1"}, got)
	ends := p.events("session.end")
	require.Len(t, ends, 1)
	assert.Equal(t, int64(2), attr(t, ends[0].Attributes(), "session.views").Int())
	assert.Equal(t, int64(0), attr(t, ends[0].Attributes(), "session.soft_views").Int())
}
