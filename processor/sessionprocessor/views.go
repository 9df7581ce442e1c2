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
}

// inferNavigation takes a record whose URL path differs from that of the view active at
// its time for a soft navigation (only for sessions that send no soft-navigation events,
// and never before the session's first view: such a record belongs to the document
// before). It returns the view active at the record's time after that, and whether its
// URL is the record's, which spares fileUnderView a second look.
func (t *tracker) inferNavigation(s store.Session, url string, at int64) (store.View, bool) {
	v := s.ViewAt(at, false)
	if !v.Valid() || at < v.Start {
		return store.View{}, false
	}
	if v.URLIs(url) {
		return v, true
	}
	if urlPath(v.URL()) == urlPath(url) {
		return v, false
	}
	t.navigate(s, store.PageView{URL: url, Start: at, Soft: true})
	return store.View{}, false
}

// fileUnderView finds the view a record happened in. A record of a soft view gets the
// view's index (rum.view.index) and, when it differs from the record's page, the view's
// URL as its url.full: the record's own is kept in rum.page.url.original. own is the
// url.full the record came with, url its page now (a vital's page may come from its page
// view). Page-load vitals go to their load. A record of a hard view only gets the view's
// URL if its own differs: every record of a session without route changes would
// otherwise pay for an index that tells nothing.
func (t *tracker) fileUnderView(s store.Session, attrs pcommon.Map, own, url string, at int64, loadVital bool) store.View {
	return t.fileUnder(s.ViewAt(at, loadVital), attrs, own, url, false)
}

// fileUnder files a record under v, a view found for it; sameURL says that v's URL is
// known to be url.
func (t *tracker) fileUnder(v store.View, attrs pcommon.Map, own, url string, sameURL bool) store.View {
	if !v.Valid() {
		return store.View{}
	}
	if v.Soft {
		attrs.PutInt(rumconv.AttrRUMViewIndex, int64(v.Index))
	}
	if !sameURL && (url == "" || !v.URLIs(url)) {
		if own != "" {
			attrs.PutStr(rumconv.AttrRUMPageURLOriginal, own)
		}
		attrs.PutStr(rumconv.AttrURLFull, v.URL())
		t.tally.refiled++
	}
	return v
}

// loadVitals measure the document load: they belong to the hard view, whatever route the
// app shows when they are reported.
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
