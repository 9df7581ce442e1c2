package store // import "github.com/otelcol-rum/otelcol-rum/processor/sessionprocessor/internal/store"

import "slices"

// Record is everything saved of one open session: a copy taken under the processor's
// lock, encoded after it is released. Strings are shared with the session (they are
// never changed in place); the page views are copied.
type Record struct {
	Key, ID, PreviousID               string
	App, Environment, Browser, UserID string
	Start, LastActivity               int64
	PageViews, Errors, UserActions    uint32
	Spans                             uint32
	EntryPage, ExitPage               string
	Pages                             []PageView
	Sampled                           bool
	// Generation counts max_duration rollovers of the key.
	Generation uint32
}

func (s *Session) record() Record {
	return Record{
		Key: s.Key, ID: s.ID, PreviousID: s.PreviousID,
		App: s.App.String(), Environment: s.Environment.String(), Browser: s.Browser.String(), UserID: s.UserID,
		Start: s.Start, LastActivity: s.LastActivity,
		PageViews: s.PageViews, Errors: s.Errors, UserActions: s.UserActions, Spans: s.Spans,
		EntryPage: s.EntryPage, ExitPage: s.ExitPage, Pages: slices.Clone(s.Pages),
		Sampled: s.Sampled, Generation: s.generation,
	}
}

func sessionFromRecord(r *Record) *Session {
	return &Session{
		Key: r.Key, ID: r.ID, PreviousID: r.PreviousID,
		App: Intern(r.App), Environment: Intern(r.Environment), Browser: Intern(r.Browser), UserID: r.UserID,
		Start: r.Start, LastActivity: r.LastActivity,
		PageViews: r.PageViews, Errors: r.Errors, UserActions: r.UserActions, Spans: r.Spans,
		EntryPage: r.EntryPage, ExitPage: r.ExitPage, Pages: slices.Clip(r.Pages),
		Sampled: r.Sampled, generation: r.Generation,
	}
}

// Records returns a copy of every open session, least recently active first.
func (st *Store) Records() []Record {
	out := make([]Record, 0, st.Len())
	for s := st.recency.first; s != nil; s = s.links[byRecency].next {
		out = append(out, s.record())
	}
	return out
}
