// Copyright The otelcol-rum Authors
// SPDX-License-Identifier: Apache-2.0

package store // import "github.com/otelcol-rum/otelcol-rum/processor/sessionprocessor/internal/store"

import (
	"cmp"
	"slices"
)

// Restoring saved sessions: RestorePut and RestoreRemove apply a snapshot and the
// write-ahead segments after it, in order; FinishRestore then puts the sessions in
// activity and start order. In between, the store must not be used otherwise.

// RestorePut puts a saved session back, replacing a session of the same key, and the
// key's tombstone: an open session has none.
func (st *Store) RestorePut(r *Record) {
	if i := st.find(r.Key); i != 0 {
		st.remove(i)
	}
	delete(st.tombstones, r.Key)
	st.fromRecord(r)
}

// RestoreRemove removes the session of g's key, if any (it ended after it was saved),
// and puts back the tombstone it left, if any.
func (st *Store) RestoreRemove(g *Gone) {
	if i := st.find(g.Key); i != 0 {
		st.remove(i)
	}
	delete(st.tombstones, g.Key)
	if g.Tombstone.Reason != "" {
		st.putTombstone(g.Key, g.Tombstone)
	}
}

// FinishRestore links every session into the recency and start lists, which are rebuilt
// in the order of last activity and of start, and puts the tombstones in the order they
// run out.
func (st *Store) FinishRestore() {
	slices.SortStableFunc(st.expiring, func(a, b expiringKey) int { return cmp.Compare(a.until, b.until) })
	for k := range st.expiring {
		st.expiring[k].seq = uint64(k)
	}
	st.nextExpiring = uint64(len(st.expiring))
	all := make([]uint32, 0, st.open)
	for i := uint32(1); i < st.sessions.limit(); i++ {
		if ss := st.sessions.at(i); ss.flags&flagOpen != 0 {
			ss.links = [2]links{}
			all = append(all, i)
		}
	}
	st.recency.first, st.recency.last = 0, 0
	st.started.first, st.started.last = 0, 0
	slices.SortFunc(all, func(a, b uint32) int {
		return cmp.Compare(st.sessions.at(a).lastActivity, st.sessions.at(b).lastActivity)
	})
	for _, i := range all {
		st.recency.pushLast(st, i)
	}
	slices.SortStableFunc(all, func(a, b uint32) int { return cmp.Compare(st.sessions.at(a).start, st.sessions.at(b).start) })
	for _, i := range all {
		st.started.pushLast(st, i)
	}
}
