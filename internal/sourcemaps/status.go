// Copyright The otelcol-rum Authors
// SPDX-License-Identifier: Apache-2.0

package sourcemaps // import "github.com/otelcol-rum/otelcol-rum/internal/sourcemaps"

// Status says what Get found.
type Status int

const (
	// StatusOK means the map is returned.
	StatusOK Status = iota
	// StatusNotFound means no source has a map for the key.
	StatusNotFound
	// StatusTimeout means the map was still loading when the caller's deadline passed, or no
	// load could start because max_concurrent_loads were running. A later Get may find it.
	StatusTimeout
	// StatusRefused means the key or the map's URL may not be used: not an http(s) script URL,
	// a path that would leave the directory, an origin not on the allow-list, a
	// sourceMappingURL to file: or to another origin.
	StatusRefused
	// StatusError means a map was found but could not be used: too large, not a valid source
	// map, a failed request or read, or its load ran out of fetch_timeout.
	StatusError
)

func (s Status) String() string {
	switch s {
	case StatusOK:
		return "ok"
	case StatusNotFound:
		return "not_found"
	case StatusTimeout:
		return "timeout"
	case StatusRefused:
		return "refused"
	case StatusError:
		return "error"
	}
	return "unknown"
}

// Reason says why a map could not be had, for self-telemetry and logs. Each is the value
// of a metric attribute, so the set is small and fixed.
type Reason string

// The reasons a load fails.
const (
	ReasonNotFound   Reason = "not_found"   // no source has it (HTTP 404 or 410, no file, no sourceMappingURL)
	ReasonTimeout    Reason = "timeout"     // fetch_timeout ran out
	ReasonTooLarge   Reason = "too_large"   // over max_map_size or download.max_script_size, or larger than the cache
	ReasonRefused    Reason = "refused"     // a URL or path that may not be used (Status refused)
	ReasonInvalid    Reason = "invalid"     // not a source map the parser accepts
	ReasonFetchError Reason = "fetch_error" // another HTTP status, a failed connection, an unreadable file
	ReasonBusy       Reason = "busy"        // max_concurrent_loads were running; nothing was loaded or remembered
)

// status is what Get reports for a failed load.
func (r Reason) status() Status {
	switch r {
	case ReasonNotFound:
		return StatusNotFound
	case ReasonRefused:
		return StatusRefused
	case ReasonBusy:
		return StatusTimeout
	}
	return StatusError
}

// Source is where a map was loaded from.
type Source string

// The sources of a map.
const (
	SourceDirectory Source = "directory"
	SourceBaseURL   Source = "base_url"
	SourceDownload  Source = "download"
	SourceInline    Source = "inline" // a data: URL in the script's sourceMappingURL comment
)

// Outcome is what a lookup found in the caches.
type Outcome string

// The outcomes of a lookup.
const (
	OutcomeHit         Outcome = "hit"          // a parsed map
	OutcomeNegativeHit Outcome = "negative_hit" // a remembered failure
	OutcomeMiss        Outcome = "miss"         // nothing: a load is started or joined
)
