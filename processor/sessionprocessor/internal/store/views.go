// Copyright The otelcol-rum Authors
// SPDX-License-Identifier: Apache-2.0

package store // import "github.com/otelcol-rum/otelcol-rum/processor/sessionprocessor/internal/store"

import "strings"

// Views: every hard navigation (a document load) and every soft one (a single-page app's
// route change) starts a view. A session keeps its views in a list ordered by start time
// (the navigation record's time): the first Limits.PathLength, for the path, and the
// latest MaxPageViewsKept. A view ends when the next one starts; it gets its rum.view
// event once the session's records have moved Limits.ReorderWindow past that start, so
// that a navigation that arrives late by less than the window (the OTel SDK exports
// spans and logs separately: a documentLoad span often comes after the soft navigations
// that followed it) still takes its place before anything about its neighbours is sent.
// A navigation that arrives later than that is late: it is kept, for the records of its
// time, but it gets no event of its own.

// NavigationType is how the SDK says a view was reached, where it says it.
type NavigationType uint8

// The navigation types of the OTel browser.navigation event.
const (
	NavigationUnknown NavigationType = iota
	NavigationPush
	NavigationReplace
	NavigationTraverse
	NavigationReload
	navigationTypes // one past the last
)

var navigationTypeNames = [navigationTypes]string{"", "push", "replace", "traverse", "reload"}

// String is the type's name in rum.view.navigation_type, "" when unknown.
func (t NavigationType) String() string {
	if t >= navigationTypes {
		return ""
	}
	return navigationTypeNames[t]
}

// ParseNavigationType reads a type's name; anything else is unknown.
func ParseNavigationType(s string) NavigationType {
	for t, name := range navigationTypeNames {
		if name != "" && name == s {
			return NavigationType(t)
		}
	}
	return NavigationUnknown
}

// viewKind packs a view's flags and navigation type.
type viewKind uint8

const (
	kindSoft viewKind = 1 << iota
	// kindEmitted: the view's rum.view was sent, or never will be (a late view).
	kindEmitted
	// kindInferred: a soft view taken from a change of URL, not from an SDK's event.
	kindInferred
	kindTypeShift = 4
)

func makeKind(pv *PageView) viewKind {
	k := viewKind(pv.Type%navigationTypes) << kindTypeShift
	if pv.Soft {
		k |= kindSoft
	}
	if pv.Inferred {
		k |= kindInferred
	}
	return k
}

func (k viewKind) soft() bool                     { return k&kindSoft != 0 }
func (k viewKind) emitted() bool                  { return k&kindEmitted != 0 }
func (k viewKind) navigationType() NavigationType { return NavigationType(k >> kindTypeShift) }

// NavigationOutcome says what AddPageView made of a navigation.
type NavigationOutcome uint8

const (
	// NavigationView is a new view.
	NavigationView NavigationOutcome = iota
	// NavigationLate is a new view, but older than a view whose rum.view was already sent:
	// it gets no event, and the counts of its neighbours' events are off.
	NavigationLate
	// NavigationDuplicate is a navigation the session already has (an SDK that sends it
	// again, a soft navigation to the URL of the view it would follow); nothing changed.
	NavigationDuplicate
)

// ViewEvent is a view that ended, for its rum.view event: a copy, made under the lock.
type ViewEvent struct {
	SessionID, App, Environment, UserID, Browser string
	Index                                        uint32
	URL, PreviousURL                             string
	Start, End                                   int64
	Soft                                         bool
	Type                                         NavigationType
	Errors, Actions                              uint16
	TraceID                                      [16]byte
	SpanID                                       [8]byte
	// Exit is set for the session's last view, at its end.
	Exit bool
}

// CollectViewEvents makes the store keep the views that end, for TakeViewEvents; without
// it (a store nobody takes them from) they are not kept.
func (st *Store) CollectViewEvents() { st.collectViews = true }

// TakeViewEvents returns the views that ended since the last call, in the sample only.
func (st *Store) TakeViewEvents() []ViewEvent {
	out := st.viewEvents
	st.viewEvents = nil
	return out
}

