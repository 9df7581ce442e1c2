// Copyright The otelcol-rum Authors
// SPDX-License-Identifier: Apache-2.0

// Package store keeps the state of open sessions: what the session processor knows about
// each, in memory bounded by a maximum count, with lifecycle decisions taken against an
// explicit clock so that they are testable.
//
// A million sessions must fit in well under a GiB of resident memory, and the garbage
// collector must not spend its cycles on them: sessions and their page views are structs
// without pointers in slabs, linked by 32-bit indices, found through a map keyed by a
// hash; their strings are bytes in an arena, page URLs and app names are interned.
package store // import "github.com/otelcol-rum/otelcol-rum/processor/sessionprocessor/internal/store"

import "encoding/binary"

// MaxPageViewsKept bounds the latest views remembered per session, for the vitals join and
// for assigning records to the view they happened in; the count of views goes on beyond
// it. A record belongs to a recent view, so older ones can go, except the first
// Limits.PathLength views, kept for the session's path.
const MaxPageViewsKept = 16

// MaxPathLength bounds Limits.PathLength: a session keeps at most MaxPageViewsKept +
// MaxPathLength views.
const MaxPathLength = 50

// EndReason says why a session ended.
type EndReason string

// The reasons: the session.end_reason of the session.end event and the reason of
// processor_session_ended.
const (
	EndTimeout     EndReason = "timeout"
	EndMaxDuration EndReason = "max_duration"
	EndEvicted     EndReason = "evicted"
	EndShutdown    EndReason = "shutdown"
	// EndNotRestored ends a saved session that could not be taken back at start: more
	// sessions were saved than max_sessions allows, or its saved record is damaged.
	EndNotRestored EndReason = "not_restored"
)

// PageView is a view as a navigation record tells it: a page of a session, when it
// started (the record's time), whether the document was loaded (hard) or the single-page
// app changed its route (soft), and the trace of its navigation (for a hard view, the
// backend trace that served the document).
type PageView struct {
	NavigationID string
	URL          string
	TraceID      [16]byte
	SpanID       [8]byte
	// Start is the record time of the navigation, Unix nanoseconds.
	Start int64
	Soft  bool
	Type  NavigationType
	// Inferred marks a soft navigation taken from a change of URL between records.
	Inferred bool
}

// Info is what a record tells about its session; empty fields are unknown.
type Info struct {
	App         string
	Environment string
	UserID      string
	Browser     string
	PreviousID  string
	URL         string
}

// session is one open session, without pointers. Times are Unix nanoseconds of the
// collector's clock.
type session struct {
	start, lastActivity int64
	// strs holds, each as a uvarint length and its bytes: the key (the id the SDK
	// sends), the id (empty when it is the key: it differs for a session that continues
	// one that hit max_duration, and for assigned sessions), the previous id, the user id.
	strs blockRef

	// labels are the app, environment and browser (labels.go).
	labels              internID
	entryPage, exitPage internID

	// views counts every view, hard and soft; softViews the soft ones.
	views, errors, userActions, spans uint32
	// generation counts max_duration rollovers of the key.
	generation uint32
	softViews  uint32
	// newest is the latest record time the session has seen (Unix nanoseconds, the
	// client's clock): a view is over, and gets its rum.view event, once the session's
	// records have moved the reorder window past the start of the view after it.
	newest int64

	// firstPage and lastPage are the oldest and the newest page view kept.
	firstPage, lastPage uint32
	nPages              uint8
	flags               uint8

	// links are the session's places in the recency and start-order lists.
	links [2]links
	// nextSameHash is the next session whose key has the same hash.
	nextSameHash uint32
	// frustration is the session's detector in the store's frustrations; 0 is none yet.
	frustration uint32
	// partition is the data partition the session's records come from, plus one: 0 is
	// none (data that did not come through Kafka). It fills what was padding at the end
	// of the struct, so it costs no memory.
	partition int32
}

const (
	flagOpen = 1 << iota
	flagSampled
	// flagChanged is set while the session has changes the journal has not taken yet.
	flagChanged
	// flagExplicitSoft is set once the session sent a soft-navigation event: its URL
	// changes are then not taken for soft navigations.
	flagExplicitSoft
	// flagViewsPending is set while a view other than the newest waits for its rum.view.
	flagViewsPending
)

