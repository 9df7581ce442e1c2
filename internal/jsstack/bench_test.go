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

// benchV8 is a minified production trace as Chrome prints it: a head and 20 frames of a
// hashed bundle and a vendor chunk, a few anonymous, one async, one built-in.
func benchV8() string {
	lines := []string{"TypeError: Cannot read properties of undefined (reading 'total')"}
	for i := range benchFrames {
		n := strconv.Itoa(i)
		switch {
		case i == 7:
			lines = append(lines, "    at Array.forEach (<anonymous>)")
		case i%5 == 4:
			lines = append(lines, "    at https://shop.example/static/js/vendors~main.9ab01.chunk.js:2:"+n+"4113")
		case i == 18:
			lines = append(lines, "    at async Object.t"+n+" [as onClick] (https://shop.example/static/js/app.3f2c1.js?v=2:1:"+n+"8213)")
		default:
			lines = append(lines, "    at t.n"+n+" (https://shop.example/static/js/app.3f2c1.js?v=2:1:"+n+"8213)")
		}
	}
	return strings.Join(lines, "\n")
}

// benchFirefox is the same trace as Firefox prints it (no head, inner functions "/<").
func benchFirefox() string {
	lines := make([]string, 0, benchFrames)
	for i := range benchFrames {
		n := strconv.Itoa(i)
		switch {
		case i%5 == 4:
			lines = append(lines, "@https://shop.example/static/js/vendors~main.9ab01.chunk.js:2:"+n+"4113")
		case i == 18:
			lines = append(lines, "async*t"+n+"/<@https://shop.example/static/js/app.3f2c1.js?v=2:1:"+n+"8213")
		default:
			lines = append(lines, "t.n"+n+"@https://shop.example/static/js/app.3f2c1.js?v=2:1:"+n+"8213")
		}
	}
	return strings.Join(lines, "\n")
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
