// Copyright The otelcol-rum Authors
// SPDX-License-Identifier: Apache-2.0

package store // import "github.com/otelcol-rum/otelcol-rum/processor/sessionprocessor/internal/store"

// slab holds values of a type without pointers in fixed-size chunks, named by 32-bit
// indices that stay valid until released: the garbage collector does not scan such
// chunks, and growing never copies the values already there (a single slice would, at
// twice the memory for a moment). Index 0 is never handed out, so it can mean "none".
type slab[T any] struct {
	chunks [][]T
	free   []uint32
	// next is the lowest index never handed out.
	next uint32
}

const (
	slabChunkShift = 12
	slabChunkLen   = 1 << slabChunkShift
)

// alloc returns the index of a zero value.
func (s *slab[T]) alloc() uint32 {
	if n := len(s.free); n > 0 {
		i := s.free[n-1]
		s.free = s.free[:n-1]
		return i
	}
	if s.next == 0 {
		s.next = 1
	}
	i := s.next
	s.next++
	if int(i>>slabChunkShift) == len(s.chunks) {
		s.chunks = append(s.chunks, make([]T, slabChunkLen))
	}
	return i
}

// at returns the value at i.
func (s *slab[T]) at(i uint32) *T {
	return &s.chunks[i>>slabChunkShift][i&(slabChunkLen-1)]
}

// release zeroes the value at i and makes i available again.
func (s *slab[T]) release(i uint32) {
	var zero T
	*s.at(i) = zero
	s.free = append(s.free, i)
}

// limit is one past the highest index ever handed out.
func (s *slab[T]) limit() uint32 { return max(s.next, 1) }
