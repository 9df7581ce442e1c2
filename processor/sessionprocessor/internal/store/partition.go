// Copyright The otelcol-rum Authors
// SPDX-License-Identifier: Apache-2.0

package store // import "github.com/otelcol-rum/otelcol-rum/processor/sessionprocessor/internal/store"

import (
	"cmp"
	"slices"
)

// Sessions of a Kafka data partition: a session tier moves them between collectors with
// the partition (the processor's hand-over). The store only tags each session with its
// partition, gives the partition's sessions away and takes them in.

// NoPartition is the partition of a session whose data did not come from Kafka.
const NoPartition int32 = -1

// Partition is the data partition of the session's records, NoPartition for none.
func (s Session) Partition() int32 { return s.get().partition - 1 }

// SetPartition files the session under data partition p. A session whose records come
// from another partition than before (the partition count of the topics changed) leaves
// its old partition: its key there is recorded as ended, so that the old partition's
// saved copy goes.
func (s Session) SetPartition(p int32) {
	ss := s.get()
	if ss.partition == p+1 {
		return
	}
	if ss.partition != 0 {
		s.st.markEnded(string(s.st.key(ss)), ss.partition-1)
	}
	ss.partition = p + 1
	s.st.markChanged(s.i, ss)
}

// TakePartition copies every open session of partition p and removes them without
// ending them: no view settles, no tombstone is left, no end is recorded; another
// collector continues them. It also takes the pending ended keys of p, which must
// reach the new owner too. It costs a walk of the open sessions.
func (st *Store) TakePartition(p int32) (recs []Record, ended []Gone) {
	for i := st.recency.first; i != 0; {
		next := st.sessions.at(i).links[byRecency].next
		if st.sessions.at(i).partition == p+1 {
			recs = append(recs, st.record(i, true))
			st.recency.remove(st, i)
			st.started.remove(st, i)
			st.remove(i)
		}
		i = next
	}
	if cl := st.changes; cl != nil {
		kept := cl.ended[:0]
		for _, e := range cl.ended {
			if e.partition == p {
				ended = append(ended, Gone{Key: e.key, Tombstone: st.tombstones[e.key], Partition: p})
				delete(st.tombstones, e.key) // taken: not again below
				continue
			}
			kept = append(kept, e)
		}
		clear(cl.ended[len(kept):])
		cl.ended = kept
	}
	// What the partition's ended sessions left for their late data goes with it (their
	// entries in expiring are skipped once the map has no such tombstone).
	for key, t := range st.tombstones {
		if t.partition == p+1 {
			ended = append(ended, Gone{Key: key, Tombstone: t, Partition: p})
			delete(st.tombstones, key)
		}
	}
	return recs, ended
}

// Partition is the data partition of the session that left the tombstone, NoPartition
// for none.
func (t *Tombstone) Partition() int32 { return t.partition - 1 }

// AdoptTombstones takes in what the sessions of partition p that ended elsewhere left for
// their late data, unless it ran out by now or the key has an open session here.
func (st *Store) AdoptTombstones(gone []Gone, p int32, now int64) {
	added := false
	for _, g := range gone {
		if g.Tombstone.Reason == "" || now >= g.Tombstone.Until || st.find(g.Key) != 0 {
			continue
		}
		t := g.Tombstone
		t.partition = p + 1
		st.putTombstone(g.Key, t)
		added = true
	}
	if added {
		// Tombstones are swept in the order they run out.
		slices.SortStableFunc(st.expiring, func(a, b expiringKey) int { return cmp.Compare(a.until, b.until) })
		for k := range st.expiring {
			st.expiring[k].seq = uint64(k)
		}
		st.nextExpiring = uint64(len(st.expiring))
	}
}

// Adopt takes in the sessions another collector gave away with partition p, as they
// were: no session starts, their pending views stay pending. A key that already has an
// open session here keeps it (its record is skipped). The sessions join the activity
// and start orders where their times put them, in one pass over each list; the caller
// then ends what is over the limits (Expire, EndLeastRecent). It returns how many it
// took in.
func (st *Store) Adopt(recs []Record, p int32) int {
	added := make([]uint32, 0, len(recs))
	for k := range recs {
		r := &recs[k]
		if st.find(r.Key) != 0 {
			continue
		}
		delete(st.tombstones, r.Key) // an open session has none
		i := st.fromRecord(r)
		st.sessions.at(i).partition = p + 1
		added = append(added, i)
	}
	st.mergeInto(&st.recency, added, func(ss *session) int64 { return ss.lastActivity })
	st.mergeInto(&st.started, added, func(ss *session) int64 { return ss.start })
	return len(added)
}

// mergeInto puts the sessions added, in no list yet, into l, which is in the order of
// by: the newest first, each after the last session not newer than it.
func (st *Store) mergeInto(l *list, added []uint32, by func(*session) int64) {
	slices.SortStableFunc(added, func(a, b uint32) int { return cmp.Compare(by(st.sessions.at(b)), by(st.sessions.at(a))) })
	at := l.last
	for _, i := range added {
		t := by(st.sessions.at(i))
		for at != 0 && by(st.sessions.at(at)) > t {
			at = st.sessions.at(at).links[l.which].prev
		}
		l.insertAfter(st, at, i)
	}
}
