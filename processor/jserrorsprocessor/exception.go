// Copyright The otelcol-rum Authors
// SPDX-License-Identifier: Apache-2.0

package jserrorsprocessor // import "github.com/otelcol-rum/otelcol-rum/processor/jserrorsprocessor"

import (
	"context"

	"go.opentelemetry.io/collector/pdata/pcommon"

	"github.com/otelcol-rum/otelcol-rum/internal/jsstack"
	"github.com/otelcol-rum/otelcol-rum/internal/pattrs"
	"github.com/otelcol-rum/otelcol-rum/internal/rumconv"
)

// reading is what one exception becomes: everything is computed before anything is
// written, so that an exception whose reading fails is left as it came.
type reading struct {
	status      string // rum.exception.symbolication
	group       string
	stack       string // the symbolicated trace, when it differs from the one received
	minified    string // the trace as received, kept when stack replaces it
	contextLine string
}

// read symbolicates an exception's stack trace within the deadline of budget's context
// and computes its error group from the exception type, the message and the symbolicated
// frames.
func (p *jserrorsProcessor) read(budget func() context.Context, attrs pcommon.Map, app, release string) reading {
	r := reading{status: rumconv.SymbolicationNotAttempted}
	var frames []jsstack.Frame
	if raw, ok := stackOf(attrs); ok {
		trace := jsstack.Parse(raw)
		if _, done := attrs.Get(rumconv.AttrRUMExceptionStacktraceMinified); done {
			// An earlier jserrors processor (an agent's, before a gateway's) symbolicated
			// it: its frames are source already, and looking them up would only fail.
			r.status = earlierStatus(attrs)
		} else if hasFrame(trace) {
			trace = p.symbolicate(budget(), &r, app, release, raw, trace)
		}
		frames = trace.Frames()
	}
	r.group = p.grouper.ID(pattrs.Str(attrs, rumconv.AttrExceptionType), pattrs.Str(attrs, rumconv.AttrExceptionMessage), frames)
	return r
}

// symbolicate fills r from the source maps and returns the trace to group by.
func (p *jserrorsProcessor) symbolicate(ctx context.Context, r *reading, app, release, raw string, trace jsstack.Trace) jsstack.Trace {
	resolved, res := p.symbolicator.Symbolicate(ctx, app, release, trace)
	r.status = string(res.Summary())
	if res.Resolved == 0 {
		return trace
	}
	if res.HasContextLine {
		r.contextLine = res.ContextLine
	}
	if formatted := resolved.Format(); formatted != raw {
		r.stack, r.minified = formatted, raw
	}
	return resolved
}

// write puts the reading on the exception's attributes. The trace as received is never
// lost: it moves to rum.exception.stacktrace.minified, unless that holds an earlier one.
func (r *reading) write(attrs pcommon.Map) {
	if r.stack != "" {
		pattrs.PutIfAbsent(attrs, rumconv.AttrRUMExceptionStacktraceMinified, func() string { return r.minified })
		attrs.PutStr(rumconv.AttrExceptionStacktrace, r.stack)
	}
	attrs.PutStr(rumconv.AttrRUMExceptionSymbolication, r.status)
	pattrs.PutNonEmpty(attrs, rumconv.AttrRUMExceptionContextLine, r.contextLine)
	attrs.PutStr(rumconv.AttrRUMErrorGroup, r.group)
}

// stackOf returns the stack trace when it is a non-empty string; any other value is not
// a stack trace this processor can read, and is left alone.
func stackOf(attrs pcommon.Map) (string, bool) {
	v, ok := attrs.Get(rumconv.AttrExceptionStacktrace)
	if !ok || v.Type() != pcommon.ValueTypeStr || v.Str() == "" {
		return "", false
	}
	return v.Str(), true
}

// hasFrame says whether t has a frame to look up; text alone has nothing to map.
func hasFrame(t jsstack.Trace) bool {
	for _, l := range t.Lines {
		if l.IsFrame {
			return true
		}
	}
	return false
}

// earlierStatus is the status an earlier processor wrote. Having replaced the trace, it
// resolved something; a value that says otherwise came from elsewhere.
func earlierStatus(attrs pcommon.Map) string {
	if s := pattrs.Str(attrs, rumconv.AttrRUMExceptionSymbolication); s == rumconv.SymbolicationSymbolicated {
		return s
	}
	return rumconv.SymbolicationPartial
}
