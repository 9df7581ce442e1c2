// Copyright The otelcol-rum Authors
// SPDX-License-Identifier: Apache-2.0

package aggregate // import "github.com/otelcol-rum/otelcol-rum/internal/webvitals/aggregate"

// pending is a measurement waiting out its hold.
type pending struct {
	key     uint64 // hash of the measurement's id
	m       packed
	updated int64 // when the latest report arrived (collector clock)
	seq     uint32
	busy    bool
}

// pendingRef names a pending measurement by its slot in the arena and the slot's sequence
// number at the time. Once the measurement is counted its slot is released (and its
// sequence moves on), so a reference that no longer matches means "counted". References
// hold no pointers: the id maps, a few hundred thousand entries, are then invisible to
// the garbage collector.
type pendingRef struct {
	idx, seq uint32
}

// arena holds the pending measurements in a reused slice of slots.
type arena struct {
	slots []pending
	free  []uint32
}

func (ar *arena) alloc() pendingRef {
	if n := len(ar.free); n > 0 {
		idx := ar.free[n-1]
		ar.free = ar.free[:n-1]
		ar.slots[idx].busy = true
		return pendingRef{idx: idx, seq: ar.slots[idx].seq}
	}
	ar.slots = append(ar.slots, pending{busy: true})
	// The slots grow only while every one is busy: there are at most max_pending of them,
	// and 2^32 would take hundreds of GiB.
	return pendingRef{idx: uint32(len(ar.slots) - 1)} //nolint:gosec // bounded by max_pending, see above
}

// get returns the slot of a live reference.
func (ar *arena) get(r pendingRef) (*pending, bool) {
	if int(r.idx) >= len(ar.slots) {
		return nil, false
	}
	p := &ar.slots[r.idx]
	return p, p.busy && p.seq == r.seq
}

// release frees the slot of a counted measurement.
func (ar *arena) release(r pendingRef) {
	p := &ar.slots[r.idx]
	*p = pending{seq: p.seq + 1}
	ar.free = append(ar.free, r.idx)
}
