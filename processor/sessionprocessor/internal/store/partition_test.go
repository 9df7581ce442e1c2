// Copyright The otelcol-rum Authors
// SPDX-License-Identifier: Apache-2.0

package store

import (
	"fmt"
	"math"
	"testing"
	"unsafe"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestPartitionCostsNoMemory: the partition tags live in what was padding.
func TestPartitionCostsNoMemory(t *testing.T) {
	assert.Equal(t, uintptr(104), unsafe.Sizeof(session{}))
	assert.Equal(t, uintptr(56), unsafe.Sizeof(Tombstone{}))
}

// TestPartitionMovesWithoutEnding: the sessions of one partition are copied and removed
// without an end, tombstone or view event; the others stay, the lists stay whole, and
// another store adopts them in activity and start order among its own.
func TestPartitionMovesWithoutEnding(t *testing.T) {
	big := Limits{InactivityTimeout: limits.InactivityTimeout, MaxDuration: limits.MaxDuration, MaxSessions: 100}
	a := New(big, keepAll)
	a.CollectViewEvents()
	a.TrackChanges()
	for i := range 10 {
		s := a.Touch(fmt.Sprint("k", i), at(float64(i)), false).Session
		s.SetPartition(int32(i % 2))
		s.AddPageView(PageView{NavigationID: fmt.Sprint("n", i, "a"), URL: "https://shop/a", Start: at(float64(i))})
		s.AddPageView(PageView{NavigationID: fmt.Sprint("n", i, "b"), URL: "https://shop/b", Start: at(float64(i) + 0.1)})
	}
	a.TakeViewEvents()
	// k9 of partition 1 ends: its end is pending and goes with the partition.
	ended := a.EndLeastRecent(1, EndEvicted, at(10))
	require.Equal(t, "k0", ended[0].Session.Key)
	require.Equal(t, int32(0), ended[0].Session.Partition)
	a.TakeChanges(math.MaxInt)
	a.Touch("k1", at(11), false)
	gone := a.end(a.find("k3"), EndEvicted, at(11))
	require.Equal(t, int32(1), gone.Session.Partition)
	a.TakeViewEvents()

	recs, endedKeys := a.TakePartition(1)
	require.Len(t, recs, 4, "k1, k5, k7, k9")
	require.Equal(t, []Gone{{Key: "k3", Partition: 1}}, endedKeys)
	assert.Empty(t, a.TakeViewEvents(), "nothing settles")
	assert.Empty(t, a.tombstones)
	assert.Equal(t, 4, a.Len(), "k2, k4, k6, k8")
	checkLists(t, a)
	ch, _ := a.TakeChanges(math.MaxInt)
	assert.Empty(t, ch.Ended, "the partition's end went with it")
	for _, r := range ch.Records {
		assert.Equal(t, int32(0), r.Partition, "%s", r.Key)
	}
	for _, r := range recs {
		assert.Equal(t, int32(1), r.Partition)
		assert.Len(t, r.Pages, 2)
	}

	b := New(big, keepAll)
	b.CollectViewEvents()
	for _, m := range []float64{0.5, 4.5, 20} {
		b.Touch(fmt.Sprint("b", m), at(m), false)
	}
	require.Equal(t, 4, b.Adopt(recs, 1))
	checkLists(t, b)
	assert.Equal(t, 7, b.Len())
	s := b.Touch("k5", at(12), false)
	require.False(t, s.Started)
	assert.Equal(t, int32(1), s.Session.Partition())
	ends := b.EndLeastRecent(100, EndShutdown, at(30))
	order := make([]string, len(ends))
	for i, e := range ends {
		order[i] = e.Session.Key
	}
	assert.Equal(t, []string{"b0.5", "b4.5", "k7", "k9", "k1", "b20", "k5"}, order, "k5 was active last")
	assert.Len(t, b.TakeViewEvents(), 8, "each adopted session's two views settle once, at b")
}

// TestAdoptKeepsAnOpenSession: a key already open is not replaced.
func TestAdoptKeepsAnOpenSession(t *testing.T) {
	st := New(limits, keepAll)
	st.Touch("a", at(1), false).Session.AddError()
	require.Equal(t, 0, st.Adopt([]Record{{Key: "a", ID: "a", Start: at(0), LastActivity: at(0), Errors: 5}}, 3))
	out := st.Touch("a", at(2), false)
	assert.Equal(t, NoPartition, out.Session.Partition())
	rec := st.record(out.Session.i, false)
	assert.Equal(t, uint32(1), rec.Errors)
}

// TestSetPartitionLeavesTheOldOne: a session seen on another partition is recorded as
// ended on the old one, and changed (on the new one).
func TestSetPartitionLeavesTheOldOne(t *testing.T) {
	st := New(limits, keepAll)
	st.TrackChanges()
	s := st.Touch("a", at(0), false).Session
	s.SetPartition(2)
	st.TakeChanges(math.MaxInt)
	s.SetPartition(2)
	ch, _ := st.TakeChanges(math.MaxInt)
	assert.Zero(t, ch.Len(), "the same partition is no change")
	s.SetPartition(5)
	ch, _ = st.TakeChanges(math.MaxInt)
	require.Equal(t, []Gone{{Key: "a", Partition: 2}}, ch.Ended)
	require.Len(t, ch.Records, 1)
	assert.Equal(t, int32(5), ch.Records[0].Partition)
}

// TestTombstonesMoveWithTheirPartition: what a session that timed out left for its late
// data goes with its partition, is swept at the new owner in the order it runs out, and
// is recorded as ended when it does.
func TestTombstonesMoveWithTheirPartition(t *testing.T) {
	a := New(limits, keepAll)
	a.TrackChanges()
	for i, key := range []string{"x", "y", "z"} {
		s := a.Touch(key, at(float64(i)), false).Session
		s.SetPartition(int32(i % 2)) // x, z: partition 0; y: 1
	}
	require.Len(t, a.Expire(at(16.5)), 2, "x and y time out; z was active 14.5 minutes ago")
	a.TakeChanges(math.MaxInt)
	_, gone := a.TakePartition(0)
	require.Len(t, gone, 1)
	assert.Equal(t, "x", gone[0].Key)
	assert.Equal(t, EndTimeout, gone[0].Tombstone.Reason)
	assert.Equal(t, int32(0), gone[0].Tombstone.Partition())
	assert.NotContains(t, a.tombstones, "x")
	assert.Contains(t, a.tombstones, "y", "another partition's stays")

	b := New(limits, keepAll)
	b.TrackChanges()
	b.Touch("w", at(10), false).Session.SetPartition(0)
	require.Len(t, b.Expire(at(26)), 1) // w's tombstone runs out at 41, after x's (31.5)
	b.AdoptTombstones(append(gone, Gone{Key: "old", Tombstone: Tombstone{ID: "old", Reason: EndTimeout, Until: at(27)}}), 0, at(27))
	assert.NotContains(t, b.tombstones, "old", "it ran out already")
	assert.True(t, b.Touch("x", at(28), false).Late, "x's late data is late at b")
	b.TakeChanges(math.MaxInt)
	b.Expire(at(32))
	assert.NotContains(t, b.tombstones, "x", "swept in the order it runs out, before w's")
	assert.Contains(t, b.tombstones, "w")
	ch, _ := b.TakeChanges(math.MaxInt)
	require.Equal(t, []Gone{{Key: "x", Partition: 0}}, ch.Ended, "its saved copy must go")
}
