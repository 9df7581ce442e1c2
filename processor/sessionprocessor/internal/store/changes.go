package store // import "github.com/otelcol-rum/otelcol-rum/processor/sessionprocessor/internal/store"

// changeLog is what changed since the journal last took the changes, so that a write
// costs in proportion to what changed, not to the open sessions: the indices of sessions
// that changed (a session is listed once while its changed flag is set; an entry whose
// index was freed, or reused by a session listed again, is skipped) and the keys of the
// sessions that ended, in order.
type changeLog struct {
	changed []uint32
	ended   []string
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

func (st *Store) markEnded(key string) {
	if st.changes != nil {
		st.changes.ended = append(st.changes.ended, key)
	}
}

// Forget records key as ended although no open session has it: a saved session that
// was not restored, whose saved record must go.
func (st *Store) Forget(key string) { st.markEnded(key) }

// Changes are changes taken from the store: the keys of sessions that ended and copies
// of sessions that changed, to be applied in this order.
type Changes struct {
	Ended   []string
	Records []Record
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
	ch.Ended = append([]string(nil), cl.ended[:n]...)
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
	cl.ended = append(ch.Ended, cl.ended...)
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
// index to continue at and whether the walk is complete. Sessions may come and go
// between chunks: one that opens or changes after its slot was passed is in the changes
// (TakeChanges) from then on, so a snapshot plus the changes taken after it started
// holds every session.
func (st *Store) SnapshotChunk(from, limit int) (recs []Record, next int, done bool) {
	i, end := max(uint32(from), 1), st.sessions.limit()
	for ; i < end && len(recs) < limit; i++ {
		if st.sessions.at(i).flags&flagOpen != 0 {
			recs = append(recs, st.record(i, true))
		}
	}
	return recs, int(i), i >= end
}
