// Copyright The otelcol-rum Authors
// SPDX-License-Identifier: Apache-2.0

package store // import "github.com/otelcol-rum/otelcol-rum/processor/sessionprocessor/internal/store"

import "github.com/otelcol-rum/otelcol-rum/processor/sessionprocessor/internal/frustration"

// Frustration is a session's frustration detector and the count of the signals it made.
// It lives in a slab of its own, made at the session's first click, action or error: most
// sessions never have one, and pay 4 bytes for the index instead of 72 for the value.
type Frustration struct {
	State frustration.State
	// Found counts the session's frustration signals, for its summary.
	Found uint32
}

// Frustration returns the session's detector, made empty on first use. The pointer is
// valid while the caller holds the store and the session is open.
func (s Session) Frustration() *Frustration {
	st, ss := s.st, s.get()
	if ss.frustration == 0 {
		ss.frustration = st.frustrations.alloc()
	}
	return st.frustrations.at(ss.frustration)
}

// frustrationOf copies the session's detector into r.
func (st *Store) frustrationOf(ss *session, r *Record) {
	if ss.frustration == 0 {
		return
	}
	f := st.frustrations.at(ss.frustration)
	r.Frustration, r.Frustrations = f.State, f.Found
}

// restoreFrustration gives a restored session its saved detector, if it had one.
func (st *Store) restoreFrustration(ss *session, r *Record) {
	if r.Frustrations == 0 && r.Frustration == (frustration.State{}) {
		return
	}
	ss.frustration = st.frustrations.alloc()
	*st.frustrations.at(ss.frustration) = Frustration{State: r.Frustration, Found: r.Frustrations}
}

// releaseFrustration frees the session's detector, if it has one.
func (st *Store) releaseFrustration(ss *session) {
	if ss.frustration != 0 {
		st.frustrations.release(ss.frustration)
		ss.frustration = 0
	}
}
