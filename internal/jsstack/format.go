// Copyright The otelcol-rum Authors
// SPDX-License-Identifier: Apache-2.0

package jsstack

import (
	"strconv"
	"strings"
)

// v8Indent is what V8 puts before "at" on every frame line.
const v8Indent = "    at "

// Format writes the trace back as text, one line per line of the trace: every frame
// V8-style, whichever engine printed it ("    at fn (url:line:col)", "    at
// url:line:col", "    at async fn (…)"), because that is the form consoles, issue
// trackers and source-map tools read most widely; every other line exactly as it was.
// Formatting a V8 trace that Parse read gives the text back, except the inner position
// of eval frames, which Parse reduces to the outer call site.
func (t Trace) Format() string {
	size := 0
	for _, l := range t.Lines {
		if l.IsFrame {
			size += len(v8Indent) + len("async  ()") + len(l.Frame.Function) + len(l.Frame.URL) + 2*(1+maxNumberDigits)
		} else {
			size += len(l.Text)
		}
		size++
	}
	var b strings.Builder
	b.Grow(size)
	for i, l := range t.Lines {
		if i > 0 {
			b.WriteByte('\n')
		}
		if l.IsFrame {
			l.Frame.writeV8(&b)
		} else {
			b.WriteString(l.Text)
		}
	}
	return b.String()
}

// writeV8 writes the frame as V8 prints it. A location's numbers are written as far as
// they are known: ":line:col", ":line", or none ("(<anonymous>)").
func (f Frame) writeV8(b *strings.Builder) {
	var num [20]byte
	b.WriteString(v8Indent)
	if f.Async {
		b.WriteString("async ")
	}
	if f.Function != "" {
		b.WriteString(f.Function)
		b.WriteString(" (")
	}
	b.WriteString(f.URL)
	if f.Line > 0 || f.Column > 0 {
		b.WriteByte(':')
		b.Write(strconv.AppendInt(num[:0], int64(f.Line), 10))
	}
	if f.Column > 0 {
		b.WriteByte(':')
		b.Write(strconv.AppendInt(num[:0], int64(f.Column), 10))
	}
	if f.Function != "" {
		b.WriteByte(')')
	}
}
