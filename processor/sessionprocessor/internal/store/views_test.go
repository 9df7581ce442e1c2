// Copyright The otelcol-rum Authors
// SPDX-License-Identifier: Apache-2.0

package store

import (
	"fmt"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

var viewLimits = Limits{InactivityTimeout: 15 * time.Minute, MaxDuration: 4 * time.Hour, MaxSessions: 10, PathLength: 3, ReorderWindow: 10 * time.Second}

// sec is a record time: seconds after the fake clock's start.
func sec(s float64) int64 { return at(s / 60) }

func newViewStore() *Store {
	st := New(viewLimits, keepAll)
	st.CollectViewEvents()
	return st
}

func hard(nav, url string, start int64) PageView {
	return PageView{NavigationID: nav, URL: url, Start: start, TraceID: [16]byte{byte(start)}}
}

func soft(url string, start int64) PageView {
	return PageView{URL: url, Start: start, Soft: true, Type: NavigationPush}
}

func urls(evs []ViewEvent) []string {
	out := make([]string, len(evs))
	for i, e := range evs {
		out[i] = fmt.Sprint(e.Index, " ", e.URL)
	}
	return out
}

// TestViewsEndWhenTheNextOneSettles: a view's event goes out once the session's records
// are the reorder window past the next view's start, with its duration, its neighbour
// and its counts; the last view goes out at the session's end as its exit.
func TestViewsEndWhenTheNextOneSettles(t *testing.T) {
	st := newViewStore()
	s := st.Touch("s", at(0), false).Session
	s.Update(&Info{App: "shop", URL: "https://shop/record-before-any-view"})
	require.Equal(t, NavigationView, s.AddPageView(hard("n1", "https://shop/", sec(0))))
	s.Observe(sec(1))
	require.Equal(t, NavigationView, s.AddPageView(soft("https://shop/product/42", sec(5))))
	v := s.ViewAt(sec(6), false)
	require.True(t, v.Valid())
	v.AddError()
	v.AddAction()
	assert.Equal(t, uint32(1), v.Index)
	assert.True(t, v.URLIs("https://shop/product/42"))
	assert.Empty(t, st.TakeViewEvents(), "the next view has not settled")
	s.Observe(sec(14.9))
	assert.Empty(t, st.TakeViewEvents())
	s.Observe(sec(15))
	evs := st.TakeViewEvents()
	require.Len(t, evs, 1)
	assert.Equal(t, ViewEvent{SessionID: "s", App: "shop", Index: 0, URL: "https://shop/", Start: sec(0), End: sec(5), TraceID: [16]byte{byte(sec(0))}}, evs[0])

	require.Equal(t, NavigationView, s.AddPageView(soft("https://shop/cart", sec(20))))
	s.Observe(sec(21))
	ended := st.EndLeastRecent(1, EndShutdown, at(1))
	require.Len(t, ended, 1)
	evs = st.TakeViewEvents()
	require.Len(t, evs, 2)
	assert.Equal(t, ViewEvent{SessionID: "s", App: "shop", Index: 1, URL: "https://shop/product/42", PreviousURL: "https://shop/",
		Start: sec(5), End: sec(20), Soft: true, Type: NavigationPush, Errors: 1, Actions: 1}, evs[0])
	assert.Equal(t, ViewEvent{SessionID: "s", App: "shop", Index: 2, URL: "https://shop/cart", PreviousURL: "https://shop/product/42",
		Start: sec(20), End: sec(21), Soft: true, Type: NavigationPush, Exit: true}, evs[1])
	r := ended[0].Session
	assert.Equal(t, uint32(3), r.Views)
	assert.Equal(t, uint32(2), r.SoftViews)
	assert.Equal(t, uint32(1), r.HardViews())
	assert.Equal(t, "https://shop/", r.EntryPage, "view-based, not the first record's page")
	assert.Equal(t, "https://shop/cart", r.ExitPage)
	assert.False(t, r.Bounce())
	assert.Len(t, r.Pages, 3, "the ended session keeps its views for the path")
	assert.Zero(t, st.urls.len())
}

// TestSoftNavigationBeforeTheHardOne: the OTel SDK exports its documentLoad span after
// the soft navigations that followed it; within the reorder window the hard view still
// becomes the first.
func TestSoftNavigationBeforeTheHardOne(t *testing.T) {
	st := newViewStore()
	s := st.Touch("s", at(0), false).Session
	s.AddPageView(soft("https://shop/product/42", sec(2)))
	s.AddPageView(soft("https://shop/cart", sec(3)))
	s.Observe(sec(4))
	assert.Equal(t, uint32(0), s.ViewAt(sec(2.5), false).Index)
	require.Equal(t, NavigationView, s.AddPageView(hard("", "https://shop/", sec(0))))
	assert.Equal(t, uint32(1), s.ViewAt(sec(2.5), false).Index, "the soft view is second now")
	assert.Equal(t, uint32(0), s.ViewAt(sec(-5), false).Index, "a record before every view goes to the first")
	assert.Equal(t, uint32(0), s.ViewAt(sec(3.5), true).Index, "a page-load vital goes to the load")
	st.EndLeastRecent(1, EndShutdown, at(1))
	assert.Equal(t, []string{"0 https://shop/", "1 https://shop/product/42", "2 https://shop/cart"}, urls(st.TakeViewEvents()))
}

// TestLateNavigation: a navigation older than a view whose event went out is kept for
// the records of its time but gets no event.
func TestLateNavigation(t *testing.T) {
	st := newViewStore()
	s := st.Touch("s", at(0), false).Session
	s.AddPageView(hard("n1", "https://shop/", sec(0)))
	s.AddPageView(soft("https://shop/a", sec(5)))
	s.Observe(sec(60))
	assert.Len(t, st.TakeViewEvents(), 1)
	assert.Equal(t, NavigationLate, s.AddPageView(soft("https://shop/b", sec(3))))
	assert.True(t, s.ViewAt(sec(4), false).URLIs("https://shop/b"))
	assert.Empty(t, st.TakeViewEvents())
	st.EndLeastRecent(1, EndShutdown, at(1))
	assert.Equal(t, []string{"2 https://shop/a"}, urls(st.TakeViewEvents()))
}

// TestDuplicateNavigations: SDKs send events again; a navigation seen before changes
// nothing, and neither does a soft navigation to the URL of the view it would follow.
func TestDuplicateNavigations(t *testing.T) {
	st := newViewStore()
	s := st.Touch("s", at(0), false).Session
	s.AddPageView(hard("n1", "https://shop/", sec(0)))
	s.AddPageView(soft("https://shop/a", sec(5)))
	s.AddPageView(hard("", "https://shop/doc", sec(9)))
	for _, pv := range []PageView{
		hard("n1", "https://shop/elsewhere", sec(7)),
		soft("https://shop/a", sec(5)),
		soft("https://shop/a", sec(6)),
		hard("", "https://shop/doc", sec(9)),
	} {
		assert.Equal(t, NavigationDuplicate, s.AddPageView(pv), "%+v", pv)
	}
	assert.Equal(t, NavigationView, s.AddPageView(hard("", "https://shop/doc", sec(12))), "a reload is a view")
	assert.Equal(t, uint32(4), s.Views())
	assert.Equal(t, uint32(1), s.SoftViews())
}

// TestThousandsOfSoftNavigations: a route change every millisecond keeps the session's
// state bounded (the first PathLength views and the latest MaxPageViewsKept), sends every
// view's event once, with its index, and frees what it drops.
func TestThousandsOfSoftNavigations(t *testing.T) {
	st := newViewStore()
	s := st.Touch("s", at(0), false).Session
	s.AddPageView(hard("n1", "https://shop/", sec(0)))
	const n = 5000
	var evs []ViewEvent
	for i := 1; i <= n; i++ {
		ms := sec(0) + int64(i)*int64(time.Millisecond)
		require.Equal(t, NavigationView, s.AddPageView(soft(fmt.Sprint("https://shop/p/", i), ms)))
		s.Observe(ms)
		evs = append(evs, st.TakeViewEvents()...)
		require.LessOrEqual(t, int(st.sessions.at(s.i).nPages), viewLimits.PathLength+MaxPageViewsKept)
	}
	assert.LessOrEqual(t, st.urls.len(), viewLimits.PathLength+MaxPageViewsKept+2)
	ended := st.EndLeastRecent(1, EndShutdown, at(1))
	evs = append(evs, st.TakeViewEvents()...)
	require.Len(t, evs, n+1)
	seen := map[uint32]bool{}
	for _, e := range evs {
		assert.False(t, seen[e.Index], "index %d twice", e.Index)
		seen[e.Index] = true
		want := fmt.Sprint("https://shop/p/", e.Index)
		if e.Index == 0 {
			want = "https://shop/"
		}
		assert.Equal(t, want, e.URL)
	}
	r := ended[0].Session
	assert.Equal(t, uint32(n+1), r.Views)
	require.Len(t, r.Pages, viewLimits.PathLength+MaxPageViewsKept)
	assert.Equal(t, "https://shop/", r.Pages[0].URL, "the path keeps the first views")
	assert.Equal(t, "https://shop/p/2", r.Pages[2].URL)
	assert.Equal(t, fmt.Sprint("https://shop/p/", n), r.Pages[len(r.Pages)-1].URL)
	assert.Zero(t, st.urls.len())
}

// TestRestoreVersion1: a snapshot chunk written before views (format 1, written by the
// previous release) restores; its views count as hard, already sent, and the session goes
// on with soft views.
func TestRestoreVersion1(t *testing.T) {
	data, err := os.ReadFile(filepath.Join("testdata", "chunk-v1.bin"))
	require.NoError(t, err)
	st := newViewStore()
	frames := decodeAll(t, data, KindChunk)
	require.Len(t, frames, 1)
	require.NoError(t, frames[0].Err)
	r := frames[0].Record
	assert.Equal(t, uint32(2), r.Views)
	assert.Zero(t, r.SoftViews)
	require.Len(t, r.Pages, 2)
	assert.True(t, r.Pages[0].Emitted && r.Pages[1].Emitted)
	assert.Equal(t, "https://shop.example/cart", r.Pages[1].URL)
	st.RestorePut(&r)
	st.FinishRestore()

	now := r.LastActivity + int64(time.Minute)
	s := st.Touch("old", now, false).Session
	v := s.ViewAt(now, false)
	assert.True(t, v.URLIs("https://shop.example/cart"), "the latest view of before")
	assert.Equal(t, uint32(1), v.Index)
	_, ok := s.FindPage("n2", "")
	assert.True(t, ok, "the vitals join still finds the old page views")
	require.Equal(t, NavigationView, s.AddPageView(soft("https://shop.example/checkout", now)))
	st.EndLeastRecent(1, EndShutdown, now)
	assert.Equal(t, []string{"2 https://shop.example/checkout"}, urls(st.TakeViewEvents()), "views of before the upgrade get no event")
}

// TestSoftViewsSurviveTheJournal: a session with soft views, written and read back,
// has its views, their kinds, counts and what was sent.
func TestSoftViewsSurviveTheJournal(t *testing.T) {
	st := newViewStore()
	s := st.Touch("s", at(0), false).Session
	s.AddPageView(hard("n1", "https://shop/", sec(0)))
	s.AddPageView(soft("https://shop/a", sec(5)))
	s.Observe(sec(30))
	s.AddPageView(PageView{URL: "https://shop/b", Start: sec(40), Soft: true, Type: NavigationTraverse})
	s.ViewAt(sec(41), false).AddError()
	s.MarkExplicitSoftNavigations()
	require.Len(t, st.TakeViewEvents(), 1)

	saved := only(t, st)
	restored := throughJournal(t, &saved)
	assert.Equal(t, saved, only(t, restored))
	rs := restored.Touch("s", at(0.5), false).Session
	assert.True(t, rs.HasExplicitSoftNavigations())
	restored.EndLeastRecent(1, EndShutdown, at(1))
	evs := restored.TakeViewEvents()
	require.Equal(t, []string{"1 https://shop/a", "2 https://shop/b"}, urls(evs))
	assert.Equal(t, NavigationTraverse, evs[1].Type)
	assert.Equal(t, uint16(1), evs[1].Errors)
	assert.True(t, evs[1].Exit)
}

// throughJournal encodes a saved session as a snapshot chunk and restores it into a new
// store.
func throughJournal(t *testing.T, saved *Record) *Store {
	t.Helper()
	enc := NewEncoder(KindChunk)
	enc.Record(saved)
	restored := newViewStore()
	for _, f := range decodeAll(t, enc.Bytes(), KindChunk) {
		require.NoError(t, f.Err)
		restored.RestorePut(&f.Record)
	}
	restored.FinishRestore()
	return restored
}

// TestViewEventsOnlyWhenCollected: a store nobody takes view events from keeps none.
func TestViewEventsOnlyWhenCollected(t *testing.T) {
	st := New(viewLimits, keepAll)
	s := st.Touch("s", at(0), false).Session
	for i := range 100 {
		s.AddPageView(soft(fmt.Sprint("https://shop/", i), sec(float64(i))))
	}
	st.EndLeastRecent(1, EndShutdown, at(1))
	assert.Empty(t, st.viewEvents)
}

// TestPathHashIsTheHashOfThePath: the one-pass hash agrees with URLPath.
func TestPathHashIsTheHashOfThePath(t *testing.T) {
	for _, url := range []string{
		"https://shop/a/b?x=1#f", "https://shop", "https://shop?q", "https://shop#top", "/a/b?x", "", "a", "https://shop/",
	} {
		h := uint32(2166136261)
		for _, c := range []byte(URLPath(url)) {
			h = (h ^ uint32(c)) * 16777619
		}
		assert.Equal(t, uint16(h^h>>16), pathHash(url), url)
	}
	assert.Equal(t, "/a/b", URLPath("https://shop/a/b?x=1#f"))
	assert.Equal(t, "/", URLPath("https://shop?q"))
	assert.NotEqual(t, pathHash("https://shop/a"), pathHash("https://shop/b"))
	assert.Equal(t, pathHash("https://shop/a?x=1"), pathHash("http://other/a#y"))
}

// TestEarliestViewWithoutPath: without a path, a view older than the others in a full
// session is dropped as it comes, and the entry page it became keeps its URL.
func TestEarliestViewWithoutPath(t *testing.T) {
	limits := viewLimits
	limits.PathLength = 0
	limits.ReorderWindow = time.Hour
	st := New(limits, keepAll)
	st.CollectViewEvents()
	s := st.Touch("s", at(0), false).Session
	for i := range MaxPageViewsKept {
		s.AddPageView(soft(fmt.Sprint("https://shop/", i), sec(float64(10+i))))
	}
	require.Equal(t, NavigationView, s.AddPageView(hard("n0", "https://shop/landing", sec(0))))
	r := only(t, st)
	assert.Equal(t, "https://shop/landing", r.EntryPage)
	assert.Len(t, r.Pages, MaxPageViewsKept)
	st.EndLeastRecent(1, EndShutdown, at(1))
	assert.Zero(t, st.urls.len(), "every URL reference given back")
}

// TestFindPageByURLTakesTheLatestHardView: by URL, the page is the latest hard view of
// it, whether that is the session's newest view or an older one; a soft view of the URL
// never is, and a URL with no hard view finds nothing.
func TestFindPageByURLTakesTheLatestHardView(t *testing.T) {
	st := newViewStore()
	s := st.Touch("s", at(0), false).Session
	s.AddPageView(hard("n1", "https://shop/", sec(1)))
	s.AddPageView(hard("n2", "https://shop/cart", sec(2)))
	s.AddPageView(hard("n3", "https://shop/", sec(3)))

	pv, ok := s.FindPage("", "https://shop/")
	require.True(t, ok)
	assert.Equal(t, [16]byte{byte(sec(3))}, pv.TraceID, "the newest view, of the URL")
	assert.True(t, pv.URLIs("https://shop/"))
	assert.False(t, pv.URLIs("https://shop/cart"))

	s.AddPageView(soft("https://shop/cart", sec(4)))
	pv, ok = s.FindPage("", "https://shop/cart")
	require.True(t, ok)
	assert.Equal(t, [16]byte{byte(sec(2))}, pv.TraceID, "the newest view of the URL is soft: the hard one before it")
	pv, ok = s.FindPage("", "https://shop/")
	require.True(t, ok)
	assert.Equal(t, [16]byte{byte(sec(3))}, pv.TraceID, "an older hard view")

	s.AddPageView(soft("https://shop/checkout", sec(5)))
	pv, ok = s.FindPage("", "https://shop/checkout")
	require.True(t, ok, "no hard view of the URL: the latest hard view, as before")
	assert.False(t, pv.URLIs("https://shop/checkout"))
	_, ok = s.FindPage("n9", "https://shop/checkout")
	assert.False(t, ok, "with an unknown navigation id, a URL with only a soft view finds nothing")
}
