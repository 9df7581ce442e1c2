// Copyright The otelcol-rum Authors
// SPDX-License-Identifier: Apache-2.0

package aggregate

import (
	"fmt"
	"reflect"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// hasPointers reports whether values of t hold anything the garbage collector follows.
func hasPointers(t reflect.Type) bool {
	switch t.Kind() {
	case reflect.Pointer, reflect.String, reflect.Slice, reflect.Map, reflect.Interface,
		reflect.Chan, reflect.Func, reflect.UnsafePointer:
		return true
	case reflect.Array:
		return t.Len() > 0 && hasPointers(t.Elem())
	case reflect.Struct:
		for i := range t.NumField() {
			if hasPointers(t.Field(i).Type) {
				return true
			}
		}
	}
	return false
}

// TestPendingSlotsHoldNoPointers: the arena's slots are what the garbage collector would
// otherwise mark, 100,000 of them at the default max_pending.
func TestPendingSlotsHoldNoPointers(t *testing.T) {
	assert.False(t, hasPointers(reflect.TypeFor[pending]()))
	assert.True(t, hasPointers(reflect.TypeFor[Measurement]()), "the check sees strings")
}

// TestPackedRoundTrip: what is counted is what was added, less the id.
func TestPackedRoundTrip(t *testing.T) {
	var kt keyTable
	for _, rating := range []string{"", RatingGood, RatingNeedsImprovement, RatingPoor, "meh"} {
		m := Measurement{
			Vital: "inp", Value: 312.5, ID: "v6-1", Rating: rating, Dims: shop, Time: 1234,
			TraceID: [16]byte{1, 2}, SpanID: [8]byte{3},
		}
		p := kt.pack(Vitals["inp"], &m)
		v, got := kt.unpack(&p)
		assert.Same(t, Vitals["inp"], v)
		want := m
		want.ID = ""
		if rating == "meh" {
			want.Rating = "" // counted by the thresholds either way
		}
		assert.Equal(t, want, got)
	}
	assert.Len(t, kt.index, 1, "one vital and dims: one key")
	assert.Equal(t, 5, kt.entries[0].refs)
}

// TestSDKRatingIsCountedAsSent: the rating the SDK sent wins over the thresholds through
// the hold, and a word no SDK uses falls back to them.
func TestSDKRatingIsCountedAsSent(t *testing.T) {
	a := New(settings, nil)
	a.Add(Measurement{Vital: "lcp", Value: 100, ID: "a", Rating: RatingPoor, Dims: shop}, 0)
	a.Add(Measurement{Vital: "lcp", Value: 100, ID: "b", Rating: "meh", Dims: shop}, 0)
	a.Commit(sec(10), false)
	assert.Equal(t, map[string]int64{"lcp/good": 1, "lcp/poor": 1}, ratings(a.Export(sec(10), "t", "v")))
}

// TestKeysLiveAsLongAsTheirMeasurements: the key table holds the keys of pending
// measurements only, and reuses the entries of forgotten ones.
func TestKeysLiveAsLongAsTheirMeasurements(t *testing.T) {
	a := New(settings, nil)
	for round := range 3 {
		for i := range 30 {
			d := shop
			d.Route = fmt.Sprint("/r/", i%3)
			a.Add(Measurement{Vital: []string{"lcp", "cls"}[i%2], Value: 1, ID: fmt.Sprint(round, "-", i), Dims: d}, sec(float64(round*20)))
		}
		assert.Len(t, a.keys.index, 6, "3 routes × 2 vitals")
		a.Commit(sec(float64(round*20+10)), false)
		assert.Empty(t, a.keys.index, "every measurement counted")
		assert.Len(t, a.keys.entries, 6, "entries reused, not grown")
	}
	assert.Equal(t, int64(90), a.Stats().Counted)
	assert.Equal(t, 6, a.SeriesCount())
}

// TestUpdateTakesItsNewDims: an update that names other dimensions is counted under them,
// and the key of the first report is forgotten.
func TestUpdateTakesItsNewDims(t *testing.T) {
	a := New(settings, nil)
	other := shop
	other.Route = "/checkout"
	a.Add(Measurement{Vital: "cls", Value: 0.1, ID: "x", Dims: shop}, 0)
	a.Add(Measurement{Vital: "cls", Value: 0.2, ID: "x", Dims: other}, sec(1))
	require.Len(t, a.keys.index, 1)
	_, ok := a.keys.index[seriesKey{vital: "cls", dims: other}]
	assert.True(t, ok)
	a.Commit(sec(20), false)
	assert.Empty(t, a.keys.index)
	require.Equal(t, 1, a.SeriesCount())
	assert.InDelta(t, 0.2, a.series[seriesKey{vital: "cls", dims: other}].sum, 1e-9)
}

// TestCachedSeriesThatExpiredIsMadeAgain: a key keeps its series while measurements of it
// are pending; when that series expires meanwhile, the next one counted makes a new one.
func TestCachedSeriesThatExpiredIsMadeAgain(t *testing.T) {
	a := New(settings, nil) // hold 10 s, series TTL 1 h
	a.Add(Measurement{Vital: "cls", Value: 0.1, ID: "a", Dims: shop}, 0)
	a.Add(Measurement{Vital: "cls", Value: 0.2, ID: "b", Dims: shop}, sec(5))
	a.Commit(sec(10), false) // a counted; b still pending, its key still interned
	require.NotNil(t, a.keys.entries[a.keys.index[seriesKey{vital: "cls", dims: shop}]].series)
	a.Add(Measurement{Vital: "cls", Value: 0.3, ID: "b", Dims: shop}, sec(3600))
	a.Add(Measurement{Vital: "cls", Value: 0.4, ID: "b", Dims: shop}, sec(3605))
	a.Commit(sec(3610), false) // the series of a expires; b is held
	require.Equal(t, 0, a.SeriesCount())
	a.Commit(sec(3620), false)
	require.Equal(t, 1, a.SeriesCount())
	s := a.series[seriesKey{vital: "cls", dims: shop}]
	assert.Equal(t, uint64(1), s.count)
	assert.InDelta(t, 0.4, s.sum, 1e-9)
	assert.Equal(t, sec(3620), s.start)
}
