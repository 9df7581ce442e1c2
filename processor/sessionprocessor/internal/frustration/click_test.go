// Copyright The otelcol-rum Authors
// SPDX-License-Identifier: Apache-2.0

package frustration

import (
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestFiveFastClicksMakeOneRageClick(t *testing.T) {
	var s State
	sigs, outcomes := feed(&s, Defaults(),
		click(0, "#buy"), click(100, "#buy"), click(200, "#buy"), click(300, "#buy"), click(400, "#buy"))
	require.Len(t, sigs, 1)
	assert.Equal(t, Signal{Kind: Rage, Time: at(300), TargetHash: TargetHash("#buy"), Clicks: 4}, sigs[0])
	assert.Equal(t, 5, count(outcomes, Taken))
	target, clicks, rage := s.Burst()
	assert.Equal(t, TargetHash("#buy"), target)
	assert.Equal(t, 5, clicks, "the fifth click extends the burst")
	assert.True(t, rage)
}

func TestRageClicks(t *testing.T) {
	every := func(step int64, n int, target string) []ev {
		var out []ev
		for i := range n {
			out = append(out, click(int64(i)*step, target))
		}
		return out
	}
	tests := []struct {
		name   string
		cfg    func(*Config)
		events []ev
		// want are the times (ms) and targets of the rage signals.
		want []Signal
	}{
		{name: "slow clicks", events: every(400, 10, "#a")},
		{
			name:   "four clicks spanning exactly the window",
			events: []ev{click(0, "#a"), click(333, "#a"), click(666, "#a"), click(1000, "#a")},
			want:   []Signal{{Time: at(1000), TargetHash: TargetHash("#a"), Clicks: 4}},
		},
		{
			name:   "four clicks a millisecond too slow",
			events: []ev{click(0, "#a"), click(334, "#a"), click(667, "#a"), click(1001, "#a")},
		},
		{
			name:   "the window slides past the first click",
			events: []ev{click(0, "#a"), click(800, "#a"), click(900, "#a"), click(1050, "#a"), click(1100, "#a")},
			want:   []Signal{{Time: at(1100), TargetHash: TargetHash("#a"), Clicks: 5}},
		},
		{
			name: "two targets interleaved",
			events: []ev{click(0, "#a"), click(50, "#b"), click(100, "#a"), click(150, "#b"),
				click(200, "#a"), click(250, "#b"), click(300, "#a"), click(350, "#b")},
		},
		{
			name:   "two targets one after the other",
			events: append(every(100, 4, "#a"), click(500, "#b"), click(600, "#b"), click(700, "#b"), click(800, "#b")),
			want: []Signal{
				{Time: at(300), TargetHash: TargetHash("#a"), Clicks: 4},
				{Time: at(800), TargetHash: TargetHash("#b"), Clicks: 4},
			},
		},
		{name: "unknown target", events: every(10, 50, "")},
		{
			name: "clicks on an unknown target do not break a run",
			events: []ev{click(0, "#a"), click(10, ""), click(100, "#a"), click(110, ""),
				click(200, "#a"), click(300, "#a")},
			want: []Signal{{Time: at(300), TargetHash: TargetHash("#a"), Clicks: 4}},
		},
		{
			name:   "a pause longer than the window starts a new burst",
			events: append(every(100, 4, "#a"), click(2400, "#a"), click(2500, "#a"), click(2600, "#a"), click(2700, "#a")),
			want: []Signal{
				{Time: at(300), TargetHash: TargetHash("#a"), Clicks: 4},
				{Time: at(2700), TargetHash: TargetHash("#a"), Clicks: 4},
			},
		},
		{
			name: "clicks that keep coming within the window extend the burst",
			events: append(every(100, 4, "#a"), click(1000, "#a"), click(1100, "#a"), click(1200, "#a"),
				click(1300, "#a"), click(2200, "#a")),
			want: []Signal{{Time: at(300), TargetHash: TargetHash("#a"), Clicks: 4}},
		},
		{
			name:   "two clicks when the threshold is two",
			cfg:    func(c *Config) { c.RageClicks = 2 },
			events: []ev{click(0, "#a"), click(900, "#a")},
			want:   []Signal{{Time: at(900), TargetHash: TargetHash("#a"), Clicks: 2}},
		},
		{
			name:   "eight clicks in a wider window",
			cfg:    func(c *Config) { c.RageClicks, c.RageWindow = 8, 3*time.Second },
			events: every(400, 9, "#a"),
			want:   []Signal{{Time: at(2800), TargetHash: TargetHash("#a"), Clicks: 8}},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			cfg := Defaults()
			if tt.cfg != nil {
				tt.cfg(&cfg)
			}
			require.NoError(t, cfg.Validate())
			var s State
			sigs, outcomes := feed(&s, cfg, tt.events...)
			for i := range tt.want {
				tt.want[i].Kind = Rage
			}
			assertSignals(t, tt.want, sigs)
			assert.Equal(t, len(tt.events), count(outcomes, Taken))
		})
	}
}

