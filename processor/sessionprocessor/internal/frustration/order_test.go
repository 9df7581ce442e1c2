// Copyright The otelcol-rum Authors
// SPDX-License-Identifier: Apache-2.0

package frustration

import (
	"math"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestReorderTolerance(t *testing.T) {
	cfg := Defaults()
	cfg.MaxReorder = 10 * time.Second
	t.Run("within the tolerance", func(t *testing.T) {
		var s State
		_, outcomes := feed(&s, cfg, click(10_000, "#a"), exception(500), click(0, "#b"))
		assert.Equal(t, []Outcome{Taken, Taken, Taken}, outcomes)
	})
	t.Run("beyond it", func(t *testing.T) {
		var s State
		sigs, outcomes := feed(&s, cfg, click(20_000, "#a"), click(9_999, "#b"), exception(9_999), action(0, "#c", EffectNone))
		assert.Empty(t, sigs, "late events make no signal")
		assert.Equal(t, []Outcome{Taken, Late, Late, Late}, outcomes)
	})
	t.Run("an exception moves the horizon too", func(t *testing.T) {
		var s State
		_, outcomes := feed(&s, cfg, exception(20_000), click(9_999, "#b"))
		assert.Equal(t, []Outcome{Taken, Late}, outcomes)
	})
	t.Run("late events do not change the state", func(t *testing.T) {
		var s State
		feed(&s, cfg, click(20_000, "#a"), click(20_100, "#a"))
		before := s
		feed(&s, cfg, click(0, "#a"), exception(0), action(0, "#a", EffectNone))
		assert.Equal(t, before, s)
	})
	t.Run("zero takes events in time order only", func(t *testing.T) {
		var s State
		inOrder := cfg
		inOrder.MaxReorder = 0
		_, outcomes := feed(&s, inOrder, click(100, "#a"), exception(100), click(99, "#a"))
		assert.Equal(t, []Outcome{Taken, Taken, Late}, outcomes)
	})
}

func TestAbsurdInput(t *testing.T) {
	cfg := Defaults()
	t.Run("times that are not positive", func(t *testing.T) {
		var s State
		var sigs []Signal
		for _, ts := range []int64{0, -1, math.MinInt64} {
			var o [3]Outcome
			sigs, o[0] = s.Click(&cfg, ts, 1, sigs)
			sigs, o[1] = s.Action(&cfg, ts, 1, EffectNone, sigs)
			sigs, o[2] = s.Error(&cfg, ts, sigs)
			assert.Equal(t, [3]Outcome{Invalid, Invalid, Invalid}, o)
		}
		assert.Empty(t, sigs)
		assert.Equal(t, State{}, s)
	})
	t.Run("times near the end of int64", func(t *testing.T) {
		var s State
		var sigs []Signal
		end := int64(math.MaxInt64)
		for i := int64(5); i >= 0; i-- {
			sigs, _ = s.Click(&cfg, end-i*100*msec, 7, sigs)
		}
		sigs, _ = s.Error(&cfg, end, sigs)
		assert.Equal(t, []Kind{Rage, ErrorClick}, kinds(sigs))
	})
	t.Run("time going back by years", func(t *testing.T) {
		var s State
		var sigs []Signal
		var o Outcome
		sigs, _ = s.Click(&cfg, at(0), 7, sigs)
		for i := range int64(10) {
			sigs, o = s.Click(&cfg, at(0)-(i+1)*365*24*int64(time.Hour), 7, sigs)
			assert.Equal(t, Late, o)
		}
		assert.Empty(t, sigs)
	})
	t.Run("time jumping ahead by years", func(t *testing.T) {
		var s State
		years := 20 * 365 * 24 * int64(time.Hour)
		sigs, _ := feed(&s, cfg, click(0, "#a"), click(100, "#a"), click(200, "#a"),
			ev{kind: 'c', t: at(300) + years, target: "#a"}, ev{kind: 'e', t: at(400) + years})
		assert.Equal(t, []Signal{{Kind: ErrorClick, Time: at(300) + years}}, sigs,
			"the click years later starts a new run, and the exception follows it")
		assert.Equal(t, 1, burstClicks(&s))
	})
	t.Run("a million clicks", func(t *testing.T) {
		var s State
		var sigs []Signal
		rage := 0
		for i := range int64(1_000_000) {
			// one click per millisecond over 100 targets, then the same again
			sigs, _ = s.Click(&cfg, at(i%500_000), uint32(i%100)+1, sigs[:0])
			for _, sig := range sigs {
				if sig.Kind == Rage {
					rage++
				}
			}
		}
		assert.Zero(t, rage, "no target is clicked twice in a row")
	})
	t.Run("a zero config is clamped", func(t *testing.T) {
		var s State
		zero := Config{MaxReorder: -time.Hour}
		sigs, _ := feed(&s, zero, click(0, "#a"), click(1, "#a"), exception(1))
		assert.Equal(t, []Kind{Rage, ErrorClick}, kinds(sigs), "two clicks within a millisecond window, an exception within one")
	})
	t.Run("a config beyond the limits is clamped", func(t *testing.T) {
		var s State
		huge := Config{RageClicks: 1 << 30, RageWindow: 1 << 62, ErrorClickWindow: 1 << 62, MaxReorder: 1 << 62}
		var events []ev
		for i := range int64(20) {
			events = append(events, click(i*1000, "#a"))
		}
		sigs, _ := feed(&s, huge, events...)
		require.Equal(t, []Kind{Rage}, kinds(sigs), "eight clicks within a minute")
		assert.Equal(t, at(7000), sigs[0].Time)
	})
}