// pageNode is a view kept: the navigation id as its hash (only equality is needed), the
// URL interned, the counts of what happened in it.
type pageNode struct {
	traceID [16]byte
	spanID  [8]byte
	navHash uint64
	start   int64
	url     internID
	// next is the following (later) view of the session.
	next            uint32
	errors, actions uint16
	// pathHash is a hash of the URL's path: a record on the same path is told without
	// reading the URL.
	pathHash uint16
	kind     viewKind
}

// Session is an open session. It is a handle into the store, valid while the caller
// holds the store (the processor's lock) and until the session ends. The zero value is
// no session.
type Session struct {
	st *Store
	i  uint32
}

// Valid says whether s is a session.
func (s Session) Valid() bool { return s.st != nil }

func (s Session) get() *session { return s.st.sessions.at(s.i) }

// Sampled is the sampling decision, taken once from the id: a session is kept or dropped
// whole.
func (s Session) Sampled() bool { return s.get().flags&flagSampled != 0 }

// IDIs says whether the session's id is id, without copying it.
func (s Session) IDIs(id string) bool { return string(s.st.id(s.get())) == id }

// Key returns the session's key (the id the SDK sends).
func (s Session) Key() string { return string(s.st.key(s.get())) }

// ID returns the session's id.
func (s Session) ID() string { return string(s.st.id(s.get())) }

// Identity is what the processor writes onto a session's data: views of the session's
// strings in the store, valid like the Session they come from (while the caller holds the
// store, until its next change). Whoever keeps one of them copies it.
type Identity struct {
	ID, PreviousID, UserID []byte
	// App and Environment are read only when asked for (Session.Identity's labels).
	App, Environment []byte
}

// Identity reads the session's id, previous id and user id, and with labels its app and
// environment, each once: every batch writes them onto its data, and reading them one
// at a time decoded the session's strings once per attribute.
func (s Session) Identity(labels bool) Identity {
	ss := s.get()
	strs := s.st.strings(ss)
	out := Identity{ID: strs.id, PreviousID: strs.prev, UserID: strs.user}
	if len(out.ID) == 0 {
		out.ID = strs.key
	}
	if labels {
		l := s.st.labelsOf(ss)
		out.App, out.Environment = l.app, l.environment
	}
	return out
}

// PreviousID returns the id of the session this one continues, if any.
func (s Session) PreviousID() string { return string(s.st.strings(s.get()).prev) }

// UserID returns the latest user id the session saw.
func (s Session) UserID() string { return string(s.st.strings(s.get()).user) }

// App returns the session's service.name.
func (s Session) App() string { return string(s.st.labelsOf(s.get()).app) }

// Environment returns the session's deployment environment.
func (s Session) Environment() string { return string(s.st.labelsOf(s.get()).environment) }

// Browser returns the session's browser name.
func (s Session) Browser() string { return string(s.st.labelsOf(s.get()).browser) }

// Start returns when the session started.
func (s Session) Start() int64 { return s.get().start }

// AddError counts an error.
func (s Session) AddError() { s.get().errors++ }

// AddUserAction counts a user action.
func (s Session) AddUserAction() { s.get().userActions++ }

// AddSpan counts a span.
func (s Session) AddSpan() { s.get().spans++ }

// Update applies what a record tells about the session. Strings are copied into the
// store: they point into a request buffer that must not stay alive with the session.
func (s Session) Update(info *Info) {
	st, ss := s.st, s.get()
	st.updateLabels(ss, info.App, info.Environment, info.Browser)
	if info.UserID != "" || info.PreviousID != "" {
		strs := st.strings(ss)
		userChanged := info.UserID != "" && string(strs.user) != info.UserID
		prevChanged := info.PreviousID != "" && len(strs.prev) == 0
		if userChanged || prevChanged {
			user, prev := string(strs.user), string(strs.prev)
			if userChanged {
				user = info.UserID
			}
			if prevChanged {
				prev = info.PreviousID
			}
			st.setStrings(ss, string(strs.key), string(strs.id), prev, user)
		}
	}
	// Once the session has views, its entry and exit pages are theirs.
	if info.URL != "" && ss.views == 0 && !st.urls.equals(ss.exitPage, info.URL) {
		old := ss.exitPage
		ss.exitPage = st.urls.ref(info.URL)
		st.urls.release(old)
		if ss.entryPage == 0 {
			ss.entryPage = ss.exitPage
			st.urls.addRef(ss.entryPage)
		}
	}
}

