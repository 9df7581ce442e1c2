// Copyright The otelcol-rum Authors
// SPDX-License-Identifier: Apache-2.0

package store // import "github.com/otelcol-rum/otelcol-rum/processor/sessionprocessor/internal/store"

import (
	"encoding/hex"
	"encoding/json"
	"fmt"
)

// The first releases saved every open session as one JSON value (version 1), rewritten
// whole at every checkpoint. DecodeLegacyCheckpoint reads it once, so that an upgrade
// keeps the sessions open at the time; the journal then writes them its own way.

// legacyVersion is the only version of the JSON checkpoint.
const legacyVersion = 1

type legacyCheckpoint struct {
	Version  int             `json:"version"`
	Sessions []legacySession `json:"sessions"`
}

type legacySession struct {
	Key          string       `json:"key"`
	ID           string       `json:"id"`
	PreviousID   string       `json:"previous_id,omitempty"`
	App          string       `json:"app,omitempty"`
	Environment  string       `json:"environment,omitempty"`
	Browser      string       `json:"browser,omitempty"`
	UserID       string       `json:"user_id,omitempty"`
	Start        int64        `json:"start"`
	LastActivity int64        `json:"last_activity"`
	PageViews    uint32       `json:"page_views"`
	Errors       uint32       `json:"errors"`
	UserActions  uint32       `json:"user_actions"`
	Spans        uint32       `json:"spans"`
	EntryPage    string       `json:"entry_page,omitempty"`
	ExitPage     string       `json:"exit_page,omitempty"`
	Pages        []legacyPage `json:"pages,omitempty"`
	Sampled      bool         `json:"sampled"`
	Generation   uint32       `json:"generation,omitempty"`
}

// legacyPage has trace and span ids in hex.
type legacyPage struct {
	NavigationID string `json:"nav,omitempty"`
	URL          string `json:"url,omitempty"`
	TraceID      string `json:"trace,omitempty"`
	SpanID       string `json:"span,omitempty"`
}

// DecodeLegacyCheckpoint reads a version 1 JSON checkpoint.
func DecodeLegacyCheckpoint(data []byte) ([]Record, error) {
	var cp legacyCheckpoint
	if err := json.Unmarshal(data, &cp); err != nil {
		return nil, fmt.Errorf("unreadable session checkpoint: %w", err)
	}
	if cp.Version != legacyVersion {
		return nil, fmt.Errorf("session checkpoint version %d is not %d", cp.Version, legacyVersion)
	}
	out := make([]Record, 0, len(cp.Sessions))
	for _, ss := range cp.Sessions {
		if ss.Key == "" || ss.ID == "" || len(ss.Pages) > MaxPageViewsKept {
			return nil, fmt.Errorf("session %q: invalid", ss.ID)
		}
		pages, err := legacyPages(ss.Pages)
		if err != nil {
			return nil, fmt.Errorf("session %q: %w", ss.ID, err)
		}
		out = append(out, Record{
			Key: ss.Key, ID: ss.ID, PreviousID: ss.PreviousID,
			App: ss.App, Environment: ss.Environment, Browser: ss.Browser, UserID: ss.UserID,
			Start: ss.Start, LastActivity: ss.LastActivity,
			Views: ss.PageViews, Errors: ss.Errors, UserActions: ss.UserActions, Spans: ss.Spans,
			EntryPage: ss.EntryPage, ExitPage: ss.ExitPage, Pages: pages,
			Sampled: ss.Sampled, Generation: ss.Generation,
		})
	}
	return out, nil
}

func legacyPages(pages []legacyPage) ([]SavedPage, error) {
	if len(pages) == 0 {
		return nil, nil
	}
	out := make([]SavedPage, len(pages))
	for i, p := range pages {
		out[i] = SavedPage{NavHash: navHash(p.NavigationID), URL: p.URL, Emitted: true}
		if err := decodeHexID(out[i].TraceID[:], p.TraceID); err != nil {
			return nil, fmt.Errorf("page trace id %q: %w", p.TraceID, err)
		}
		if err := decodeHexID(out[i].SpanID[:], p.SpanID); err != nil {
			return nil, fmt.Errorf("page span id %q: %w", p.SpanID, err)
		}
	}
	return out, nil
}

// decodeHexID fills dst from hex; empty means all zero.
func decodeHexID(dst []byte, s string) error {
	if s == "" {
		return nil
	}
	if hex.DecodedLen(len(s)) != len(dst) {
		return fmt.Errorf("length %d", len(s))
	}
	_, err := hex.Decode(dst, []byte(s))
	return err
}
