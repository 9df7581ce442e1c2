// Copyright The otelcol-rum Authors
// SPDX-License-Identifier: Apache-2.0

package store // import "github.com/otelcol-rum/otelcol-rum/processor/sessionprocessor/internal/store"

import "github.com/otelcol-rum/otelcol-rum/processor/sessionprocessor/internal/frustration"

// Record is everything saved of one open session: a copy taken under the processor's
// lock, encoded after it is released.
type Record struct {
	Key, ID, PreviousID               string
	App, Environment, Browser, UserID string
	Start, LastActivity               int64
	// Views counts every view, hard and soft; SoftViews the soft ones.
	Views, Errors, UserActions uint32
	Spans, SoftViews           uint32
	// Newest is the latest record time the session saw (0 when saved before views).
	Newest              int64
	EntryPage, ExitPage string
	// Pages are the views kept, in the order they started.
	Pages   []SavedPage
	Sampled bool
	// ExplicitSoft is set once the session sent a soft-navigation event.
	ExplicitSoft bool
	// Generation counts max_duration rollovers of the key.
	Generation uint32
	// Frustrations counts the session's frustration signals; Frustration is its
	// detector's state (empty when saved before format 3).
	Frustrations uint32
	Frustration  frustration.State
	// Partition is the data partition the session's records come from, NoPartition for
	// none. It is not saved: a hand-over knows the partition it restores.
	Partition int32
}

// SavedPage is a view as kept: the navigation id as its hash. Views saved before views
// had a start and a kind have Start 0, are hard, and count as sent.
type SavedPage struct {
	NavHash         uint64
	URL             string
	TraceID         [16]byte
	SpanID          [8]byte
	Start           int64
	Soft, Emitted   bool
	Inferred        bool
	Type            NavigationType
	Errors, Actions uint16
}

// Bounce is a session that saw at most one view.
func (r *Record) Bounce() bool { return r.Views <= 1 }

// HardViews is the number of document loads: the session.page_views of the summary.
func (r *Record) HardViews() uint32 { return r.Views - min(r.SoftViews, r.Views) }

// record copies the session at i, with its views if pages is set.
func (st *Store) record(i uint32, pages bool) Record {
	ss := st.sessions.at(i)
	strs, labels := st.strings(ss), st.labelsOf(ss)
	r := Record{
		Key: string(strs.key), PreviousID: string(strs.prev), UserID: string(strs.user),
		App: string(labels.app), Environment: string(labels.environment), Browser: string(labels.browser),
		Start: ss.start, LastActivity: ss.lastActivity, Newest: ss.newest,
		Views: ss.views, SoftViews: ss.softViews, Errors: ss.errors, UserActions: ss.userActions, Spans: ss.spans,
		EntryPage: st.urls.string(ss.entryPage), ExitPage: st.urls.string(ss.exitPage),
		Sampled: ss.flags&flagSampled != 0, ExplicitSoft: ss.flags&flagExplicitSoft != 0, Generation: ss.generation,
		Partition: ss.partition - 1,
	}
	st.frustrationOf(ss, &r)
	r.ID = r.Key
	if len(strs.id) > 0 {
		r.ID = string(strs.id)
	}
	if pages && ss.nPages > 0 {
		r.Pages = make([]SavedPage, 0, ss.nPages)
		for p := ss.firstPage; p != 0; p = st.pages.at(p).next {
			n := st.pages.at(p)
			r.Pages = append(r.Pages, SavedPage{
				NavHash: n.navHash, URL: st.urls.string(n.url), TraceID: n.traceID, SpanID: n.spanID,
				Start: n.start, Soft: n.kind.soft(), Emitted: n.kind.emitted(), Inferred: n.kind&kindInferred != 0,
				Type:   n.kind.navigationType(),
				Errors: n.errors, Actions: n.actions,
			})
		}
	}
	return r
}

// fromRecord makes an open session of r, findable by its key but in no list yet.
func (st *Store) fromRecord(r *Record) uint32 {
	i := st.sessions.alloc()
	ss := st.sessions.at(i)
	ss.start, ss.lastActivity, ss.newest = r.Start, r.LastActivity, r.Newest
	ss.views, ss.softViews, ss.errors, ss.userActions, ss.spans = r.Views, r.SoftViews, r.Errors, r.UserActions, r.Spans
	ss.generation = r.Generation
	if r.Sampled {
		ss.flags |= flagSampled
	}
	if r.ExplicitSoft {
		ss.flags |= flagExplicitSoft
	}
	st.setStrings(ss, r.Key, r.ID, r.PreviousID, r.UserID)
	st.restoreFrustration(ss, r)
	st.setLabels(ss, r.App, r.Environment, r.Browser)
	ss.entryPage, ss.exitPage = st.urls.ref(r.EntryPage), st.urls.ref(r.ExitPage)
	for _, p := range keptPages(r.Pages, st.limits.PathLength) {
		n := pageNode{
			traceID: p.TraceID, spanID: p.SpanID, navHash: p.NavHash, start: p.Start, url: st.urls.ref(p.URL),
			pathHash: pathHash(p.URL), kind: makeKind(&PageView{Soft: p.Soft, Type: p.Type, Inferred: p.Inferred}), errors: p.Errors, actions: p.Actions,
		}
		if p.Emitted {
			n.kind |= kindEmitted
		}
		st.appendNode(ss, n)
	}
	if ss.nPages > 1 {
		ss.flags |= flagViewsPending
	}
	st.place(i, r.Key)
	return i
}

// keptPages is what a session keeps of saved views: all of them, or, if more were saved
// than it keeps (a smaller path_length since), the first pathLength and the latest.
func keptPages(pages []SavedPage, pathLength int) []SavedPage {
	if len(pages) <= pathLength+MaxPageViewsKept {
		return pages
	}
	return append(pages[:pathLength:pathLength], pages[len(pages)-MaxPageViewsKept:]...)
}

// appendNode puts n after the session's last view.
func (st *Store) appendNode(ss *session, n pageNode) {
	i := st.pages.alloc()
	*st.pages.at(i) = n
	if ss.lastPage == 0 {
		ss.firstPage = i
	} else {
		st.pages.at(ss.lastPage).next = i
	}
	ss.lastPage = i
	ss.nPages++
}