// AddPageView records a navigation. A navigation id the session already has, the same
// navigation at the same time and URL, or a soft navigation to the URL of the view it
// would follow changes nothing: SDKs send their events again.
func (s Session) AddPageView(pv PageView) NavigationOutcome {
	st, ss := s.st, s.get()
	nav := navHash(pv.NavigationID)
	url := st.urls.lookup(pv.URL)
	// prev is the latest view that starts no later than pv: pv goes right after it.
	var prev uint32
	for p := ss.firstPage; p != 0; p = st.pages.at(p).next {
		n := st.pages.at(p)
		if nav != 0 && n.navHash == nav {
			return NavigationDuplicate
		}
		if n.start <= pv.Start {
			prev = p
		}
	}
	late := ss.firstPage != 0 && st.pages.at(ss.firstPage).kind.emitted()
	if prev != 0 {
		n := st.pages.at(prev)
		sameURL := url != 0 && n.url == url
		// A hard navigation with an id is told apart by its id alone.
		if sameURL && (pv.Soft || (nav == 0 && n.start == pv.Start && !n.kind.soft())) {
			return NavigationDuplicate
		}
		// A view whose event went out ended at the start of the one after it. (The newest
		// view counts as sent only when restored from before views had events.)
		late = n.kind.emitted() && n.next != 0
	}
	ss.views++
	if pv.Soft {
		ss.softViews++
	}
	node := pageNode{
		traceID: pv.TraceID, spanID: pv.SpanID, navHash: nav, start: pv.Start, url: st.urls.ref(pv.URL),
		pathHash: pathHash(pv.URL), kind: makeKind(&pv),
	}
	if late {
		node.kind |= kindEmitted
	}
	i := st.pages.alloc()
	if prev == 0 {
		node.next, ss.firstPage = ss.firstPage, i
	} else {
		node.next = st.pages.at(prev).next
		st.pages.at(prev).next = i
	}
	*st.pages.at(i) = node
	if node.next == 0 {
		ss.lastPage = i
	}
	ss.nPages++
	if !pv.Soft {
		st.absorbInferred(ss, i)
	}
	// The entry page is the first view's, even once the view is trimmed (which it may be
	// right away, without a path).
	if prev == 0 {
		st.setPageRef(&ss.entryPage, node.url)
	}
	if int(ss.nPages) > st.limits.PathLength+MaxPageViewsKept {
		st.trimView(ss)
	}
	st.setPageRef(&ss.exitPage, st.pages.at(ss.lastPage).url)
	if ss.nPages > 1 {
		ss.flags |= flagViewsPending
	}
	st.settle(ss, false)
	if late {
		return NavigationLate
	}
	return NavigationView
}

// absorbInferred merges into the hard view i the soft view right after it, if that one
// was inferred from records of the same path and has not been sent: records of a page
// that arrived before its load's navigation event (Faro sends the event once the page
// has loaded) made it, and it is that load.
func (st *Store) absorbInferred(ss *session, i uint32) {
	n := st.pages.at(i)
	next := n.next
	if next == 0 {
		return
	}
	m := st.pages.at(next)
	if m.kind&(kindInferred|kindEmitted) != kindInferred || m.pathHash != n.pathHash {
		return
	}
	n.errors = addSaturating(n.errors, m.errors)
	n.actions = addSaturating(n.actions, m.actions)
	n.next = m.next
	if ss.lastPage == next {
		ss.lastPage = i
	}
	st.urls.release(m.url)
	st.pages.release(next)
	ss.nPages--
	ss.views--
	ss.softViews--
}

// setPageRef makes *ref name id, moving the URL reference.
func (st *Store) setPageRef(ref *internID, id internID) {
	if *ref == id {
		return
	}
	st.urls.addRef(id)
	st.urls.release(*ref)
	*ref = id
}

