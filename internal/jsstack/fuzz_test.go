// Copyright The otelcol-rum Authors
// SPDX-License-Identifier: Apache-2.0

package jsstack

import (
	"strings"
	"testing"
)

// FuzzParse checks the promises of Parse and Format on any input: they never panic; the
// trace has one line per line of the input, and Format writes one line per line of the
// trace, each text line exactly as it was and each frame as a V8 "at" line; no line or
// column number is negative. The seeds (the captured stacks and the forms of the table
// tests, whole and cut short) run as ordinary tests.
func FuzzParse(f *testing.F) {
	for _, s := range capturedV8(f) {
		f.Add(s)
	}
	for _, s := range []string{
		"Error: boom\n    at fn (https://shop.example/app.js:1:2)\n    at https://shop.example/app.js:3:4",
		"    at async Promise.all (index 0)",
		"    at eval (eval at <anonymous> (eval at <anonymous> (https://x/a.js:10:25)), <anonymous>:1:7)",
		"    at eval (eval at (eval at (eval at (",
		"    at f (eval at g (https://x/a.js:1:2",
		"    at ()",
		"    at  ()",
		"    at x (:1:2)",
		"    at x (a:99999999999999999999:1)",
		"trace@file:///C:/example.html:9:17\n@file:///C:/example.html line 7 > eval line 1 > eval:1:1",
		"fn@http://localhost:3000/vendor.js line 63291 > Function:4:271",
		"async*@https://x/a.js:1:2",
		"*@https://x/a.js:1:2",
		"promiseReactionJob@[native code]",
		"https://foo/assets/g-1.0.0.0.js:10:3658",
		"@@@@@@@@@@@@@@@@@@@@https://x/a.js:1:2",
		"Error: a@b.example:1:2\r\n\r\n",
		"http://host:8080:1:2",
		":1:2",
		"\n\n\n",
		"\x00@\xff:1:2",
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, stack string) {
		trace := Parse(stack)
		if stack == "" {
			if len(trace.Lines) != 0 || trace.Format() != "" {
				t.Fatalf("the empty stack gave %+v", trace)
			}
			return
		}
		in := strings.Split(stack, "\n")
		if len(trace.Lines) != len(in) {
			t.Fatalf("%d lines in, %d in the trace", len(in), len(trace.Lines))
		}
		out := strings.Split(trace.Format(), "\n")
		if len(out) != len(in) {
			t.Fatalf("%d lines in, %d formatted:\n%q", len(in), len(out), out)
		}
		for i, l := range trace.Lines {
			if !l.IsFrame {
				if l.Text != in[i] || out[i] != in[i] {
					t.Fatalf("line %d %q: kept as %q, formatted as %q", i, in[i], l.Text, out[i])
				}
				continue
			}
			if l.Frame.Line < 0 || l.Frame.Column < 0 {
				t.Fatalf("line %d %q: negative position %+v", i, in[i], l.Frame)
			}
			if !strings.HasPrefix(out[i], v8Indent) {
				t.Fatalf("line %d %q: frame formatted as %q", i, in[i], out[i])
			}
		}
	})
}
