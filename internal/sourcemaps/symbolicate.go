// Copyright The otelcol-rum Authors
// SPDX-License-Identifier: Apache-2.0

package sourcemaps // import "github.com/otelcol-rum/otelcol-rum/internal/sourcemaps"

import (
	"context"

	"github.com/otelcol-rum/otelcol-rum/internal/jsstack"
)

// SymbolicationResult says what Symbolicate did with the frames that have an http(s)
// URL; other frames ("native", "<anonymous>", eval locations) are not counted.
type SymbolicationResult struct {
	// Resolved frames now name their original source, line, column and function.
	Resolved int
	// Unresolved frames have no map (not found, refused, failed) or no mapping at their
	// position.
	Unresolved int
	// TimedOut frames had their map still loading when ctx was done.
	TimedOut int
	// ContextLine is the original source line of the top resolved frame, from the map's
	// sourcesContent; HasContextLine is false when there is none.
	ContextLine    string
	HasContextLine bool
}

// Summary is the outcome of a symbolication as one word.
type Summary string

// The summaries, which are the values of the rum.exception.symbolication attribute.
const (
	SummarySymbolicated Summary = "symbolicated"  // every frame with a URL resolved
	SummaryPartial      Summary = "partial"       // some did
	SummaryUnresolved   Summary = "unresolved"    // none did: no map, or no mapping
	SummaryTimeout      Summary = "timeout"       // none did, and some maps were still loading
	SummaryNotAttempted Summary = "not_attempted" // no frame with an http(s) URL
)

// Summary sums the counts up.
func (r SymbolicationResult) Summary() Summary {
	switch total := r.Resolved + r.Unresolved + r.TimedOut; {
	case total == 0:
		return SummaryNotAttempted
	case r.Resolved == total:
		return SummarySymbolicated
	case r.Resolved > 0:
		return SummaryPartial
	case r.TimedOut > 0:
		return SummaryTimeout
	}
	return SummaryUnresolved
}

// Symbolicate returns t with every frame that a map resolves rewritten to its original
// source, line and column, and the result. The other lines and frames are kept as they
// are. It returns when ctx is done at the latest: the maps of all the trace's scripts
// load at once, and those not loaded by then count as timed out.
//
// A frame's function is named from its caller's position: the name a map records at a
// call site is the function called there, so the frame below a frame names it. The
// outermost frame, and frames whose caller has no name there, keep the function as
// printed.
func (s *Store) Symbolicate(ctx context.Context, app, release string, t jsstack.Trace) (jsstack.Trace, SymbolicationResult) {
	frames := t.Frames()
	maps := s.mapsOf(ctx, app, release, frames)
	var res SymbolicationResult
	positions := make([]Position, len(frames))
	resolved := make([]bool, len(frames))
	for i, f := range frames {
		ms, ok := maps[f.URL]
		if !ok {
			continue
		}
		if ms.m != nil {
			positions[i], resolved[i] = ms.m.Resolve(f.Line, f.Column)
			s.reportDamage(Key{App: app, Release: release, ScriptURL: f.URL}, ms.m)
		}
		switch {
		case resolved[i]:
			res.Resolved++
			if !res.HasContextLine && res.Resolved == 1 {
				res.ContextLine, res.HasContextLine = ms.m.ContextLine(positions[i].Source, positions[i].Line)
			}
		case ms.st == StatusTimeout:
			res.TimedOut++
		default:
			res.Unresolved++
		}
	}
	if res.Resolved+res.Unresolved+res.TimedOut > 0 {
		s.obs.FramesSymbolicated(res.Resolved, res.Unresolved+res.TimedOut)
	}
	if res.Resolved == 0 {
		return t, res
	}
	return rewrite(t, positions, resolved), res
}

// mapLookup is what Get said of one script.
type mapLookup struct {
	m  *Map
	st Status
}

// mapsOf looks up the map of every distinct http(s) script of the frames: all the loads
// start before any is waited for, so the slowest bounds the wait, not their sum.
func (s *Store) mapsOf(ctx context.Context, app, release string, frames []jsstack.Frame) map[string]mapLookup {
	out := make(map[string]mapLookup, 2)
	pending := map[string]*load{}
	for _, f := range frames {
		if _, seen := out[f.URL]; seen || !isHTTPURL(f.URL) {
			continue
		}
		m, st, l := s.lookup(Key{App: app, Release: release, ScriptURL: f.URL})
		out[f.URL] = mapLookup{m: m, st: st}
		if l != nil {
			pending[f.URL] = l
		}
	}
	for u, l := range pending {
		m, st := l.wait(ctx)
		out[u] = mapLookup{m: m, st: st}
	}
	return out
}

// isHTTPURL is a cheap first test, before the key's full parse: most frames that are not
// a script's (native, <anonymous>) fail it without an allocation.
func isHTTPURL(s string) bool {
	return len(s) > 8 && (s[:7] == "http://" || s[:8] == "https://")
}

// rewrite returns a copy of t with the resolved frames replaced.
func rewrite(t jsstack.Trace, positions []Position, resolved []bool) jsstack.Trace {
	out := jsstack.Trace{Lines: make([]jsstack.Line, len(t.Lines))}
	fi := -1
	for li, line := range t.Lines {
		out.Lines[li] = line
		if !line.IsFrame {
			continue
		}
		fi++
		if !resolved[fi] {
			continue
		}
		p := positions[fi]
		f := line.Frame
		f.URL, f.Line, f.Column = p.Source, p.Line, p.Column
		if fi+1 < len(positions) && resolved[fi+1] && positions[fi+1].Name != "" {
			f.Function = positions[fi+1].Name
		}
		out.Lines[li].Frame = f
	}
	return out
}
