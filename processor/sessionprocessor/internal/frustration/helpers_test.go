// Copyright The otelcol-rum Authors
// SPDX-License-Identifier: Apache-2.0

package frustration

import (
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
)

// base is the fake clock's origin: tests give explicit times in milliseconds after it.
var base = time.Date(2025, 6, 1, 12, 0, 0, 0, time.UTC).UnixNano()

func at(ms int64) int64 { return base + ms*msec }

// ev is one input of a test: a click ('c'), an action ('a') or an exception ('e').
type ev struct {
	kind   byte
	t      int64
	target string
	effect Effect
}

func click(ms int64, target string) ev { return ev{kind: 'c', t: at(ms), target: target} }
func action(ms int64, target string, e Effect) ev {
	return ev{kind: 'a', t: at(ms), target: target, effect: e}
}
func exception(ms int64) ev { return ev{kind: 'e', t: at(ms)} }

// feed gives the events to s in order and returns every signal and outcome.
func feed(s *State, cfg Config, evs ...ev) (sigs []Signal, outcomes []Outcome) {
	for _, e := range evs {
		var o Outcome
		switch e.kind {
		case 'c':
			sigs, o = s.Click(&cfg, e.t, TargetHash(e.target), sigs)
		case 'a':
			sigs, o = s.Action(&cfg, e.t, TargetHash(e.target), e.effect, sigs)
		case 'e':
			sigs, o = s.Error(&cfg, e.t, sigs)
		}
		outcomes = append(outcomes, o)
	}
	return sigs, outcomes
}

func kinds(sigs []Signal) []Kind {
	out := make([]Kind, len(sigs))
	for i, s := range sigs {
		out[i] = s.Kind
	}
	return out
}

func count(outcomes []Outcome, want Outcome) int {
	n := 0
	for _, o := range outcomes {
		if o == want {
			n++
		}
	}
	return n
}

// assertSignals compares signals, an empty want meaning none.
func assertSignals(t *testing.T, want, got []Signal) {
	t.Helper()
	if len(want) == 0 {
		assert.Empty(t, got)
		return
	}
	assert.Equal(t, want, got)
}

// burstClicks is the clicks of the current run.
func burstClicks(s *State) int {
	_, clicks, _ := s.Burst()
	return clicks
}
