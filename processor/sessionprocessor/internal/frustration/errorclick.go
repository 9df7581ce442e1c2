// Copyright The otelcol-rum Authors
// SPDX-License-Identifier: Apache-2.0

package frustration // import "github.com/otelcol-rum/otelcol-rum/processor/sessionprocessor/internal/frustration"

// Error takes an exception at t (Unix ns) and appends to out the error click it makes:
// when the newest click or action at or before t is at most ErrorClickWindow before it
// and has had no error click yet. Exceptions are not deduplicated: two distinct errors
// in one millisecond are common, and a click makes one error click whatever follows.
func (s *State) Error(cfg *Config, t int64, out []Signal) ([]Signal, Outcome) {
	if o := s.admit(cfg, t); o != Taken {
		return out, o
	}
	matched := false
	for i, a := range s.anchors {
		if a == 0 || a > t {
			continue
		}
		if t-a <= cfg.errorWindow() && !s.anchorHas(i, anchorErrored) {
			s.anchorSet(i, anchorErrored)
			out = append(out, Signal{Kind: ErrorClick, Time: a})
			matched = true
		}
		break
	}
	switch {
	case t > s.lastError:
		s.lastError = t
		s.flags &^= flagErrorMatched
		if matched {
			s.flags |= flagErrorMatched
		}
	case t == s.lastError && matched:
		s.flags |= flagErrorMatched
	}
	return out, Taken
}

// matchEarlierError makes the newest exception an error click of a click or action at t
// (anchor i, or -1 if not kept) that arrived after it: when the exception is at most
// ErrorClickWindow after t, has made no error click, and no other click kept lies
// between the two (the exception would be that one's).
func (s *State) matchEarlierError(cfg *Config, t int64, i int, target uint32, out []Signal) []Signal {
	e := s.lastError
	if e == 0 || s.flags&flagErrorMatched != 0 || e < t || e-t > cfg.errorWindow() {
		return out
	}
	for _, a := range s.anchors {
		if a > t && a <= e {
			return out
		}
	}
	if i >= 0 {
		if s.anchorHas(i, anchorErrored) {
			return out
		}
		s.anchorSet(i, anchorErrored)
	}
	s.flags |= flagErrorMatched
	return append(out, Signal{Kind: ErrorClick, Time: t, TargetHash: target})
}
