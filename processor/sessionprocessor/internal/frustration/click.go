// Copyright The otelcol-rum Authors
// SPDX-License-Identifier: Apache-2.0

package frustration // import "github.com/otelcol-rum/otelcol-rum/processor/sessionprocessor/internal/frustration"

// Click takes a click at t (Unix ns) on a target (its TargetHash; 0 if unknown) and
// appends to out the signals it completes: a rage click, and an error click when an
// exception that happened after it arrived first. It appends at most two.
func (s *State) Click(cfg *Config, t int64, target uint32, out []Signal) ([]Signal, Outcome) {
	if o := s.admit(cfg, t); o != Taken {
		return out, o
	}
	tm := t / msec
	if s.isDuplicateClick(t, tm, target) {
		return out, Duplicate
	}
	i, known := s.remember(t)
	if i >= 0 {
		s.anchorSet(i, anchorClick)
	}
	if target != 0 {
		out = s.addToRun(cfg, t, tm, target, out)
	}
	if !known {
		out = s.matchEarlierError(cfg, t, i, target, out)
	}
	return out, Taken
}

// isDuplicateClick: a click on the run's target in a millisecond the run has, or a click
// at the very time of a click kept as an anchor.
func (s *State) isDuplicateClick(t, tm int64, target uint32) bool {
	if target != 0 && target == s.runTarget {
		if tm == s.runLast() {
			return true
		}
		for _, a := range s.runAgo {
			if a != 0 && s.runLast()-int64(a) == tm {
				return true
			}
		}
	}
	i := s.anchorAt(t)
	return i >= 0 && s.anchorHas(i, anchorClick)
}

// addToRun counts a click (at tm, in ms) on a known target toward the current run, or
// starts a new run, and signals rage the first time the run has enough clicks within the
// window.
func (s *State) addToRun(cfg *Config, t, tm int64, target uint32, out []Signal) []Signal {
	w := cfg.rageWindowMS()
	switch {
	case target == s.runTarget && tm > s.runLast():
		if tm-s.runLast() > w {
			s.startRun(target, tm)
		} else {
			s.advanceRun(tm, w)
		}
	case target == s.runTarget && s.runLast()-tm <= w && (s.runFloor == 0 || s.runLast()-tm < int64(s.runFloor)):
		// A late click of the run; tm differs from runLast (else a duplicate).
		s.insertIntoRun(uint16(s.runLast() - tm)) //nolint:gosec // 0 < runLast-tm <= w, below 1<<16
	case target == s.runTarget:
		// Older than anything the run can still use, or from before a click elsewhere.
		return out
	case tm > s.runLast():
		s.startRun(target, tm)
	default:
		// A click elsewhere that happened before the run's newest: the run goes on.
		return out
	}
	if s.runClicks < 1<<16-1 {
		s.runClicks++
	}
	if s.flags&flagRaged == 0 && s.keptWithin(w) >= cfg.rageClicks() {
		s.flags |= flagRaged
		out = append(out, Signal{Kind: Rage, Time: t, TargetHash: target, Clicks: int(s.runClicks)})
	}
	return out
}

func (s *State) startRun(target uint32, tm int64) {
	s.runFloor = 0
	if s.runTarget != 0 && s.runTarget != target {
		s.runFloor = uint16(min(tm-s.runLast(), 1<<16-1)) //nolint:gosec // bounded by min
	}
	s.runTarget = target
	s.setRunLast(tm)
	s.runAgo = [runKept - 1]uint16{}
	s.runClicks = 0
	s.flags &^= flagRaged
}

// advanceRun makes tm, newer than runLast by at most w, the run's newest click, keeping
// the earlier ones still within w of it.
func (s *State) advanceRun(tm, w int64) {
	d := tm - s.runLast()
	var next [runKept - 1]uint16
	next[0] = uint16(d) //nolint:gosec // 0 < d <= w <= MaxWindow in ms, below 1<<16
	n := 1
	for _, a := range s.runAgo {
		o := int64(a) + d
		if a == 0 || n == len(next) || o > w {
			break // ascending: the rest are older still
		}
		next[n] = uint16(o) //nolint:gosec // o <= w, below 1<<16
		n++
	}
	s.runAgo = next
	s.setRunLast(tm)
	if s.runFloor != 0 {
		s.runFloor = uint16(min(int64(s.runFloor)+d, 1<<16-1)) //nolint:gosec // bounded by min
	}
}

// insertIntoRun keeps a late click, o ms before runLast, in its place among the run's
// earlier clicks; when all places are taken by newer ones it is not kept.
func (s *State) insertIntoRun(o uint16) {
	for i, a := range s.runAgo {
		if a == 0 {
			s.runAgo[i] = o
			return
		}
		if o < a {
			copy(s.runAgo[i+1:], s.runAgo[i:])
			s.runAgo[i] = o
			return
		}
	}
}

// keptWithin counts the run's clicks kept within w of its newest, the newest included.
// Any such set of clicks lies within one window, so it is a rage click when there are
// enough of them.
func (s *State) keptWithin(w int64) int {
	n := 1
	for _, a := range s.runAgo {
		if a == 0 || int64(a) > w {
			break
		}
		n++
	}
	return n
}
