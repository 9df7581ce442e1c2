// Copyright The otelcol-rum Authors
// SPDX-License-Identifier: Apache-2.0

package frustration

import (
	"testing"

	"github.com/stretchr/testify/assert"
)

func TestErrorClicks(t *testing.T) {
	a := TargetHash("#pay")
	tests := []struct {
		name   string
		events []ev
		want   []Signal
	}{
		{
			name:   "an exception 500 ms after a click",
			events: []ev{click(0, "#pay"), exception(500)},
			want:   []Signal{{Kind: ErrorClick, Time: at(0)}},
		},
		{name: "an exception 1.5 s after a click", events: []ev{click(0, "#pay"), exception(1500)}},
		{
			name:   "an exception at the very end of the window",
			events: []ev{click(0, "#pay"), exception(1000)},
			want:   []Signal{{Kind: ErrorClick, Time: at(0)}},
		},
		{
			name:   "an exception in the click's millisecond",
			events: []ev{click(0, "#pay"), exception(0)},
			want:   []Signal{{Kind: ErrorClick, Time: at(0)}},
		},
		{name: "an exception before any click", events: []ev{exception(0), exception(100)}},
		{
			name:   "two exceptions after one click make one error click",
			events: []ev{click(0, "#pay"), exception(100), exception(200)},
			want:   []Signal{{Kind: ErrorClick, Time: at(0)}},
		},
		{
			name:   "each click makes its own",
			events: []ev{click(0, "#pay"), exception(100), click(2000, "#pay"), exception(2100)},
			want:   []Signal{{Kind: ErrorClick, Time: at(0)}, {Kind: ErrorClick, Time: at(2000)}},
		},
		{
			name:   "the exception belongs to the newest click before it",
			events: []ev{click(0, "#a"), click(1200, "#b"), exception(1300)},
			want:   []Signal{{Kind: ErrorClick, Time: at(1200)}},
		},
		{
			name:   "a user action is a click for this",
			events: []ev{action(0, "#pay", EffectSome), exception(300)},
			want:   []Signal{{Kind: ErrorClick, Time: at(0)}},
		},
		{
			name:   "the click arrives after its exception",
			events: []ev{exception(400), click(0, "#pay")},
			want:   []Signal{{Kind: ErrorClick, Time: at(0), TargetHash: a}},
		},
		{
			name:   "a later click arrives before the exception that followed an earlier one",
			events: []ev{click(0, "#pay"), click(900, "#b"), exception(500)},
			want:   []Signal{{Kind: ErrorClick, Time: at(0)}},
		},
		{
			name:   "a click arriving late does not take an exception a newer click has",
			events: []ev{click(200, "#b"), exception(400), click(0, "#pay")},
			want:   []Signal{{Kind: ErrorClick, Time: at(200)}},
		},
		{
			name:   "a late click with a newer click between it and the exception",
			events: []ev{click(300, "#b"), exception(2000), click(0, "#pay")},
		},
		{
			name:   "a click arriving after an exception too far after it",
			events: []ev{exception(1500), click(0, "#pay")},
		},
		{
			name:   "the same click twice after its exception",
			events: []ev{exception(100), click(0, "#pay"), click(0, "#pay")},
			want:   []Signal{{Kind: ErrorClick, Time: at(0), TargetHash: a}},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var s State
			sigs, _ := feed(&s, Defaults(), tt.events...)
			assertSignals(t, tt.want, sigs)
		})
	}
}

func TestDeadClicks(t *testing.T) {
	tests := []struct {
		name   string
		events []ev
		want   []Signal
		// wantOutcomes, when set, are the outcomes of the events.
		wantOutcomes []Outcome
	}{
		{
			name:   "the SDK says the action did nothing",
			events: []ev{action(0, "#save", EffectNone)},
			want:   []Signal{{Kind: DeadClick, Time: at(0), TargetHash: TargetHash("#save")}},
		},
		{name: "the action caused something", events: []ev{action(0, "#save", EffectSome)}},
		{name: "the SDK does not say", events: []ev{action(0, "#save", EffectUnknown)}},
		{
			name:         "the same action reported twice",
			events:       []ev{action(0, "#save", EffectNone), action(0, "#save", EffectNone)},
			want:         []Signal{{Kind: DeadClick, Time: at(0), TargetHash: TargetHash("#save")}},
			wantOutcomes: []Outcome{Taken, Duplicate},
		},
		{
			name:         "the click of a dead action",
			events:       []ev{click(0, "#save"), action(0, "#save", EffectNone)},
			want:         []Signal{{Kind: DeadClick, Time: at(0), TargetHash: TargetHash("#save")}},
			wantOutcomes: []Outcome{Taken, Taken},
		},
		{
			name:   "a dead action on an unknown target",
			events: []ev{action(0, "", EffectNone)},
			want:   []Signal{{Kind: DeadClick, Time: at(0)}},
		},
		{
			name:   "a dead action whose exception arrived first",
			events: []ev{exception(200), action(0, "#save", EffectNone)},
			want: []Signal{
				{Kind: DeadClick, Time: at(0), TargetHash: TargetHash("#save")},
				{Kind: ErrorClick, Time: at(0), TargetHash: TargetHash("#save")},
			},
		},
		{
			name:   "actions are no rage clicks",
			events: []ev{action(0, "#a", EffectSome), action(10, "#a", EffectSome), action(20, "#a", EffectSome), action(30, "#a", EffectSome)},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var s State
			sigs, outcomes := feed(&s, Defaults(), tt.events...)
			assertSignals(t, tt.want, sigs)
			if tt.wantOutcomes != nil {
				assert.Equal(t, tt.wantOutcomes, outcomes)
			}
		})
	}
}

func TestOneClickMakesRageAndErrorClicks(t *testing.T) {
	var s State
	cfg := Defaults()
	feed(&s, cfg, click(0, "#a"), click(100, "#a"), click(200, "#a"), exception(1350))
	// The fourth click arrives last: it completes the rage click, and it is the newest
	// click before the exception, which no click had taken.
	sigs, o := s.Click(&cfg, at(350), TargetHash("#a"), nil)
	assert.Equal(t, Taken, o)
	assert.Equal(t, []Signal{
		{Kind: Rage, Time: at(350), TargetHash: TargetHash("#a"), Clicks: 4},
		{Kind: ErrorClick, Time: at(350), TargetHash: TargetHash("#a")},
	}, sigs)
}