// trimView drops the oldest view that is not on the path: the one right after the first
// PathLength views. Its rum.view goes out first if it has not yet.
func (st *Store) trimView(ss *session) {
	var before uint32
	victim := ss.firstPage
	for range st.limits.PathLength {
		before, victim = victim, st.pages.at(victim).next
	}
	n := st.pages.at(victim)
	if !n.kind.emitted() && n.next != 0 {
		st.emitView(ss, victim, st.limits.PathLength, before, false)
	}
	if before == 0 {
		ss.firstPage = n.next
	} else {
		st.pages.at(before).next = n.next
	}
	if ss.lastPage == victim {
		ss.lastPage = before
	}
	st.urls.release(n.url)
	st.pages.release(victim)
	ss.nPages--
}

// Observe notes a record's time: it moves the session's views towards their events.
func (s Session) Observe(recordTime int64) {
	ss := s.get()
	if recordTime <= ss.newest {
		return
	}
	ss.newest = recordTime
	if ss.flags&flagViewsPending != 0 {
		s.st.settle(ss, false)
	}
}

// settle sends the rum.view of every view that is over: each whose next view started at
// least the reorder window before the session's latest record time; with all set, every
// view, the last one as the session's exit.
func (st *Store) settle(ss *session, all bool) {
	if !all && ss.flags&flagViewsPending == 0 {
		return
	}
	var prev uint32
	pos := 0
	pending := false
	for p := ss.firstPage; p != 0; prev, p, pos = p, st.pages.at(p).next, pos+1 {
		n := st.pages.at(p)
		if n.kind.emitted() {
			continue
		}
		if n.next == 0 {
			if all {
				st.emitView(ss, p, pos, prev, true)
			}
			break
		}
		if !all && st.pages.at(n.next).start > ss.newest-int64(st.limits.ReorderWindow) {
			pending = true
			break
		}
		st.emitView(ss, p, pos, prev, false)
	}
	if !pending {
		ss.flags &^= flagViewsPending
	}
}

// emitView sends the rum.view of the view p, at position pos of the list, after the view
// prev (0 for none), and marks it sent.
func (st *Store) emitView(ss *session, p uint32, pos int, prev uint32, exit bool) {
	n := st.pages.at(p)
	n.kind |= kindEmitted
	if ss.flags&flagSampled == 0 || !st.collectViews {
		return
	}
	end := max(ss.newest, n.start)
	if n.next != 0 {
		end = st.pages.at(n.next).start
	}
	gap := int(ss.views) - int(ss.nPages)
	index := pos
	if pos >= st.limits.PathLength {
		index += gap
	}
	labels := st.labelsOf(ss)
	ev := ViewEvent{
		SessionID: string(st.id(ss)), App: string(labels.app), Environment: string(labels.environment),
		UserID: string(st.strings(ss).user), Browser: string(labels.browser),
		Index: uint32(max(index, 0)), URL: st.urls.string(n.url), //nolint:gosec // views is a uint32
		Start: n.start, End: end, Soft: n.kind.soft(), Type: n.kind.navigationType(),
		Errors: n.errors, Actions: n.actions, TraceID: n.traceID, SpanID: n.spanID, Exit: exit,
	}
	// The view before a trimmed stretch is not the one it followed.
	if prev != 0 && (pos != st.limits.PathLength || gap == 0) {
		ev.PreviousURL = st.urls.string(st.pages.at(prev).url)
	}
	st.viewEvents = append(st.viewEvents, ev)
}

// View is the view a record belongs to. The zero value is no view.
type View struct {
	st    *Store
	node  uint32
	Index uint32
	Soft  bool
	// Start is when the view started (record time).
	Start int64
}

// Valid says whether v is a view.
func (v View) Valid() bool { return v.st != nil }

// URLIs says whether the view's URL is url, without copying it.
func (v View) URLIs(url string) bool { return v.st.urls.equals(v.st.pages.at(v.node).url, url) }

// URL returns the view's URL.
func (v View) URL() string { return v.st.urls.string(v.st.pages.at(v.node).url) }

