// Copyright The otelcol-rum Authors
// SPDX-License-Identifier: Apache-2.0

package frustration // import "github.com/otelcol-rum/otelcol-rum/processor/sessionprocessor/internal/frustration"

// Action takes a user action at t (Unix ns) on a target (its TargetHash; 0 if unknown)
// with what the SDK says it caused, and appends to out the signals it makes: a dead
// click when the SDK says it caused nothing, and an error click when an exception that
// happened after it arrived first. It appends at most two. Actions do not count toward
// rage clicks: the processor gives those as clicks.
func (s *State) Action(cfg *Config, t int64, target uint32, effect Effect, out []Signal) ([]Signal, Outcome) {
	if o := s.admit(cfg, t); o != Taken {
		return out, o
	}
	if i := s.anchorAt(t); i >= 0 && s.anchorHas(i, anchorAction) {
		return out, Duplicate
	}
	i, known := s.remember(t)
	if i >= 0 {
		s.anchorSet(i, anchorAction)
	}
	if effect == EffectNone {
		out = append(out, Signal{Kind: DeadClick, Time: t, TargetHash: target})
	}
	if !known {
		out = s.matchEarlierError(cfg, t, i, target, out)
	}
	return out, Taken
}
