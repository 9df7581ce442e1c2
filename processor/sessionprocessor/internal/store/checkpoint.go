package store // import "github.com/otelcol-rum/otelcol-rum/processor/sessionprocessor/internal/store"

import (
	"encoding/hex"
	"encoding/json"
	"fmt"
	"slices"
)

// checkpointVersion is bumped when the saved shape changes incompatibly; an unknown
// version is refused rather than misread.
const checkpointVersion = 1

type checkpoint struct {
	Version  int               `json:"version"`
	Sessions []sessionSnapshot `json:"sessions"`
}

type sessionSnapshot struct {
	Key          string         `json:"key"`
	ID           string         `json:"id"`
	PreviousID   string         `json:"previous_id,omitempty"`
	App          string         `json:"app,omitempty"`
	Environment  string         `json:"environment,omitempty"`
	Browser      string         `json:"browser,omitempty"`
	UserID       string         `json:"user_id,omitempty"`
	Start        int64          `json:"start"`
	LastActivity int64          `json:"last_activity"`
	PageViews    uint32         `json:"page_views"`
	Errors       uint32         `json:"errors"`
	UserActions  uint32         `json:"user_actions"`
	Spans        uint32         `json:"spans"`
	EntryPage    string         `json:"entry_page,omitempty"`
	ExitPage     string         `json:"exit_page,omitempty"`
	Pages        []pageSnapshot `json:"pages,omitempty"`
	Sampled      bool           `json:"sampled"`
	Generation   uint32         `json:"generation,omitempty"`
}

// pageSnapshot writes trace and span ids as hex, a third of the size of JSON byte arrays.
type pageSnapshot struct {
	NavigationID string `json:"nav,omitempty"`
	URL          string `json:"url,omitempty"`
	TraceID      string `json:"trace,omitempty"`
	SpanID       string `json:"span,omitempty"`
}

func pagesSnapshot(pages []PageView) []pageSnapshot {
	out := make([]pageSnapshot, len(pages))
	for i, p := range pages {
		out[i] = pageSnapshot{NavigationID: p.NavigationID, URL: p.URL, TraceID: hex.EncodeToString(p.TraceID[:]), SpanID: hex.EncodeToString(p.SpanID[:])}
	}
	return out
}

func pagesFromSnapshot(pages []pageSnapshot) ([]PageView, error) {
	out := make([]PageView, len(pages))
	for i, p := range pages {
		out[i] = PageView{NavigationID: p.NavigationID, URL: p.URL}
		if _, err := hex.Decode(out[i].TraceID[:], []byte(p.TraceID)); err != nil && p.TraceID != "" {
			return nil, fmt.Errorf("page trace id %q: %w", p.TraceID, err)
		}
		if _, err := hex.Decode(out[i].SpanID[:], []byte(p.SpanID)); err != nil && p.SpanID != "" {
			return nil, fmt.Errorf("page span id %q: %w", p.SpanID, err)
		}
	}
	return slices.Clip(out), nil
}

// Snapshot is a copy of the open sessions, taken under the processor's lock and encoded
// after it is released.
type Snapshot struct{ cp checkpoint }

// Encode writes the snapshot.
func (sn Snapshot) Encode() ([]byte, error) { return json.Marshal(sn.cp) }

// Snapshot copies the open sessions, least recently active first. Tombstones are not
// saved: after a restart, late data of a session that had timed out opens a new one.
func (st *Store) Snapshot() Snapshot {
	cp := checkpoint{Version: checkpointVersion, Sessions: make([]sessionSnapshot, 0, len(st.byKey))}
	st.Each(func(s *Session) {
		cp.Sessions = append(cp.Sessions, sessionSnapshot{
			Key: s.Key, ID: s.ID, PreviousID: s.PreviousID,
			App: s.App.String(), Environment: s.Environment.String(), Browser: s.Browser.String(), UserID: s.UserID,
			Start: s.Start, LastActivity: s.LastActivity,
			PageViews: s.PageViews, Errors: s.Errors, UserActions: s.UserActions, Spans: s.Spans,
			EntryPage: s.EntryPage, ExitPage: s.ExitPage, Pages: pagesSnapshot(s.Pages),
			Sampled: s.Sampled, Generation: s.generation,
		})
	})
	return Snapshot{cp: cp}
}

// RestoreCheckpoint adds the sessions of a checkpoint and returns how many.
func (st *Store) RestoreCheckpoint(data []byte) (int, error) {
	var cp checkpoint
	if err := json.Unmarshal(data, &cp); err != nil {
		return 0, fmt.Errorf("unreadable session checkpoint: %w", err)
	}
	if cp.Version != checkpointVersion {
		return 0, fmt.Errorf("session checkpoint version %d is not %d", cp.Version, checkpointVersion)
	}
	for _, ss := range cp.Sessions {
		pages, err := pagesFromSnapshot(ss.Pages)
		if err != nil {
			return 0, fmt.Errorf("session %q: %w", ss.ID, err)
		}
		st.Restore(&Session{
			Key: ss.Key, ID: ss.ID, PreviousID: ss.PreviousID,
			App: Intern(ss.App), Environment: Intern(ss.Environment), Browser: Intern(ss.Browser), UserID: ss.UserID,
			Start: ss.Start, LastActivity: ss.LastActivity,
			PageViews: ss.PageViews, Errors: ss.Errors, UserActions: ss.UserActions, Spans: ss.Spans,
			EntryPage: ss.EntryPage, ExitPage: ss.ExitPage, Pages: pages,
			Sampled: ss.Sampled, generation: ss.Generation,
		})
	}
	return len(cp.Sessions), nil
}
