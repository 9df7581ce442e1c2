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
	if old, ok := st.byKey[r.Key]; ok {
		st.displace(old)
	}
	st.place(sessionFromRecord(r))
}

// RestoreRemove removes the session of key, if any: it ended after it was saved.
func (st *Store) RestoreRemove(key string) {
	if s, ok := st.byKey[key]; ok {
		st.displace(s)
	}
}

// FinishRestore links every session into the recency and start lists, which are rebuilt
// in the order of last activity and of start.
func (st *Store) FinishRestore() {
	all := make([]*Session, 0, len(st.byKey))
	for _, s := range st.slots {
		if s != nil {
			s.links = [2]neighbours{}
			all = append(all, s)
		}
	}
	st.recency.first, st.recency.last = nil, nil
	st.started.first, st.started.last = nil, nil
	slices.SortFunc(all, func(a, b *Session) int { return cmp.Compare(a.LastActivity, b.LastActivity) })
	for _, s := range all {
		st.recency.pushLast(s)
	}
	slices.SortStableFunc(all, func(a, b *Session) int { return cmp.Compare(a.Start, b.Start) })
	for _, s := range all {
		st.started.pushLast(s)
	}
}
