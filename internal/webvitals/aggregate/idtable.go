// Copyright The otelcol-rum Authors
// SPDX-License-Identifier: Apache-2.0

package aggregate // import "github.com/otelcol-rum/otelcol-rum/internal/webvitals/aggregate"

// idTable knows every measurement id the aggregator has seen: pending ones (waiting out
// their hold) and counted ones (remembered to ignore late repeats). At a few hundred
// thousand ids its maps are far larger than the CPU caches, so every probe is a cache
// miss; the layout keeps probes per measurement few and never deletes single keys,
// because deletions leave tombstones in a Go map that lengthen later probes (with a FIFO
// of counted ids, that probing was a third of the processor's time).
//
//   - A new id is looked up and inserted once; counting it releases its arena slot, which
//     turns its reference stale, without touching the maps.
//   - Ids live in two generations, cur and prev. When cur has covered `every` or counted
//     half the bound, prev is dropped whole and cur becomes prev. Measurements still
//     pending in the dropped generation move to the new one, so an update is never
//     mistaken for a new measurement.
//   - The maps hold no pointers (see pendingRef), so the garbage collector skips them.
//
// So an id is remembered for at least `every` (unless the count bound forces an earlier
// rotation) and at most twice that, and at most max ids are remembered.
type idTable struct {
	cur, prev map[uint64]pendingRef
	genSince  int64 // when cur started
	genCount  int   // ids counted since
	every     int64
	half      int
	// pending reports whether a reference still names a pending measurement.
	pending func(pendingRef) bool
}

func newIDTable(every int64, maxIDs int, pending func(pendingRef) bool) idTable {
	return idTable{
		cur: map[uint64]pendingRef{}, prev: map[uint64]pendingRef{},
		every: every, half: max(maxIDs/2, 1), pending: pending,
	}
}

func (t *idTable) get(key uint64) (pendingRef, bool) {
	if r, ok := t.cur[key]; ok {
		return r, true
	}
	r, ok := t.prev[key]
	return r, ok
}

func (t *idTable) setPending(key uint64, r pendingRef) { t.cur[key] = r }

// counted records that one more id was counted at now (its reference is stale from now on).
func (t *idTable) counted(now int64) {
	if t.genCount >= t.half {
		t.rotate(now)
	}
	t.genCount++
}

// expire starts a new generation once the current one has covered every.
func (t *idTable) expire(now int64) {
	if now-t.genSince >= t.every {
		t.rotate(now)
	}
}

func (t *idTable) rotate(now int64) {
	dropped := t.prev
	fresh := map[uint64]pendingRef{}
	for k, r := range dropped {
		if t.pending(r) {
			fresh[k] = r
		}
	}
	t.prev, t.cur = t.cur, fresh
	t.genSince, t.genCount = now, 0
}
