package aggregate // import "github.com/otelcol-rum/otelcol-rum/internal/webvitals/aggregate"

// idTable knows every measurement id the aggregator has seen: pending ones (waiting out
// their hold) and counted ones (remembered to ignore late repeats). At a few hundred
// thousand ids its maps are far larger than the CPU caches, so every probe is a cache
// miss; the layout keeps probes per measurement few and never deletes single keys,
// because deletions leave tombstones in a Go map that lengthen later probes (with a FIFO
// of counted ids, that probing was a third of the processor's time).
//
//   - A new id is looked up and inserted once; counting it only marks its pending record
//     (pending.done), without touching the maps.
//   - Ids live in two generations, cur and prev. When cur has covered `every` or counted
//     half the bound, prev is dropped whole and cur becomes prev. Measurements still
//     pending in the dropped generation move to the new one, so an update is never
//     mistaken for a new measurement.
//
// So an id is remembered for at least `every` (unless the count bound forces an earlier
// rotation) and at most twice that, and at most max ids are remembered.
type idTable struct {
	cur, prev map[uint64]idEntry
	genSince  int64 // when cur started
	genCount  int   // ids counted since
	every     int64
	half      int
}

// idEntry is a pending measurement (p set, not done) or a counted id (p nil, or done).
type idEntry struct {
	p *pending
}

func (e idEntry) counted() bool { return e.p == nil || e.p.done }

func newIDTable(every int64, maxIDs int) idTable {
	return idTable{cur: map[uint64]idEntry{}, prev: map[uint64]idEntry{}, every: every, half: max(maxIDs/2, 1)}
}

func (t *idTable) get(key uint64) (idEntry, bool) {
	if e, ok := t.cur[key]; ok {
		return e, true
	}
	e, ok := t.prev[key]
	return e, ok
}

func (t *idTable) setPending(key uint64, p *pending) { t.cur[key] = idEntry{p: p} }

// markCounted records that p was counted now.
func (t *idTable) markCounted(p *pending, now int64) {
	if t.genCount >= t.half {
		t.rotate(now)
	}
	p.done = true
	p.m = Measurement{} // its strings are no longer needed
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
	var still []uint64
	for k, e := range dropped {
		if !e.counted() {
			still = append(still, k)
		}
	}
	// cur becomes prev; release the records of its counted ids (an in-place store on
	// the key being visited, no deletion).
	for k, e := range t.cur {
		if e.p != nil && e.p.done {
			t.cur[k] = idEntry{}
		}
	}
	fresh := map[uint64]idEntry{}
	for _, k := range still {
		fresh[k] = dropped[k]
	}
	t.prev, t.cur = t.cur, fresh
	t.genSince, t.genCount = now, 0
}

// counted is the number of remembered counted ids.
func (t *idTable) counted() int {
	n := 0
	for _, m := range []map[uint64]idEntry{t.cur, t.prev} {
		for _, e := range m {
			if e.counted() {
				n++
			}
		}
	}
	return n
}
