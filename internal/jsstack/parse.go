// Copyright The otelcol-rum Authors
// SPDX-License-Identifier: Apache-2.0

package jsstack

import "strings"

// Parse reads a stack trace in any of the formats browsers print, one line at a time: a
// line that is a frame of V8 (see parseV8), SpiderMonkey or JavaScriptCore (see
// parseAtSign and parseBareLocation) becomes a Frame, any other line (the "Type:
// message" head, a cause, a note) is kept as Text, unchanged. Formats may mix: the
// engine is recognised per line, not per trace. Parse never fails and allocates only
// the slice of lines; the strings of the frames share the memory of stack.
func Parse(stack string) Trace {
	if stack == "" {
		return Trace{}
	}
	lines := make([]Line, 0, strings.Count(stack, "\n")+1)
	for rest := stack; ; {
		raw, next, more := strings.Cut(rest, "\n")
		if f, ok := parseFrame(strings.TrimSpace(raw)); ok {
			lines = append(lines, Line{Frame: f, IsFrame: true})
		} else {
			lines = append(lines, Line{Text: raw})
		}
		if !more {
			break
		}
		rest = next
	}
	return Trace{Lines: lines}
}

// parseFrame reads one trimmed line as a frame of any engine. V8 goes first: its lines
// start with "at ", which no SpiderMonkey or JavaScriptCore frame does.
func parseFrame(line string) (Frame, bool) {
	if line == "" {
		return Frame{}, false
	}
	if f, ok := parseV8(line); ok {
		return f, true
	}
	if strings.HasPrefix(line, "at ") {
		return Frame{}, false
	}
	if f, ok := parseAtSign(line); ok {
		return f, true
	}
	return parseBareLocation(line)
}
