// Copyright The otelcol-rum Authors
// SPDX-License-Identifier: Apache-2.0

package frustration

import (
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
)

// BenchmarkClick: clicks 150 ms apart, on one of three targets in turn for a while and
// then on one target, so that runs start, grow and signal.
func BenchmarkClick(b *testing.B) {
	cfg := Defaults()
	targets := [...]uint32{TargetHash("#a"), TargetHash("#b"), TargetHash("#c")}
	out := make([]Signal, 0, 2)
	var s State
	b.ReportAllocs()
	for i := 0; b.Loop(); i++ {
		target := targets[0]
		if i%16 < 8 {
			target = targets[i%3]
		}
		out, _ = s.Click(&cfg, at(int64(i)*150), target, out[:0])
	}
}

// BenchmarkError: an exception after every click, half of them within the window.
func BenchmarkError(b *testing.B) {
	cfg := Defaults()
	out := make([]Signal, 0, 2)
	var s State
	b.ReportAllocs()
	for i := 0; b.Loop(); i++ {
		t := at(int64(i) * 3000)
		if i%2 == 0 {
			out, _ = s.Click(&cfg, t, 1, out[:0])
		}
		out, _ = s.Error(&cfg, t+500*msec, out[:0])
	}
}

func BenchmarkAction(b *testing.B) {
	cfg := Defaults()
	out := make([]Signal, 0, 2)
	var s State
	b.ReportAllocs()
	for i := 0; b.Loop(); i++ {
		out, _ = s.Action(&cfg, at(int64(i)*200), 1, Effect(i%3), out[:0])
	}
}

func BenchmarkEncodeDecode(b *testing.B) {
	s := states()["two anchors"]
	buf := make([]byte, 0, 64)
	var got State
	b.ReportAllocs()
	for b.Loop() {
		buf = s.Encode(buf[:0])
		if _, err := got.Decode(buf); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(len(buf)), "bytes/state")
}

func BenchmarkTargetHash(b *testing.B) {
	for name, target := range map[string]string{
		"selector": "main > div.cart > button#checkout",
		"4KiB":     strings.Repeat("div > ", 700),
	} {
		b.Run(name, func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				TargetHash(target)
			}
		})
	}
}

// TestNoAllocations: with room for its signals in out, the detector allocates nothing.
func TestNoAllocations(t *testing.T) {
	cfg := Defaults()
	out := make([]Signal, 0, 2)
	var s State
	i := int64(0)
	allocs := testing.AllocsPerRun(1000, func() {
		i++
		out, _ = s.Click(&cfg, at(i*100), uint32(i%2+1), out[:0])
		out, _ = s.Action(&cfg, at(i*100+1), 1, EffectNone, out[:0])
		out, _ = s.Error(&cfg, at(i*100+2), out[:0])
	})
	assert.Zero(t, allocs)
}
