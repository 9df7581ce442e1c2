// Copyright The otelcol-rum Authors
// SPDX-License-Identifier: Apache-2.0

package useragent

import (
	"strconv"
	"strings"
	"testing"
)

// BenchmarkParseCached: the same few strings, as one visitor's records repeat them.
func BenchmarkParseCached(b *testing.B) {
	p, err := NewParser(1000)
	if err != nil {
		b.Fatal(err)
	}
	for _, tc := range current {
		p.Parse(tc.ua)
	}
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; b.Loop(); i++ {
		p.Parse(current[i%len(current)].ua)
	}
}

// BenchmarkParseUncached: every string new, the cost of ua-parser's expressions.
func BenchmarkParseUncached(b *testing.B) {
	p, err := NewParser(1)
	if err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	for i := 0; b.Loop(); i++ {
		tc := current[i%(len(current)-1)] // not the empty one
		p.Parse(tc.ua + " r/" + strconv.Itoa(i))
	}
}

// BenchmarkParseHuge: a 1 MB string costs what its first MaxLength bytes cost. Two
// strings that differ at their start take turns in a cache of one, so each parse misses.
func BenchmarkParseHuge(b *testing.B) {
	p, err := NewParser(1)
	if err != nil {
		b.Fatal(err)
	}
	tail := strings.Repeat("Mozilla/5.0 (X11; Linux x86_64) ", 1<<20/33)
	huge := [2]string{"a " + tail, "b " + tail}
	b.ReportAllocs()
	for i := 0; b.Loop(); i++ {
		p.Parse(huge[i%2])
	}
}
