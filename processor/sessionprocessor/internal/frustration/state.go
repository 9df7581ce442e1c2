// Copyright The otelcol-rum Authors
// SPDX-License-Identifier: Apache-2.0

package frustration // import "github.com/otelcol-rum/otelcol-rum/processor/sessionprocessor/internal/frustration"

import (
	"math"
	"time"
)

// runKept is how many clicks of a run the state keeps: the newest and runKept-1 before it.
const runKept = 8

const msec = int64(time.Millisecond)

// State is what the detector remembers of one session. Its size is fixed (56 bytes) and it
// holds no pointers, so that a million of them cost the garbage collector nothing; the
// zero value is a session that has seen nothing. A State is not safe for concurrent use:
// the session processor calls it under its lock.
type State struct {
	// anchors are the times (Unix ns) of the two newest clicks or actions, newest first;
	// 0 is none. An exception is matched to the newest one at or before it.
	anchors [2]int64
	// lastError is the time of the newest exception; 0 is none.
	lastError int64
	// Found is the caller's count of the session's signals. The detector neither reads
	// nor saves it: it is kept here because the state has room for it, where a struct
	// around the state would pay 8 bytes of padding.
	Found uint32
	// runTarget is the target of the current run of clicks; 0 is no run.
	runTarget uint32
	// runBack is how many milliseconds the run's newest click happened before the newest
	// anchor's millisecond (a run's clicks are anchors when they arrive, so it is never
	// negative); saturating, which makes a run older than about 49 days, far beyond any
	// window the run can still use, look 49 days old. Duplicates are judged to the
	// millisecond, the precision of Faro's timestamps.
	runBack uint32
	// runAgo are the run's earlier clicks within the rage window, as milliseconds before
	// its newest, ascending; 0 is none (a click in the same millisecond is a duplicate).
	runAgo [runKept - 1]uint16
	// runClicks counts the run's clicks, saturating.
	runClicks uint16
	// runFloor is how many milliseconds before the run's newest click the click on
	// another target that preceded the run happened (saturating; 0 if none): a late
	// click on the run's target from before it belongs to an earlier run.
	runFloor uint16
	flags    uint8
}

// runLast is the time of the run's newest click, in Unix milliseconds; 0 without a run.
func (s *State) runLast() int64 {
	if s.runTarget == 0 {
		return 0
	}
	return s.anchors[0]/msec - int64(s.runBack)
}

// setRunLast makes tm, in Unix milliseconds and at most the newest anchor's, the time of
// the run's newest click.
func (s *State) setRunLast(tm int64) {
	s.runBack = uint32(min(s.anchors[0]/msec-tm, math.MaxUint32)) //nolint:gosec // 0 <= by the caller, bounded by min
}

// The flags: three per anchor (shifted by anchorBits for the second), then the state's.
const (
	// anchorClick: a click happened at the anchor's time.
	anchorClick uint8 = 1 << 0
	// anchorAction: a user action happened at the anchor's time.
	anchorAction uint8 = 1 << 1
	// anchorErrored: the anchor has had its error click.
	anchorErrored uint8 = 1 << 2
	anchorBits          = 3
	anchorMask    uint8 = 1<<anchorBits - 1

	// flagRaged: the current run has had its rage signal.
	flagRaged uint8 = 1 << (2 * anchorBits)
	// flagErrorMatched: the newest exception has made an error click.
	flagErrorMatched uint8 = flagRaged << 1
)

// Burst returns the current run of clicks: its target (0 if none), its clicks and
// whether it made a rage click.
func (s *State) Burst() (target uint32, clicks int, rage bool) {
	return s.runTarget, int(s.runClicks), s.flags&flagRaged != 0
}

// admit says whether an event at t is to be looked at.
func (s *State) admit(cfg *Config, t int64) Outcome {
	if t <= 0 {
		return Invalid
	}
	// Every event taken moves anchors[0] or lastError to at least its time, so their
	// maximum is the newest event seen.
	if newest := max(s.anchors[0], s.lastError); t < newest-cfg.maxReorder() {
		return Late
	}
	return Taken
}

func (s *State) anchorHas(i int, bit uint8) bool {
	return s.flags&(bit<<(i*anchorBits)) != 0
}

func (s *State) anchorSet(i int, bit uint8) {
	s.flags |= bit << (i * anchorBits)
}

// anchorAt returns the anchor at exactly t, or -1.
func (s *State) anchorAt(t int64) int {
	for i, a := range s.anchors {
		if a == t {
			return i
		}
	}
	return -1
}

// remember makes t an anchor if it is among the two newest, and returns its index (-1 if
// it is older than both) and whether it was an anchor already.
func (s *State) remember(t int64) (i int, known bool) {
	if i := s.anchorAt(t); i >= 0 {
		return i, true
	}
	switch {
	case t > s.anchors[0]:
		if s.runTarget != 0 {
			// runBack counts from the newest anchor, which moves: the run stays put.
			s.runBack = uint32(min(int64(s.runBack)+t/msec-s.anchors[0]/msec, math.MaxUint32)) //nolint:gosec // bounded by min, t > anchors[0]
		}
		s.anchors[1], s.anchors[0] = s.anchors[0], t
		first := s.flags & anchorMask
		s.flags = s.flags&^(anchorMask|anchorMask<<anchorBits) | first<<anchorBits
		return 0, false
	case t > s.anchors[1]:
		s.anchors[1] = t
		s.flags &^= anchorMask << anchorBits
		return 1, false
	}
	return -1, false
}
