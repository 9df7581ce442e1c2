// Copyright The otelcol-rum Authors
// SPDX-License-Identifier: Apache-2.0

package sessionprocessor // import "github.com/otelcol-rum/otelcol-rum/processor/sessionprocessor"

import (
	"go.opentelemetry.io/collector/pdata/pcommon"

	"github.com/otelcol-rum/otelcol-rum/internal/pattrs"
	"github.com/otelcol-rum/otelcol-rum/internal/rumconv"
	"github.com/otelcol-rum/otelcol-rum/processor/sessionprocessor/internal/store"
)

// navigate adds a view to the session and counts what became of the navigation.
func (t *tracker) navigate(s store.Session, pv store.PageView) {
	switch s.AddPageView(pv) {
	case store.NavigationView:
		t.tally.navigations[navigationView]++
	case store.NavigationLate:
		t.tally.navigations[navigationLate]++
	case store.NavigationDuplicate:
		t.tally.navigations[navigationDuplicate]++
	}
	t.releaseJoinable(s)
}

// inferNavigation takes a record whose URL path differs from that of the view active at
// its time for a soft navigation (only for sessions that send no soft-navigation events,
// and never before the session's first view: such a record belongs to the document
// before).
func (t *tracker) inferNavigation(s store.Session, url string, at int64) {
	// The records of a batch mostly share their page: once a record was found on the
	// path of the session's newest view, a later record of the same URL is too, as long
	// as no view was added.
	if c := &t.inferred; c.session == s && c.url == url && c.views == s.Views() && at >= c.at {
		return
	}
	v := s.ViewAt(at, false)
	if !v.Valid() || at < v.Start {
		return
	}
	if v.SamePath(url) {
		if v.Index == s.Views()-1 {
			t.inferred = inferCache{session: s, url: url, views: s.Views(), at: at}
		}
		return
	}
	t.navigate(s, store.PageView{URL: url, Start: at, Soft: true, Inferred: true})
}

// inferCache is the last record inferNavigation found on the path of its session's
// newest view.
type inferCache struct {
	session store.Session
	url     string
	views   uint32
	at      int64
}

// fileUnderView finds the view a record happened in (page-load vitals: their load). In a
// session with soft views, the record gets the view's URL as its url.full if it differs
// from its page (own is the url.full the record came with, kept in
// rum.page.url.original; url its page now: a vital's may come from its page view), and,
// in a soft view, the view's index. A session without soft views is left as it is: its
// records' pages are their views', and it does not pay for reading the URLs.
func (t *tracker) fileUnderView(s store.Session, attrs pcommon.Map, own, url string, at int64, loadVital bool) store.View {
	v := s.ViewAt(at, loadVital)
	if !v.Valid() || s.SoftViews() == 0 {
		return v
	}
	if v.Soft {
		attrs.PutInt(rumconv.AttrRUMViewIndex, int64(v.Index))
	}
	if url == "" || !v.URLIs(url) {
		if own != "" {
			attrs.PutStr(rumconv.AttrRUMPageURLOriginal, own)
		}
		attrs.PutStr(rumconv.AttrURLFull, v.URL())
		t.tally.refiled++
	}
	return v
}

func isLoadVital(attrs pcommon.Map) bool {
	switch pattrs.Str(attrs, rumconv.AttrWebVitalName) {
	case "lcp", "fcp", "ttfb":
		return true
	}
	return false
}

// What became of navigations, for processor_session_navigations.
const (
	navigationView = iota
	navigationLate
	navigationDuplicate
	navigationResults
)
