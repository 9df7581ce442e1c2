// Copyright The otelcol-rum Authors
// SPDX-License-Identifier: Apache-2.0

package jsstack

import (
	"strconv"
	"strings"
	"testing"
)

// benchFrames is the depth of the benchmark traces: a React or Angular error is often
// 15 to 30 frames deep.
const benchFrames = 20

// benchTrace is a minified production trace of benchFrames frames from a hashed bundle
// and a vendor chunk, a few anonymous, one async, written by frame in an engine's form.
func benchTrace(frame func(fn, url, pos string, async bool) string) []string {
	lines := make([]string, 0, benchFrames)
	for i := range benchFrames {
		n := strconv.Itoa(i)
		switch {
		case i%5 == 4:
			lines = append(lines, frame("", "https://shop.example/static/js/vendors~main.9ab01.chunk.js", "2:"+n+"4113", false))
		case i == 18:
			lines = append(lines, frame("t"+n, "https://shop.example/static/js/app.3f2c1.js?v=2", "1:"+n+"8213", true))
		default:
			lines = append(lines, frame("t.n"+n, "https://shop.example/static/js/app.3f2c1.js?v=2", "1:"+n+"8213", false))
		}
	}
	return lines
}

// benchV8 is the trace as Chrome prints it, with a head and one built-in frame.
func benchV8() string {
	lines := benchTrace(func(fn, url, pos string, async bool) string {
		s := "    at "
		if async {
			s += "async "
		}
		if fn == "" {
			return s + url + ":" + pos
		}
		return s + fn + " (" + url + ":" + pos + ")"
	})
	lines[7] = "    at Array.forEach (<anonymous>)"
	return "TypeError: Cannot read properties of undefined (reading 'total')\n" + strings.Join(lines, "\n")
}

// benchFirefox is the trace as Firefox prints it (no head, inner functions "/<").
func benchFirefox() string {
	return strings.Join(benchTrace(func(fn, url, pos string, async bool) string {
		if async {
			return "async*" + fn + "/<@" + url + ":" + pos
		}
		return fn + "@" + url + ":" + pos
	}), "\n")
}

func BenchmarkParseV8(b *testing.B)      { benchmarkParse(b, benchV8()) }
func BenchmarkParseFirefox(b *testing.B) { benchmarkParse(b, benchFirefox()) }

func benchmarkParse(b *testing.B, stack string) {
	if n := len(Parse(stack).Frames()); n != benchFrames {
		b.Fatalf("%d frames, want %d", n, benchFrames)
	}
	b.SetBytes(int64(len(stack)))
	b.ReportAllocs()
	for b.Loop() {
		Parse(stack)
	}
}

func BenchmarkFormat(b *testing.B) {
	trace := Parse(benchV8())
	b.ReportAllocs()
	for b.Loop() {
		_ = trace.Format()
	}
}
