package store // import "github.com/otelcol-rum/otelcol-rum/processor/sessionprocessor/internal/store"

import (
	"cmp"
	"slices"
)

// Restoring saved sessions: RestorePut and RestoreRemove apply a snapshot and the
// write-ahead segments after it, in order; FinishRestore then puts the sessions in
// activity and start order. In between, the store must not be used otherwise.

// RestorePut puts a saved session back, replacing a session of the same key.
func (st *Store) RestorePut(r *Record) {
	if i := st.find(r.Key); i != 0 {
		st.remove(i)
	}
	st.fromRecord(r)
}

// RestoreRemove removes the session of key, if any: it ended after it was saved.
func (st *Store) RestoreRemove(key string) {
	if i := st.find(key); i != 0 {
		st.remove(i)
	}
}

// FinishRestore links every session into the recency and start lists, which are rebuilt
// in the order of last activity and of start.
func (st *Store) FinishRestore() {
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