// Page is a page view found for a vital.
type Page struct {
	TraceID [16]byte
	SpanID  [8]byte
	st      *Store
	url     internID
}

// URL returns the page's URL ("" if unknown).
func (p Page) URL() string {
	if p.st == nil {
		return ""
	}
	return p.st.urls.string(p.url)
}

// URLIs says whether the page's URL is url, without copying it.
func (p Page) URLIs(url string) bool {
	return p.st != nil && p.st.urls.equals(p.url, url)
}

// FindPage returns the page view (a hard view: its navigation's trace is the page's) a
// vital belongs to: by navigation id, else by URL, else (only when the vital names no
// page view) the latest page view. A navigation id that is not known is not guessed at:
// linking a vital to another page's trace would mislead.
func (s Session) FindPage(navigationID, url string) (Page, bool) {
	st, ss := s.st, s.get()
	var found, latest uint32
	if nav := navHash(navigationID); nav != 0 {
		for p := ss.firstPage; p != 0; p = st.pages.at(p).next {
			if st.pages.at(p).navHash == nav {
				found = p
			}
		}
	}
	if found == 0 && url != "" {
		// Most records are of the newest page: a hard newest view of the URL is the
		// latest match, found without hashing the URL into the intern table.
		if ss.lastPage != 0 && st.isHardPageOf(ss.lastPage, url) {
			found = ss.lastPage
		} else if id := st.urls.lookup(url); id != 0 {
			for p := ss.firstPage; p != 0; p = st.pages.at(p).next {
				if n := st.pages.at(p); n.url == id && !n.kind.soft() {
					found = p
				}
			}
		}
	}
	if found == 0 && navigationID == "" {
		for p := ss.firstPage; p != 0; p = st.pages.at(p).next {
			if !st.pages.at(p).kind.soft() {
				latest = p
			}
		}
		found = latest
	}
	if found == 0 {
		return Page{}, false
	}
	p := st.pages.at(found)
	return Page{TraceID: p.traceID, SpanID: p.spanID, st: st, url: p.url}, true
}

// isHardPageOf says whether the view p is a hard one of url.
func (st *Store) isHardPageOf(p uint32, url string) bool {
	n := st.pages.at(p)
	return !n.kind.soft() && st.urls.equals(n.url, url)
}

// navHash is the 64-bit FNV-1a hash of a navigation id, 0 for none. It is saved with the
// page views, so it must not change between versions (maphash is seeded per process).
// Two navigation ids of one session with the same hash, among at most 16, are too
// unlikely to matter.
func navHash(id string) uint64 {
	if id == "" {
		return 0
	}
	h := uint64(14695981039346656037)
	for i := 0; i < len(id); i++ {
		h ^= uint64(id[i])
		h *= 1099511628211
	}
	return max(h, 1)
}

// sessionStrings are the strings of a session, in the arena.
type sessionStrings struct{ key, id, prev, user []byte }

func (st *Store) strings(ss *session) sessionStrings {
	var out sessionStrings
	b := st.arena.bytes(ss.strs)
	out.key, b = cutString(b)
	out.id, b = cutString(b)
	out.prev, b = cutString(b)
	out.user, _ = cutString(b)
	return out
}

func (st *Store) key(ss *session) []byte {
	key, _ := cutString(st.arena.bytes(ss.strs))
	return key
}

// cutString reads a uvarint length and that many bytes. It runs for every record (the
// key, the labels): a length under 128, one byte, is read without the general decoder.
func cutString(b []byte) (s, rest []byte) {
	if len(b) > 0 && b[0] < 0x80 {
		end := 1 + int(b[0])
		return b[1:end:end], b[end:]
	}
	n, size := binary.Uvarint(b)
	b = b[size:]
	return b[:n:n], b[n:]
}

// id returns the session's id (its key unless it differs).
func (st *Store) id(ss *session) []byte {
	strs := st.strings(ss)
	if len(strs.id) == 0 {
		return strs.key
	}
	return strs.id
}

func uvarintLen(n int) int {
	size := 1
	for ; n >= 0x80; n >>= 7 {
		size++
	}
	return size
}
