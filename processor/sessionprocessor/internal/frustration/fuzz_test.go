// Copyright The otelcol-rum Authors
// SPDX-License-Identifier: Apache-2.0

package frustration

import (
	"testing"
	"time"

	"github.com/stretchr/testify/require"
)

// fuzzTargets are the targets of fuzzed clicks: index 0 is unknown.
var fuzzTargets = [...]uint32{0, TargetHash("#a"), TargetHash("#b"), TargetHash("#c")}

// maxFuzzEvents bounds the events of one fuzzed sequence: longer ones find nothing new
// and slow the fuzzer down.
const maxFuzzEvents = 1000

// fuzzEvents reads events from data, three bytes each: what (kind and effect), a time
// step, a target. In order, each event is 1 to 256 ms after the previous one; otherwise
// the step is signed and some events take absurd times.
func fuzzEvents(data []byte, ordered bool) []fuzzEvent {
	var out []fuzzEvent
	t := base
	data = data[:min(len(data), 3*maxFuzzEvents)]
	for ; len(data) >= 3; data = data[3:] {
		op, step, target := data[0], data[1], data[2]
		e := fuzzEvent{kind: "cae"[op%3], effect: Effect(op / 3 % 3), target: fuzzTargets[target%4]}
		switch {
		case ordered:
			t += (int64(step) + 1) * msec
			e.t = t
		case op >= 0xf0:
			e.t = [...]int64{0, -1, 1, 1 << 62, -1 << 62, 1<<63 - 1, base - 10*365*24*int64(time.Hour), base + 10*365*24*int64(time.Hour)}[step%8]
		default:
			t += int64(int8(step)) * 10 * msec
			e.t = t + int64(target)*1000
		}
		out = append(out, e)
	}
	return out
}

type fuzzEvent struct {
	kind   byte
	t      int64
	target uint32
	effect Effect
}

func fuzzConfig(rageClicks uint8, rageWindow, errorWindow uint16) Config {
	return Config{
		RageClicks:       int(rageClicks % 10),
		RageWindow:       time.Duration(rageWindow%3000) * time.Millisecond,
		ErrorClickWindow: time.Duration(errorWindow%3000) * time.Millisecond,
		MaxReorder:       DefaultMaxReorder,
	}
}

// FuzzDetector feeds random sequences of clicks, actions and exceptions. In any order:
// no panic, at most two signals an event, at most one rage signal per burst, ignored
// events leave the state alone, and every state reached survives Encode/Decode. In time
// order, the signals are exactly those of a plain reading of the definitions.
func FuzzDetector(f *testing.F) {
	seq := func(evs ...[3]byte) []byte {
		var b []byte
		for _, e := range evs {
			b = append(b, e[:]...)
		}
		return b
	}
	fastA := [3]byte{0, 99, 1}
	f.Add(seq(fastA, fastA, fastA, fastA, fastA), uint8(4), uint16(1000), uint16(1000), true)
	f.Add(seq(fastA, [3]byte{0, 40, 2}, fastA, [3]byte{0, 40, 2}, fastA, [3]byte{0, 40, 2}, fastA), uint8(4), uint16(1000), uint16(1000), true)
	f.Add(seq([3]byte{0, 0, 1}, [3]byte{2, 255, 0}, [3]byte{2, 255, 0}, [3]byte{2, 255, 0}), uint8(4), uint16(1000), uint16(1000), true)
	f.Add(seq([3]byte{6, 10, 1}, [3]byte{7, 10, 2}, [3]byte{8, 10, 0}, [3]byte{2, 10, 0}), uint8(4), uint16(1000), uint16(1000), true)
	f.Add(seq([3]byte{0, 10, 1}, [3]byte{0, 0xf6, 1}, [3]byte{2, 0xf0, 0}, [3]byte{0, 0xf6, 1}, [3]byte{0, 30, 1}), uint8(4), uint16(1000), uint16(1000), false)
	f.Add(seq([3]byte{0xf0, 5, 1}, [3]byte{0xf3, 3, 1}, [3]byte{0, 0, 1}, [3]byte{0xf1, 6, 0}, [3]byte{0, 1, 1}), uint8(2), uint16(1), uint16(0), false)
	f.Fuzz(func(t *testing.T, data []byte, rageClicks uint8, rageWindow, errorWindow uint16, ordered bool) {
		cfg := fuzzConfig(rageClicks, rageWindow, errorWindow)
		events := fuzzEvents(data, ordered)
		var s State
		var got []Signal
		for _, e := range events {
			before := s
			beforeTarget, _, beforeRage := s.Burst()
			var sigs []Signal
			var o Outcome
			switch e.kind {
			case 'c':
				sigs, o = s.Click(&cfg, e.t, e.target, nil)
			case 'a':
				sigs, o = s.Action(&cfg, e.t, e.target, e.effect, nil)
			default:
				sigs, o = s.Error(&cfg, e.t, nil)
			}
			require.LessOrEqual(t, len(sigs), 2)
			if o != Taken {
				require.Equal(t, before, s, "an event %s changes nothing", o)
				require.Empty(t, sigs)
			}
			for _, sig := range sigs {
				require.Contains(t, []Kind{Rage, ErrorClick, DeadClick}, sig.Kind)
				if sig.Kind == Rage {
					require.NotZero(t, sig.TargetHash, "never rage on an unknown target")
					require.GreaterOrEqual(t, sig.Clicks, cfg.rageClicks())
					require.False(t, beforeRage && beforeTarget == sig.TargetHash, "a second rage signal in one burst")
				}
			}
			var decoded State
			_, err := decoded.Decode(s.Encode(nil))
			require.NoError(t, err)
			require.Equal(t, s, decoded)
			got = append(got, sigs...)
		}
		if ordered {
			require.Equal(t, referenceSignals(&cfg, events), got)
		}
	})
}

// referenceSignals reads the definitions plainly, over the whole history, for events in
// strictly increasing millisecond order.
func referenceSignals(cfg *Config, events []fuzzEvent) []Signal {
	var out []Signal
	w := cfg.rageWindowMS()
	var run []int64 // the current run's clicks, ms
	var runTarget uint32
	raged := false
	var anchors []int64
	errored := map[int64]bool{}
	for _, e := range events {
		switch e.kind {
		case 'c', 'a':
			anchors = append(anchors, e.t)
		}
		switch {
		case e.kind == 'a' && e.effect == EffectNone:
			out = append(out, Signal{Kind: DeadClick, Time: e.t, TargetHash: e.target})
		case e.kind == 'c' && e.target != 0:
			tm := e.t / msec
			if e.target != runTarget || tm-run[len(run)-1] > w {
				run, runTarget, raged = nil, e.target, false
			}
			run = append(run, tm)
			within := 0
			for i := len(run) - 1; i >= 0 && tm-run[i] <= w; i-- {
				within++
			}
			if !raged && within >= cfg.rageClicks() {
				raged = true
				out = append(out, Signal{Kind: Rage, Time: e.t, TargetHash: e.target, Clicks: len(run)})
			}
		case e.kind == 'e' && len(anchors) > 0:
			last := anchors[len(anchors)-1]
			if e.t-last <= cfg.errorWindow() && !errored[last] {
				errored[last] = true
				out = append(out, Signal{Kind: ErrorClick, Time: last})
			}
		}
	}
	return out
}
