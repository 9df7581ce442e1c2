// Copyright The otelcol-rum Authors
// SPDX-License-Identifier: Apache-2.0

package store // import "github.com/otelcol-rum/otelcol-rum/processor/sessionprocessor/internal/store"

// Record is everything saved of one open session: a copy taken under the processor's
// lock, encoded after it is released.
type Record struct {
	Key, ID, PreviousID               string
	App, Environment, Browser, UserID string
	Start, LastActivity               int64
	PageViews, Errors, UserActions    uint32
	Spans                             uint32
	EntryPage, ExitPage               string
	// Pages are the page views kept, oldest first.
	Pages   []SavedPage
	Sampled bool
	// Generation counts max_duration rollovers of the key.
	Generation uint32
}

// SavedPage is a page view as kept: the navigation id as its hash.
type SavedPage struct {
	NavHash uint64
	URL     string
	TraceID [16]byte
	SpanID  [8]byte
}

// Bounce is a session that saw at most one page.
func (r *Record) Bounce() bool { return r.PageViews <= 1 }

// record copies the session at i, with its page views if pages is set.
func (st *Store) record(i uint32, pages bool) Record {
	ss := st.sessions.at(i)
	strs := st.strings(ss)
	r := Record{
		Key: string(strs.key), PreviousID: string(strs.prev), UserID: string(strs.user),
		App: st.labels.string(ss.app), Environment: st.labels.string(ss.environment), Browser: st.labels.string(ss.browser),
		Start: ss.start, LastActivity: ss.lastActivity,
		PageViews: ss.pageViews, Errors: ss.errors, UserActions: ss.userActions, Spans: ss.spans,
		EntryPage: st.urls.string(ss.entryPage), ExitPage: st.urls.string(ss.exitPage),
		Sampled: ss.flags&flagSampled != 0, Generation: ss.generation,
	}
	r.ID = r.Key
	if len(strs.id) > 0 {
		r.ID = string(strs.id)
	}
	if pages && ss.nPages > 0 {
		r.Pages = make([]SavedPage, 0, ss.nPages)
		for p := ss.firstPage; p != 0; p = st.pages.at(p).next {
			n := st.pages.at(p)
			r.Pages = append(r.Pages, SavedPage{NavHash: n.navHash, URL: st.urls.string(n.url), TraceID: n.traceID, SpanID: n.spanID})
		}
	}
	return r
}

// fromRecord makes an open session of r, findable by its key but in no list yet.
func (st *Store) fromRecord(r *Record) uint32 {
	i := st.sessions.alloc()
	ss := st.sessions.at(i)
	ss.start, ss.lastActivity = r.Start, r.LastActivity
	ss.pageViews, ss.errors, ss.userActions, ss.spans = r.PageViews, r.Errors, r.UserActions, r.Spans
	ss.generation = r.Generation
	if r.Sampled {
		ss.flags |= flagSampled
	}
	st.setStrings(ss, r.Key, r.ID, r.PreviousID, r.UserID)
	ss.app, ss.environment, ss.browser = st.labels.ref(r.App), st.labels.ref(r.Environment), st.labels.ref(r.Browser)
	ss.entryPage, ss.exitPage = st.urls.ref(r.EntryPage), st.urls.ref(r.ExitPage)
	for _, p := range r.Pages[max(0, len(r.Pages)-MaxPageViewsKept):] {
		st.appendPage(ss, pageNode{traceID: p.TraceID, spanID: p.SpanID, navHash: p.NavHash, url: st.urls.ref(p.URL)})
	}
	st.place(i, r.Key)
	return i
}
