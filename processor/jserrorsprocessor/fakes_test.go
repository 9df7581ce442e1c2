// Copyright The otelcol-rum Authors
// SPDX-License-Identifier: Apache-2.0

package jserrorsprocessor

import (
	"context"
	"fmt"
	"hash/fnv"
	"strings"
	"sync"

	"github.com/otelcol-rum/otelcol-rum/internal/jsstack"
	"github.com/otelcol-rum/otelcol-rum/internal/sourcemaps"
)

// fakeGrouper groups by everything it is given, so that a test sees what went into the
// group: the type, the message and each frame's function and file.
type fakeGrouper struct{}

func (fakeGrouper) ID(excType, message string, frames []jsstack.Frame) string {
	h := fnv.New64a()
	fmt.Fprintf(h, "%s|%s", excType, message)
	for _, f := range frames {
		fmt.Fprintf(h, "|%s@%s", f.Function, f.URL)
	}
	return fmt.Sprintf("%016x", h.Sum64())
}

// fakeSymbolicator resolves frames from a table of "url:line:col" to source positions,
// records every call, and can be made to wait for the deadline or to panic.
type fakeSymbolicator struct {
	sources map[string]jsstack.Frame
	context string // the context line of the top resolved frame
	// waitForDeadline: every frame times out, after the batch's deadline.
	waitForDeadline bool
	panics          bool

	mu    sync.Mutex
	calls []symbolicateCall
}

type symbolicateCall struct {
	app, release string
	deadline     string
}

func (s *fakeSymbolicator) Symbolicate(ctx context.Context, app, release string, t jsstack.Trace) (jsstack.Trace, sourcemaps.SymbolicationResult) {
	deadline, _ := ctx.Deadline()
	s.mu.Lock()
	s.calls = append(s.calls, symbolicateCall{app: app, release: release, deadline: deadline.String()})
	s.mu.Unlock()
	if s.panics {
		panic("a hostile map")
	}
	var res sourcemaps.SymbolicationResult
	if s.waitForDeadline {
		<-ctx.Done()
	}
	out := jsstack.Trace{Lines: make([]jsstack.Line, len(t.Lines))}
	for i, l := range t.Lines {
		out.Lines[i] = l
		// Only http(s) scripts can have a map, as for the store.
		if !l.IsFrame || !isHTTP(l.Frame.URL) {
			continue
		}
		if s.waitForDeadline {
			res.TimedOut++
			continue
		}
		src, ok := s.sources[fmt.Sprintf("%s:%d:%d", l.Frame.URL, l.Frame.Line, l.Frame.Column)]
		if !ok {
			res.Unresolved++
			continue
		}
		if res.Resolved == 0 && s.context != "" {
			res.ContextLine, res.HasContextLine = s.context, true
		}
		res.Resolved++
		src.Async = l.Frame.Async
		out.Lines[i].Frame = src
	}
	return out, res
}

func (s *fakeSymbolicator) callCount() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return len(s.calls)
}

// fakeParts reads exceptions with sym for maps and fakeGrouper.
func fakeParts(sym *fakeSymbolicator) newPartsFunc {
	return func(sourcemaps.Observer) (parts, error) { return parts{symbolicator: sym, grouper: fakeGrouper{}}, nil }
}

func isHTTP(url string) bool {
	return strings.HasPrefix(url, "http://") || strings.HasPrefix(url, "https://")
}

// productionParts are the collector's parts for cfg: the real store and grouper.
func productionParts(cfg *Config) newPartsFunc {
	return func(obs sourcemaps.Observer) (parts, error) { return newParts(cfg, nopSettings(), obs) }
}
