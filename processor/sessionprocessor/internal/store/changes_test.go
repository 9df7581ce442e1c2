// Copyright The otelcol-rum Authors
// SPDX-License-Identifier: Apache-2.0

package store

import (
	"fmt"
	"maps"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func goneKeys(gone []Gone) []string {
	var out []string
	for _, g := range gone {
		out = append(out, g.Key)
	}
	return out
}

func recordKeys(recs []Record) []string {
	var out []string
	for _, r := range recs {
		out = append(out, r.Key)
	}
	return out
}

func TestChangesAreTakenOnce(t *testing.T) {
	st := New(Limits{InactivityTimeout: limits.InactivityTimeout, MaxDuration: limits.MaxDuration, MaxSessions: 10}, keepAll)
	st.Touch("untracked", at(0), false)
	st.TrackChanges()
	ch, more := st.TakeChanges(100)
	assert.Zero(t, ch.Len(), "what happened before tracking started is not a change")
	assert.False(t, more)

	st.Touch("a", at(1), false)
	st.Touch("b", at(1), false)
	st.Touch("a", at(2), false) // a second change of a is still one record
	ch, more = st.TakeChanges(100)
	assert.False(t, more)
	assert.Empty(t, ch.Ended)
	assert.Equal(t, []string{"a", "b"}, recordKeys(ch.Records))
	assert.Equal(t, at(2), ch.Records[0].LastActivity, "the copy is taken when the changes are")

	ch, _ = st.TakeChanges(100)
	assert.Zero(t, ch.Len(), "nothing changed since")
}

// TestEndsComeBeforeLaterSessions: a key that ended and opened again within one round
// must be written as its end, then its new session, never the other way round.
func TestEndsComeBeforeLaterSessions(t *testing.T) {
	st := New(limits, keepAll)
	st.TrackChanges()
	for m := 0.0; m <= 230; m += 10 { // both active until a reaches max_duration
		st.Touch("a", at(m), false)
		st.Touch("b", at(m), false)
	}
	st.TakeChanges(100)

	st.Touch("b", at(231), false) // b changes, then a reaches max_duration and continues as a-2
	st.Touch("a", at(240), false)
	ch, more := st.TakeChanges(1)
	assert.Equal(t, []string{"a"}, goneKeys(ch.Ended), "the end first, alone when the limit is reached")
	assert.Empty(t, ch.Records)
	assert.True(t, more)
	ch, more = st.TakeChanges(100)
	assert.False(t, more)
	assert.Empty(t, ch.Ended)
	assert.Equal(t, []string{"b", "a"}, recordKeys(ch.Records))
	assert.Equal(t, "a-2", ch.Records[1].ID)
}

func TestStaleChangesAreSkipped(t *testing.T) {
	st := New(Limits{InactivityTimeout: limits.InactivityTimeout, MaxDuration: limits.MaxDuration, MaxSessions: 1}, keepAll)
	st.TrackChanges()
	st.Touch("a", at(0), false)
	st.Touch("b", at(1), false) // evicts a; b takes a's slot
	ch, _ := st.TakeChanges(100)
	assert.Equal(t, []string{"a"}, goneKeys(ch.Ended))
	assert.Equal(t, []string{"b"}, recordKeys(ch.Records), "a's entry points at b's slot now: b once")

	st.Touch("b", at(2), false)
	st.DiscardChanges()
	ch, more := st.TakeChanges(100)
	assert.Zero(t, ch.Len())
	assert.False(t, more)
	st.Touch("b", at(3), false)
	ch, _ = st.TakeChanges(100)
	assert.Equal(t, []string{"b"}, recordKeys(ch.Records), "after a discard, changes are tracked again")

	st.Forget("ghost")
	ch, _ = st.TakeChanges(100)
	assert.Equal(t, []string{"ghost"}, goneKeys(ch.Ended))
}

func TestChangesInParts(t *testing.T) {
	st := New(Limits{InactivityTimeout: limits.InactivityTimeout, MaxDuration: limits.MaxDuration, MaxSessions: 100}, keepAll)
	st.TrackChanges()
	for i := range 10 {
		st.Touch(fmt.Sprint(i), at(0), false)
	}
	var got []string
	for parts := 1; ; parts++ {
		ch, more := st.TakeChanges(3)
		require.LessOrEqual(t, ch.Len(), 3)
		got = append(got, recordKeys(ch.Records)...)
		if !more {
			assert.Equal(t, 4, parts)
			break
		}
	}
	assert.Len(t, got, 10)
}

// TestSnapshotChunksSeeEverySession walks the slots in chunks while sessions end and
// open between chunks: every session open at the end is in a chunk or in the changes
// taken after the walk started.
func TestSnapshotChunksSeeEverySession(t *testing.T) {
	st := New(Limits{InactivityTimeout: limits.InactivityTimeout, MaxDuration: limits.MaxDuration, MaxSessions: 100}, keepAll)
	st.TrackChanges()
	for i := range 20 {
		st.Touch(fmt.Sprint("s", i), at(float64(i)), false)
	}
	st.DiscardChanges() // the walk starts: what changes from now on is in the changes
	seen := map[string]bool{}
	from, done, round := 0, false, 0
	for !done {
		var recs []Record
		recs, from, done = st.SnapshotChunk(from, 3)
		for _, r := range recs {
			seen[r.Key] = true
		}
		// Between chunks, one session times out and two open (one reuses its slot).
		now := at(float64(15 + round))
		require.Len(t, st.Expire(now), 1)
		st.Touch(fmt.Sprint("new", round, "a"), now, false)
		st.Touch(fmt.Sprint("new", round, "b"), now, false)
		round++
	}
	ch, _ := st.TakeChanges(1000)
	for _, g := range ch.Ended {
		delete(seen, g.Key)
	}
	for _, r := range ch.Records {
		seen[r.Key] = true
	}
	var open []string
	for _, r := range st.openRecords() {
		open = append(open, r.Key)
	}
	var restored []string
	for k := range seen {
		restored = append(restored, k)
	}
	assert.ElementsMatch(t, open, restored)
}

// TestSnapshotTombstonesSeeEveryTombstone walks the tombstones in chunks while sessions
// end (new tombstones), an assigned session takes the place of one, and old ones run out:
// the chunks plus the changes taken after the walk started hold every tombstone that has
// not run out.
func TestSnapshotTombstonesSeeEveryTombstone(t *testing.T) {
	st := New(Limits{InactivityTimeout: limits.InactivityTimeout, MaxDuration: limits.MaxDuration, MaxSessions: 100}, keepAll)
	st.TrackChanges()
	for i := range 20 {
		st.Touch(fmt.Sprint("s", i), at(float64(i)), false)
	}
	require.Len(t, st.Expire(at(25)), 11) // s0..s10 time out
	st.DiscardChanges()                   // the walk starts
	seen := map[string]Tombstone{}
	var from uint64
	var now int64
	minute := 25.0
	for round, done := 0, false; !done; round++ {
		var gone []Gone
		gone, from, done = st.SnapshotTombstones(from, 3)
		for _, g := range gone {
			seen[g.Key] = g.Tombstone
		}
		minute++
		if round == 3 {
			minute = 41 // s0..s10's tombstones run out
		}
		now = at(minute)
		st.Expire(now) // one more session times out (all the rest at 41)
		if round == 0 {
			require.True(t, st.Touch("s1", now, true).Started, "an assigned session replaces s1's tombstone")
		}
	}
	ch, _ := st.TakeChanges(1000)
	for _, g := range ch.Ended {
		delete(seen, g.Key)
		if g.Tombstone.Reason != "" {
			seen[g.Key] = g.Tombstone
		}
	}
	for _, r := range ch.Records {
		delete(seen, r.Key)
	}
	maps.DeleteFunc(seen, func(_ string, t Tombstone) bool { return t.Until <= now })
	assert.Equal(t, st.tombstoneCopy(), seen)
	assert.NotEmpty(t, seen)
}

func TestGivenBackChangesAreTakenAgain(t *testing.T) {
	st := New(Limits{InactivityTimeout: limits.InactivityTimeout, MaxDuration: limits.MaxDuration, MaxSessions: 10}, keepAll)
	st.TrackChanges()
	st.Touch("a", at(0), false)
	st.Touch("b", at(0), false)
	st.Touch("c", at(0), false)
	st.TakeChanges(100)

	st.Touch("a", at(1), false)
	require.Len(t, st.Expire(at(15.5)), 2) // b and c end
	failed, _ := st.TakeChanges(100)
	require.Equal(t, []string{"b", "c"}, goneKeys(failed.Ended))

	// Meanwhile a changes again and d opens, then both time out.
	st.Touch("a", at(16), false)
	st.Touch("d", at(16), false)
	st.Expire(at(40))
	st.GiveBack(failed)
	assert.Equal(t, 4, st.PendingEnded(), "b, c, then a and d")
	ch, _ := st.TakeChanges(100)
	assert.Equal(t, []string{"b", "c", "a", "d"}, goneKeys(ch.Ended))
	assert.Empty(t, ch.Records, "a ended since: its end is written, not its old copy")

	st.Touch("e", at(41), false)
	failed, _ = st.TakeChanges(100)
	st.GiveBack(failed)
	ch, _ = st.TakeChanges(100)
	assert.Equal(t, []string{"e"}, recordKeys(ch.Records))
}