// SamePath says whether url's path is the view's. It compares hashes, not the paths: two
// paths of 65,536 collide, and a route change between them is not seen (inferring
// navigations is a guess in any case), but the URL, in the intern table, is not read.
func (v View) SamePath(url string) bool {
	return v.st.pages.at(v.node).pathHash == pathHash(url)
}

// URLPath is the path of a URL: without scheme, host, query and fragment.
func URLPath(url string) string {
	if i := strings.Index(url, "://"); i >= 0 {
		url = url[i+3:]
		if j := strings.IndexByte(url, '/'); j >= 0 {
			url = url[j:]
		} else {
			url = "/"
		}
	}
	if i := strings.IndexAny(url, "?#"); i >= 0 {
		return url[:i]
	}
	return url
}

// pathHash is FNV-1a of URLPath(url), folded to 16 bits, in one pass over the URL (it
// runs for every record of a session that may infer navigations); it is not saved, so it
// may change.
func pathHash(url string) uint16 {
	i := 0
	h := uint32(2166136261)
	// Skip "scheme://host", if any, up to the path.
	if j := strings.Index(url, "://"); j >= 0 {
		i = j + 3
		for i < len(url) && url[i] != '/' && url[i] != '?' && url[i] != '#' {
			i++
		}
		if i == len(url) || url[i] != '/' {
			h = (h ^ '/') * 16777619 // no path: "/"
		}
	}
	for ; i < len(url) && url[i] != '?' && url[i] != '#'; i++ {
		h = (h ^ uint32(url[i])) * 16777619
	}
	return uint16(h ^ h>>16) //nolint:gosec // folding on purpose
}

// AddError counts an error in the view (saturating).
func (v View) AddError() {
	n := v.st.pages.at(v.node)
	n.errors = addSaturating(n.errors, 1)
}

// AddAction counts a user action in the view (saturating).
func (v View) AddAction() {
	n := v.st.pages.at(v.node)
	n.actions = addSaturating(n.actions, 1)
}

// addSaturating is a + b, at most 65535.
func addSaturating(a, b uint16) uint16 { return a + min(b, 0xffff-a) }

// ViewAt returns the view active at recordTime: the latest that started no later, or the
// first if the record is older than every view. With hardOnly, only document loads count
// (a page-load vital belongs to its load, whatever route the app showed since).
func (s Session) ViewAt(recordTime int64, hardOnly bool) View {
	st, ss := s.st, s.get()
	if ss.lastPage == 0 {
		return View{}
	}
	// Most records belong to the newest view.
	if last := st.pages.at(ss.lastPage); last.start <= recordTime && (!hardOnly || !last.kind.soft()) {
		return View{st: st, node: ss.lastPage, Index: ss.views - 1, Soft: last.kind.soft(), Start: last.start}
	}
	var found uint32
	foundPos := 0
	pos := 0
	for p := ss.firstPage; p != 0; p, pos = st.pages.at(p).next, pos+1 {
		n := st.pages.at(p)
		if hardOnly && n.kind.soft() {
			continue
		}
		if n.start > recordTime && found != 0 {
			break
		}
		found, foundPos = p, pos
	}
	if found == 0 {
		return View{}
	}
	index := foundPos
	if foundPos >= st.limits.PathLength {
		index += int(ss.views) - int(ss.nPages)
	}
	n := st.pages.at(found)
	return View{st: st, node: found, Index: uint32(max(index, 0)), Soft: n.kind.soft(), Start: n.start}
}

// HasExplicitSoftNavigations says whether the session sent a soft-navigation event; then
// its URL changes are not taken for navigations.
func (s Session) HasExplicitSoftNavigations() bool { return s.get().flags&flagExplicitSoft != 0 }

// MarkExplicitSoftNavigations records that the session sends soft-navigation events.
func (s Session) MarkExplicitSoftNavigations() { s.get().flags |= flagExplicitSoft }

// SoftViews is the number of soft views so far.
func (s Session) SoftViews() uint32 { return s.get().softViews }

// Views is the number of views so far.
func (s Session) Views() uint32 { return s.get().views }
