// Copyright The otelcol-rum Authors
// SPDX-License-Identifier: Apache-2.0

package jsstack

import "strings"

// maxEvalDepth bounds how many nested "eval at" origins are unwrapped, so that a crafted
// line costs linear time; browsers rarely nest more than two.
const maxEvalDepth = 8

// parseV8 reads a V8 frame (Chrome, Edge, Node), line already trimmed:
//
//	at fn (url:line:col)        at url:line:col
//	at async fn (url:line:col)  at new Foo (url:line:col)
//	at Array.forEach (<anonymous>)  at async Promise.all (index 0)
//	at fn (eval at outer (url:line:col), <anonymous>:line:col)
//
// The function is kept as printed ("new Foo", "Object.real [as alias]") so that Format
// writes it back unchanged. An eval frame's location is where eval was called, the outer
// one: code made by eval has no URL a source map could resolve.
func parseV8(line string) (Frame, bool) {
	rest, ok := strings.CutPrefix(line, "at ")
	if !ok {
		return Frame{}, false
	}
	var f Frame
	if after, ok := strings.CutPrefix(rest, "async "); ok && after != "" && after[0] != '(' {
		f.Async, rest = true, after
	}
	if strings.HasSuffix(rest, ")") {
		fn, loc, ok := splitCall(rest)
		if ok && f.setV8Location(loc) {
			f.Function = fn
			return f, true
		}
	}
	if strings.ContainsAny(rest, " \t") {
		return Frame{}, false
	}
	return f, f.setV8Location(rest)
}

// splitCall splits "fn (loc)" at the first " (": function names hold no " (", while URLs
// may hold parentheses ("chunk(1).js", "?x=(1)") and eval origins hold a nested pair.
func splitCall(s string) (fn, loc string, ok bool) {
	if strings.HasPrefix(s, "(") {
		return "", s[1 : len(s)-1], true
	}
	i := strings.Index(s, " (")
	if i <= 0 {
		return "", "", false
	}
	return s[:i], s[i+2 : len(s)-1], true
}

// setV8Location fills URL, Line and Column from what V8 prints inside the parentheses,
// and reports whether it is a location at all (so that "at most (see below)" in a
// message stays text): a position, an eval origin, one of V8's placeholders, or a URL
// with a scheme (a wasm frame's "wasm://wasm/…:wasm-function[3]:0x9f" has no line).
func (f *Frame) setV8Location(loc string) bool {
	if strings.HasPrefix(loc, "eval at ") {
		if url, line, col, ok := evalOrigin(loc); ok {
			f.URL, f.Line, f.Column = url, line, col
			return true
		}
		f.URL = loc
		return true
	}
	f.URL, f.Line, f.Column = splitLocation(loc)
	if f.Line > 0 || isV8Placeholder(loc) {
		return true
	}
	return hasScheme(loc) && !strings.ContainsAny(loc, " \t")
}

// evalOrigin finds the outermost call site in an eval origin, which nests once per eval:
//
//	eval at fn (eval at <anonymous> (url:line:col)), <anonymous>:line:col
func evalOrigin(loc string) (url string, line, col int, ok bool) {
	s := loc
	for depth := 0; strings.HasPrefix(s, "eval at "); depth++ {
		if depth == maxEvalDepth {
			return "", 0, 0, false
		}
		s = s[len("eval at "):]
		// ", <anonymous>:1:22" is the position inside the evaluated code: drop it.
		if i := strings.LastIndex(s, "), "); i >= 0 {
			s = s[:i+1]
		}
		fnEnd := strings.Index(s, " (")
		if fnEnd < 0 || !strings.HasSuffix(s, ")") {
			return "", 0, 0, false
		}
		s = s[fnEnd+2 : len(s)-1]
	}
	url, line, col = splitLocation(s)
	return url, line, col, line > 0
}

// isV8Placeholder reports the locations V8 prints for frames that have no script:
// built-ins ("<anonymous>", and "native" in older versions) and the element of a
// Promise combinator ("index 0").
func isV8Placeholder(loc string) bool {
	switch loc {
	case "<anonymous>", "native":
		return true
	}
	n, ok := strings.CutPrefix(loc, "index ")
	return ok && n != "" && len(n) <= maxNumberDigits && strings.Trim(n, "0123456789") == ""
}
