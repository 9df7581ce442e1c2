// Copyright The otelcol-rum Authors
// SPDX-License-Identifier: Apache-2.0

package frustration // import "github.com/otelcol-rum/otelcol-rum/processor/sessionprocessor/internal/frustration"

import (
	"encoding/binary"
	"errors"
	"fmt"
	"math"
	"time"
)

// The saved forms of a State: a session that has seen no click, action or exception (most
// of them) costs one byte.
//
//	empty = 0x00
//	v2    = 0x02 | flags (1) | anchors[0], anchors[1], lastError (uvarints)
//	        | runTarget (4, little-endian) | runLast (Unix ms), runClicks, runFloor (uvarints)
//	        | count of runAgo (1) | runAgo (uvarints, ascending)
//	v1    = as v2 with 0x01 and a 64-bit runTarget (8, little-endian), which decodes
//	        folded to 32 bits, as TargetHash now folds it
//
// Found is not saved: the store saves its count next to the state.
const (
	encodingEmpty byte = 0
	encodingV1    byte = 1
	encodingV2    byte = 2

	maxWindowMS = uint64(MaxWindow / time.Millisecond)
)

// Encode appends the state to b. The store saves it inside its session records, whose
// frames carry the checksum.
func (s *State) Encode(b []byte) []byte {
	if s.isEmpty() {
		return append(b, encodingEmpty)
	}
	b = append(b, encodingV2, s.flags)
	for _, t := range [...]int64{s.anchors[0], s.anchors[1], s.lastError} {
		b = binary.AppendUvarint(b, uint64(t)) //nolint:gosec // times kept are never negative
	}
	b = binary.LittleEndian.AppendUint32(b, s.runTarget)
	b = binary.AppendUvarint(b, uint64(s.runLast())) //nolint:gosec // a run starts at a positive time, 0 is none
	b = binary.AppendUvarint(b, uint64(s.runClicks))
	b = binary.AppendUvarint(b, uint64(s.runFloor))
	n := 0
	for n < len(s.runAgo) && s.runAgo[n] != 0 {
		n++
	}
	b = append(b, byte(n))
	for _, a := range s.runAgo[:n] {
		b = binary.AppendUvarint(b, uint64(a))
	}
	return b
}

// Decode reads a state that Encode wrote at the start of b and returns the bytes after
// it. On error the state is empty: a damaged state loses the session's pending
// frustration, nothing else.
func (s *State) Decode(b []byte) ([]byte, error) {
	rest, err := s.decode(b)
	if err != nil {
		*s = State{}
		return nil, fmt.Errorf("frustration state: %w", err)
	}
	return rest, nil
}

func (s *State) decode(b []byte) ([]byte, error) {
	*s = State{}
	if len(b) == 0 {
		return nil, errors.New("empty")
	}
	switch b[0] {
	case encodingEmpty:
		return b[1:], nil
	case encodingV1, encodingV2:
	default:
		return nil, fmt.Errorf("unknown encoding %d", b[0])
	}
	if len(b) < 2 {
		return nil, errors.New("no flags")
	}
	s.flags = b[1]
	r := reader{b: b[2:]}
	s.anchors[0] = r.time()
	s.anchors[1] = r.time()
	s.lastError = r.time()
	if b[0] == encodingV1 {
		s.runTarget = fold(r.fixed64())
	} else {
		s.runTarget = r.fixed32()
	}
	runLast := r.time()
	clicks := r.uvarint()
	floor := r.uvarint()
	n := int(r.byte())
	if r.err == nil && n > len(s.runAgo) {
		r.err = errors.New("too many run clicks")
	}
	if r.err != nil {
		return nil, r.err
	}
	for i := range n {
		a := r.uvarint()
		if a == 0 || a > maxWindowMS {
			return nil, errors.New("bad run clicks")
		}
		o := uint16(a)
		if i > 0 && o <= s.runAgo[i-1] {
			return nil, errors.New("bad run clicks")
		}
		s.runAgo[i] = o
	}
	if r.err != nil {
		return nil, r.err
	}
	if clicks > math.MaxUint16 || floor > math.MaxUint16 {
		return nil, errors.New("bad run")
	}
	s.runClicks, s.runFloor = uint16(clicks), uint16(floor)
	if err := s.checkRunLast(runLast); err != nil {
		return nil, err
	}
	return r.b, s.check()
}

// checkRunLast sets the run's newest click from its saved time, which no run has
// newer than the newest anchor, nor without a target.
func (s *State) checkRunLast(runLast int64) error {
	switch {
	case s.runTarget == 0 && runLast != 0:
		return errors.New("run without target")
	case s.runTarget != 0 && runLast > s.anchors[0]/msec:
		return errors.New("run after the newest click")
	}
	if s.runTarget != 0 {
		s.setRunLast(runLast)
	}
	return nil
}

// isEmpty says whether the detector has seen nothing; Found is not its to judge.
func (s *State) isEmpty() bool {
	c := *s
	c.Found = 0
	return c == State{}
}

// check refuses what no sequence of events makes, so that a decoded state behaves as one
// the detector built.
func (s *State) check() error {
	switch {
	case s.anchors[1] != 0 && s.anchors[1] >= s.anchors[0]:
		return errors.New("anchors out of order")
	case s.anchors[0] == 0 && s.flags&anchorMask != 0, s.anchors[1] == 0 && s.flags&(anchorMask<<anchorBits) != 0:
		return errors.New("flags of no anchor")
	case s.lastError == 0 && s.flags&flagErrorMatched != 0:
		return errors.New("flags of no error")
	case s.runTarget == 0 && (s.runBack != 0 || s.runClicks != 0 || s.runAgo[0] != 0 || s.runFloor != 0 || s.flags&flagRaged != 0):
		return errors.New("run without target")
	}
	return nil
}

// reader reads uvarints and fixed fields; its first error sticks.
type reader struct {
	b   []byte
	err error
}

func (r *reader) uvarint() uint64 {
	if r.err != nil {
		return 0
	}
	v, n := binary.Uvarint(r.b)
	if n <= 0 {
		r.err = errors.New("truncated")
		return 0
	}
	r.b = r.b[n:]
	return v
}

// time reads a time, which is never negative.
func (r *reader) time() int64 {
	v := r.uvarint()
	if v > math.MaxInt64 {
		r.err = errors.New("time out of range")
		return 0
	}
	return int64(v)
}

// take returns the next n bytes, nil when fewer are left.
func (r *reader) take(n int) []byte {
	if r.err == nil && len(r.b) < n {
		r.err = errors.New("truncated")
	}
	if r.err != nil {
		return nil
	}
	v := r.b[:n]
	r.b = r.b[n:]
	return v
}

func (r *reader) fixed64() uint64 {
	if b := r.take(8); b != nil {
		return binary.LittleEndian.Uint64(b)
	}
	return 0
}

func (r *reader) fixed32() uint32 {
	if b := r.take(4); b != nil {
		return binary.LittleEndian.Uint32(b)
	}
	return 0
}

func (r *reader) byte() byte {
	if b := r.take(1); b != nil {
		return b[0]
	}
	return 0
}
