// Copyright The otelcol-rum Authors
// SPDX-License-Identifier: Apache-2.0

package jsstack

import "strings"

// maxAtSigns bounds how many "@" of one line are tried as the separator, so that a line
// of thousands of them costs linear time.
const maxAtSigns = 8

// nativeCode is JavaScriptCore's location of a built-in function.
const nativeCode = "[native code]"

// parseAtSign reads the "fn@location" frames of SpiderMonkey (Firefox) and
// JavaScriptCore (Safari), line already trimmed:
//
//	fn@url:line:col   @url:line:col   fn/<@url:line:col   fn@[native code]
//	fn@url line 2 > eval:1:5   global code@url:line:col   async*fn@…   async fn@…
//
// Both print the function as it was inferred ("fn/<", "Module.fooFunc/liNode.onclick"),
// kept as printed. A URL may hold "@" too ("https://esm.sh/@scope/pkg@1.0.0/x.js"), and
// a function name only rarely does, so the first "@" after which an absolute URL follows
// wins; failing that, the first "@" after which any location follows.
func parseAtSign(line string) (Frame, bool) {
	// A stack's head ("Error: invalid address a@b.example:1") is "Type: message"; no
	// inferred function name holds ": ".
	head := strings.Index(line, ": ")
	var first Frame
	found := false
	from := 0
	for range maxAtSigns {
		i := strings.IndexByte(line[from:], '@')
		if i < 0 {
			break
		}
		i += from
		if head >= 0 && head < i {
			break
		}
		if f, ok := atSignFrame(line[:i], line[i+1:]); ok {
			if hasScheme(f.URL) || f.URL == nativeCode {
				return f, true
			}
			if !found {
				first, found = f, true
			}
		}
		from = i + 1
	}
	return first, found
}

// atSignFrame builds the frame of one split of a line at an "@".
func atSignFrame(fn, loc string) (Frame, bool) {
	var f Frame
	f.Async, f.Function = cutAsyncMark(fn)
	if loc == nativeCode {
		f.URL = loc
		return f, true
	}
	// Code made by eval or new Function has a location of the form
	// "url line 7 > eval line 1 > eval:1:1": the outer call site is the position a source
	// map can resolve, and SpiderMonkey gives it no column.
	if i := strings.Index(loc, " line "); i > 0 {
		if line, ok := leadingNumber(loc[i+len(" line "):]); ok {
			f.URL, f.Line = loc[:i], line
			return f, true
		}
	}
	f.URL, f.Line, f.Column = splitLocation(loc)
	return f, f.Line > 0
}

// cutAsyncMark removes the mark of a frame that was awaited across a turn: SpiderMonkey
// prefixes the cause and a "*" ("async*fn", "promise callback*fn"), JavaScriptCore with
// async stack traces "async " like V8.
func cutAsyncMark(fn string) (bool, string) {
	if i := strings.IndexByte(fn, '*'); i > 0 && isAsyncCause(fn[:i]) {
		return true, fn[i+1:]
	}
	if after, ok := strings.CutPrefix(fn, "async "); ok && after != "" {
		return true, after
	}
	return false, fn
}

// isAsyncCause reports the words SpiderMonkey names an async cause with: letters and
// spaces ("async", "setTimeout handler").
func isAsyncCause(s string) bool {
	for i := 0; i < len(s); i++ {
		if !isAlpha(s[i]) && s[i] != ' ' {
			return false
		}
	}
	return true
}

// leadingNumber reads the line number of an eval location, "7 > eval…".
func leadingNumber(s string) (int, bool) {
	n, i := 0, 0
	for i < len(s) && i < maxNumberDigits && isDigit(s[i]) {
		n = n*10 + int(s[i]-'0')
		i++
	}
	return n, i > 0 && strings.HasPrefix(s[i:], " > ")
}

// parseBareLocation reads JavaScriptCore's frame of an anonymous function, a location
// alone ("https://shop.example/app.js:10:3658"). It must have a line and a column, a
// scheme (or be an absolute path) and no spaces, so that ordinary text is never taken for
// one, nor the "file:///srv/app.js:1" that Node writes above the source line of an
// uncaught error.
func parseBareLocation(line string) (Frame, bool) {
	if strings.ContainsAny(line, " \t") {
		return Frame{}, false
	}
	var f Frame
	f.URL, f.Line, f.Column = splitLocation(line)
	return f, f.Line > 0 && f.Column > 0 && hasScheme(f.URL)
}