func TestRageClicksOutOfOrder(t *testing.T) {
	t.Run("reversed", func(t *testing.T) {
		var s State
		sigs, _ := feed(&s, Defaults(), click(300, "#a"), click(200, "#a"), click(100, "#a"), click(0, "#a"))
		require.Equal(t, []Kind{Rage}, kinds(sigs))
		assert.Equal(t, at(0), sigs[0].Time, "the click that completed the count")
	})
	t.Run("an older batch after a newer one", func(t *testing.T) {
		var s State
		sigs, _ := feed(&s, Defaults(), click(700, "#a"), click(800, "#a"), click(0, "#a"), click(100, "#a"))
		require.Equal(t, []Kind{Rage}, kinds(sigs))
	})
	t.Run("a late click too old for the run", func(t *testing.T) {
		var s State
		sigs, outcomes := feed(&s, Defaults(), click(2000, "#a"), click(2100, "#a"), click(2200, "#a"), click(500, "#a"))
		assert.Empty(t, sigs, "500 ms is more than the window before the run's newest click")
		assert.Equal(t, 4, count(outcomes, Taken))
		assert.Equal(t, 3, burstClicks(&s))
	})
	t.Run("a late click on another target leaves the run alone", func(t *testing.T) {
		var s State
		sigs, _ := feed(&s, Defaults(), click(100, "#a"), click(200, "#a"), click(300, "#a"), click(50, "#b"), click(400, "#a"))
		assert.Equal(t, []Kind{Rage}, kinds(sigs))
	})
}

func TestDuplicateClicksCountOnce(t *testing.T) {
	t.Run("the same click five times", func(t *testing.T) {
		var s State
		c := click(0, "#a")
		sigs, outcomes := feed(&s, Defaults(), c, c, c, c, c)
		assert.Empty(t, sigs)
		assert.Equal(t, []Outcome{Taken, Duplicate, Duplicate, Duplicate, Duplicate}, outcomes)
	})
	t.Run("a batch sent twice", func(t *testing.T) {
		var s State
		batch := []ev{click(0, "#a"), click(100, "#a"), click(200, "#a")}
		sigs, outcomes := feed(&s, Defaults(), append(batch, batch...)...)
		assert.Empty(t, sigs, "three clicks, each reported twice, are no rage click")
		assert.Equal(t, 3, count(outcomes, Duplicate))
		assert.Equal(t, 3, burstClicks(&s))
	})
	t.Run("a batch of interleaved clicks sent twice", func(t *testing.T) {
		var s State
		var batch []ev
		for i := range int64(6) {
			batch = append(batch, click(i*100, "#a"), click(i*100+50, "#b"))
		}
		sigs, _ := feed(&s, Defaults(), append(batch, batch...)...)
		assert.Empty(t, sigs, "the old clicks on #b came before the #a click that ended their run")
	})
	t.Run("within one millisecond", func(t *testing.T) {
		var s State
		cfg := Defaults()
		h := TargetHash("#a")
		var sigs []Signal
		var o Outcome
		for i := range int64(5000) {
			sigs, o = s.Click(&cfg, at(7)+i*100, h, sigs)
			if i > 0 {
				require.Equal(t, Duplicate, o)
			}
		}
		assert.Empty(t, sigs, "thousands of clicks in one millisecond are one click")
	})
	t.Run("the same instant on an unknown target", func(t *testing.T) {
		var s State
		c := click(0, "")
		_, outcomes := feed(&s, Defaults(), c, c)
		assert.Equal(t, []Outcome{Taken, Duplicate}, outcomes)
	})
	t.Run("a click and an action at the same time are two events", func(t *testing.T) {
		var s State
		_, outcomes := feed(&s, Defaults(), click(0, "#a"), action(0, "#a", EffectSome))
		assert.Equal(t, []Outcome{Taken, Taken}, outcomes)
	})
}
