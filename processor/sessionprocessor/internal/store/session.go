// Package store keeps the state of open sessions: what the session processor knows about
// each, in memory bounded by a maximum count, with lifecycle decisions taken against an
// explicit clock so that they are testable.
package store // import "github.com/otelcol-rum/otelcol-rum/processor/sessionprocessor/internal/store"

import (
	"strings"
	"unique"
)

// MaxPageViewsKept bounds the page views remembered per session for the vitals join; the
// count of page views goes on beyond it. A vital names a recent page, so older ones can go.
const MaxPageViewsKept = 16

// EndReason says why a session ended.
type EndReason string

const (
	EndTimeout     EndReason = "timeout"
	EndMaxDuration EndReason = "max_duration"
	EndEvicted     EndReason = "evicted"
	EndShutdown    EndReason = "shutdown"
	// EndNotRestored ends a saved session that could not be taken back at start: more
	// sessions were saved than max_sessions allows, or its saved record is damaged.
	EndNotRestored EndReason = "not_restored"
)

// PageView is one page of a session and the trace of its navigation (the backend trace
// that served the document).
type PageView struct {
	NavigationID string
	URL          string
	TraceID      [16]byte
	SpanID       [8]byte
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

// Session is one user session. Times are Unix nanoseconds of the collector's clock.
type Session struct {
	// Key is the id the SDK sends. ID is the session's own id: the same, unless the
	// session continues one that hit max_duration.
	Key        string
	ID         string
	PreviousID string

	App, Environment, Browser Interned
	UserID                    string

	Start, LastActivity int64

	PageViews   uint32
	Errors      uint32
	UserActions uint32
	Spans       uint32
	EntryPage   string
	ExitPage    string
	// Pages are the most recent page views, oldest first, at most MaxPageViewsKept.
	Pages []PageView

	// Sampled is decided once from the id, so a session is kept or dropped whole.
	Sampled bool

	// links are the session's places in the store's recency and start-order lists.
	links [2]neighbours
	// slot is the session's place in the store's slots.
	slot uint32
	// changed is set while the session has changes the journal has not taken yet.
	changed bool
	// generation counts max_duration rollovers of the same key.
	generation uint32
}

// Update applies what a record tells about the session. Strings are cloned where kept:
// they may point into a whole request buffer that must not stay alive with the session.
func (s *Session) Update(info *Info) {
	s.App.set(info.App)
	s.Environment.set(info.Environment)
	s.Browser.set(info.Browser)
	if info.UserID != "" && info.UserID != s.UserID {
		s.UserID = strings.Clone(info.UserID)
	}
	if info.PreviousID != "" && s.PreviousID == "" {
		s.PreviousID = strings.Clone(info.PreviousID)
	}
	if info.URL != "" && info.URL != s.ExitPage {
		s.ExitPage = strings.Clone(info.URL)
		if s.EntryPage == "" {
			s.EntryPage = s.ExitPage
		}
	}
}

// AddPageView records a page view; a repeated navigation id updates the page it names.
func (s *Session) AddPageView(pv PageView) {
	for i := range s.Pages {
		if pv.NavigationID != "" && s.Pages[i].NavigationID == pv.NavigationID {
			return
		}
	}
	s.PageViews++
	pv.NavigationID = strings.Clone(pv.NavigationID)
	pv.URL = strings.Clone(pv.URL)
	if pv.URL != "" {
		if s.EntryPage == "" {
			s.EntryPage = pv.URL
		}
		s.ExitPage = pv.URL
	}
	if len(s.Pages) == MaxPageViewsKept {
		copy(s.Pages, s.Pages[1:])
		s.Pages = s.Pages[:len(s.Pages)-1]
	}
	s.Pages = append(s.Pages, pv)
}

// FindPage returns the page view a vital belongs to: by navigation id, else by URL, else
// (only when the vital names no page view) the latest page view. A navigation id that is
// not known is not guessed at: linking a vital to another page's trace would mislead.
func (s *Session) FindPage(navigationID, url string) (PageView, bool) {
	if navigationID != "" {
		for i := len(s.Pages) - 1; i >= 0; i-- {
			if s.Pages[i].NavigationID == navigationID {
				return s.Pages[i], true
			}
		}
	}
	if url != "" {
		for i := len(s.Pages) - 1; i >= 0; i-- {
			if s.Pages[i].URL == url {
				return s.Pages[i], true
			}
		}
	}
	if navigationID == "" && len(s.Pages) > 0 {
		return s.Pages[len(s.Pages)-1], true
	}
	return PageView{}, false
}

// Interned is a string shared by every session that has it: app names, environments and
// browser names repeat across thousands of sessions. The zero value is "".
type Interned struct{ h unique.Handle[string] }

// Intern returns the shared copy of s.
func Intern(s string) Interned {
	if s == "" {
		return Interned{}
	}
	return Interned{unique.Make(s)}
}

// String returns the value.
func (i Interned) String() string {
	if i == (Interned{}) {
		return ""
	}
	return i.h.Value()
}

// set replaces the value with a non-empty s.
func (i *Interned) set(s string) {
	if s != "" && s != i.String() {
		*i = Intern(s)
	}
}

// Bounce is a session that saw at most one page.
func (s *Session) Bounce() bool { return s.PageViews <= 1 }
