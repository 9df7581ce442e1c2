// Copyright The otelcol-rum Authors
// SPDX-License-Identifier: Apache-2.0

// Package jsstack reads and writes JavaScript stack traces as browsers print them: V8
// (Chrome, Edge, Node), SpiderMonkey (Firefox) and JavaScriptCore (Safari).
package jsstack // import "github.com/otelcol-rum/otelcol-rum/internal/jsstack"

// Frame is one call of a stack trace. Line and Column are 1-based, as browsers print
// them; 0 means the trace did not say.
type Frame struct {
	// Function is the function's name as printed ("t.n", "Object.<anonymous>"); empty for
	// an anonymous function.
	Function string
	// URL is the script the code is in, as printed: usually an absolute URL, sometimes
	// "<anonymous>", "native" or an eval location.
	URL    string
	Line   int
	Column int
	// Async marks V8's "at async fn" frames: the caller awaited across a turn.
	Async bool
}

// Line is one line of a stack trace: a frame, or text that is not one (the "Type:
// message" head, a note), which is kept as it was.
type Line struct {
	Frame   Frame
	IsFrame bool
	Text    string // the line as it was, when it is not a frame
}

// Trace is a parsed stack trace, its lines in order.
type Trace struct {
	Lines []Line
}

// Frames returns the frames of the trace, top (innermost call) first.
func (t Trace) Frames() []Frame {
	out := make([]Frame, 0, len(t.Lines))
	for _, l := range t.Lines {
		if l.IsFrame {
			out = append(out, l.Frame)
		}
	}
	return out
}
