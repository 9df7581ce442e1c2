// Copyright The otelcol-rum Authors
// SPDX-License-Identifier: Apache-2.0

package store // import "github.com/otelcol-rum/otelcol-rum/processor/sessionprocessor/internal/store"

import (
	"cmp"
	"slices"
)

// changeLog is what changed since the journal last took the changes, so that a write
// costs in proportion to what changed, not to the open sessions: the indices of sessions
// that changed (a session is listed once while its changed flag is set; an entry whose
// index was freed, or reused by a session listed again, is skipped) and the keys of the
// sessions that ended, in order.
type changeLog struct {
	changed []uint32
	ended   []endedKey
}

// endedKey is the key of a session that ended and the data partition it lived in
// (NoPartition for none).
type endedKey struct {
	key       string
	partition int32
}

// TrackChanges makes the store remember what changes, for a journal to take with
// TakeChanges. Without it (no storage), nothing is kept.
func (st *Store) TrackChanges() {
	if st.changes == nil {
		st.changes = &changeLog{}
	}
}

func (st *Store) markChanged(i uint32, ss *session) {
	if st.changes == nil || ss.flags&flagChanged != 0 {
		return
	}
	ss.flags |= flagChanged
	st.changes.changed = append(st.changes.changed, i)
}

func (st *Store) markEnded(key string, partition int32) {
	if st.changes != nil {
		st.changes.ended = append(st.changes.ended, endedKey{key: key, partition: partition})
	}
}

// Forget records key as ended although no open session has it: a saved session that
// was not restored, whose saved record must go.
func (st *Store) Forget(key string) { st.markEnded(key, NoPartition) }

// Changes are changes taken from the store: the sessions that ended and copies of
// sessions that changed, to be applied in this order.
type Changes struct {
	Ended   []Gone
	Records []Record
}

// Gone is a session that ended, as the journal saves it: its key, and the tombstone the
// key has when the change is taken (none if the session was evicted, or if its
// continuation has opened since: that one is among the records).
type Gone struct {
	Key       string
	Tombstone Tombstone
	// Partition is the data partition the session lived in, NoPartition for none.
	Partition int32
}

// Len is the number of changes.
func (ch *Changes) Len() int { return len(ch.Ended) + len(ch.Records) }

// TakeChanges takes up to limit pending changes and reports whether more are pending.
// Ended keys come first, and sessions only once no ended key is pending: a key's end
// must be written no later than a session of the same key that opened after it.
func (st *Store) TakeChanges(limit int) (ch Changes, more bool) {
	cl := st.changes
	if cl == nil {
		return Changes{}, false
	}
	n := min(limit, len(cl.ended))
	if n > 0 {
		ch.Ended = make([]Gone, n)
		for k, e := range cl.ended[:n] {
			ch.Ended[k] = Gone{Key: e.key, Tombstone: st.tombstones[e.key], Partition: e.partition}
		}
	}
	cl.ended = cl.ended[:copy(cl.ended, cl.ended[n:])]
	i := 0
	if len(cl.ended) == 0 {
		for ; i < len(cl.changed) && ch.Len() < limit; i++ {
			ss := st.sessions.at(cl.changed[i])
			if ss.flags&flagChanged == 0 {
				continue // ended (its index is free or taken by a session listed again), or listed twice
			}
			ss.flags &^= flagChanged
			ch.Records = append(ch.Records, st.record(cl.changed[i], true))
		}
	}
	cl.changed = cl.changed[:copy(cl.changed, cl.changed[i:])]
	return ch, len(cl.ended) > 0 || len(cl.changed) > 0
}

// GiveBack returns changes taken by TakeChanges whose write failed: they are taken
// again, with what changed meanwhile, by the next TakeChanges. The ended keys go before
// those that ended since; each session goes back as it is now (if it is still open: if
// not, its end is pending).
func (st *Store) GiveBack(ch Changes) {
	cl := st.changes
	if cl == nil {
		return
	}
	keys := make([]endedKey, 0, len(ch.Ended)+len(cl.ended))
	for _, g := range ch.Ended {
		keys = append(keys, endedKey{key: g.Key, partition: g.Partition})
	}
	cl.ended = append(keys, cl.ended...)
	for i := range ch.Records {
		if j := st.find(ch.Records[i].Key); j != 0 {
			st.markChanged(j, st.sessions.at(j))
		}
	}
}

// PendingEnded is the number of ended keys not taken yet.
func (st *Store) PendingEnded() int {
	if st.changes == nil {
		return 0
	}
	return len(st.changes.ended)
}

// DropOldestEnded forgets the n oldest pending ended keys: a bound on what a store that
// keeps failing leaves pending.
func (st *Store) DropOldestEnded(n int) {
	cl := st.changes
	if cl == nil || n <= 0 {
		return
	}
	n = min(n, len(cl.ended))
	cl.ended = cl.ended[:copy(cl.ended, cl.ended[n:])]
}

// DiscardChanges forgets every pending change: the snapshot that starts now covers them.
func (st *Store) DiscardChanges() {
	cl := st.changes
	if cl == nil {
		return
	}
	for _, i := range cl.changed {
		st.sessions.at(i).flags &^= flagChanged
	}
	*cl = changeLog{}
}

// SnapshotChunk copies up to limit open sessions from index from on, and returns the
// index to continue at and whether the walk is complete (the tombstones follow, with
// SnapshotTombstones). Sessions may come and go between chunks: one that opens or
// changes after its slot was passed is in the changes (TakeChanges) from then on, so a
// snapshot plus the changes taken after it started holds every session.
func (st *Store) SnapshotChunk(from, limit int) (recs []Record, next int, done bool) {
	i, end := max(uint32(from), 1), st.sessions.limit() //nolint:gosec // from is 0 or a next this method returned
	for ; i < end && len(recs) < limit; i++ {
		if st.sessions.at(i).flags&flagOpen != 0 {
			recs = append(recs, st.record(i, true))
		}
	}
	return recs, int(i), i >= end
}

// SnapshotTombstones copies up to limit tombstones from sequence number from on, and
// returns the number to continue at and whether the walk is complete. As with the
// sessions, a tombstone left after the snapshot began is in the changes taken after it
// (its key is among the ended ones), and one that goes away is replaced by the record of
// its continuation or simply ran out; so a snapshot plus the changes taken after it
// holds every tombstone that matters. The keys and ids are shared with the store, not
// copied: they are Go strings that never change.
func (st *Store) SnapshotTombstones(from uint64, limit int) (out []Gone, next uint64, done bool) {
	k, _ := slices.BinarySearchFunc(st.expiring, from, func(e expiringKey, seq uint64) int { return cmp.Compare(e.seq, seq) })
	for ; k < len(st.expiring) && len(out) < limit; k++ {
		e := st.expiring[k]
		// Only the key's current tombstone: an older entry of the key has another until.
		if t, ok := st.tombstones[e.key]; ok && t.Until == e.until {
			out = append(out, Gone{Key: e.key, Tombstone: t})
		}
	}
	if k < len(st.expiring) {
		return out, st.expiring[k].seq, false
	}
	return out, st.nextExpiring, true
}
