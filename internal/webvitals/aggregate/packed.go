// Copyright The otelcol-rum Authors
// SPDX-License-Identifier: Apache-2.0

package aggregate // import "github.com/otelcol-rum/otelcol-rum/internal/webvitals/aggregate"

// packed is a pending Measurement without pointers: its vital and dimensions are the
// index of their interned seriesKey, its rating a code, its id only the hash the id table
// keys it by. Up to max_pending (100,000 by default) measurements wait out their hold;
// as Measurements they were some 300 bytes with a dozen strings each, the largest part
// of the heap every garbage collection had to mark at 100k sessions, and the length of
// its mark phase is what requests wait for on a collector with one core. Packed, the
// arena's slots are one pointer-free slice the collector never scans.
type packed struct {
	value   float64
	time    int64
	traceID [16]byte
	spanID  [8]byte
	key     uint32 // index in keyTable
	rating  uint8  // ratingCode
}

// Rating codes: 0 is what the SDK did not rate (or rated with a word it does not use),
// which count computes from the thresholds, as for an unpacked Measurement.
var ratingCodes = map[string]uint8{RatingGood: 1, RatingNeedsImprovement: 2, RatingPoor: 3}

func ratingName(code uint8) string {
	if code == 0 {
		return ""
	}
	return ratingNames[code-1]
}

// keyTable interns the series keys of the pending measurements, counting the
// measurements that use each, so that it holds no more keys than measurements wait.
type keyTable struct {
	index   map[seriesKey]uint32
	entries []keyEntry
	free    []uint32
}

type keyEntry struct {
	key   seriesKey
	vital *Vital
	refs  int
	// series is the key's own series once a measurement was counted in it; nil before,
	// and while the key's measurements go to the overflow series.
	series *series
}

// acquire returns the index of k, interning it if no pending measurement uses it yet.
func (t *keyTable) acquire(k seriesKey, v *Vital) uint32 {
	if i, ok := t.index[k]; ok {
		t.entries[i].refs++
		return i
	}
	var i uint32
	if n := len(t.free); n > 0 {
		i = t.free[n-1]
		t.free = t.free[:n-1]
	} else {
		t.entries = append(t.entries, keyEntry{})
		// At most one entry per pending measurement, which max_pending bounds.
		i = uint32(len(t.entries) - 1) //nolint:gosec // bounded by max_pending, see above
	}
	t.entries[i] = keyEntry{key: k, vital: v, refs: 1}
	if t.index == nil {
		t.index = map[seriesKey]uint32{}
	}
	t.index[k] = i
	return i
}

// release drops one use of index i; the key is forgotten with its last use.
func (t *keyTable) release(i uint32) {
	e := &t.entries[i]
	if e.refs--; e.refs > 0 {
		return
	}
	delete(t.index, e.key)
	*e = keyEntry{}
	t.free = append(t.free, i)
}

// pack interns the measurement's series key; the packed form holds one use of it.
func (t *keyTable) pack(v *Vital, m *Measurement) packed {
	return packed{
		value: m.Value, time: m.Time, traceID: m.TraceID, spanID: m.SpanID,
		key: t.acquire(seriesKey{vital: v.Name, dims: m.Dims}, v), rating: ratingCodes[m.Rating],
	}
}

// unpack returns the vital and the Measurement p was packed from, less its id.
func (t *keyTable) unpack(p *packed) (*Vital, Measurement) {
	e := &t.entries[p.key]
	return e.vital, Measurement{
		Vital: e.key.vital, Value: p.value, Rating: ratingName(p.rating), Dims: e.key.dims,
		Time: p.time, TraceID: p.traceID, SpanID: p.spanID,
	}
}
