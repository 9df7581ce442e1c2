// Copyright The otelcol-rum Authors
// SPDX-License-Identifier: Apache-2.0

package store // import "github.com/otelcol-rum/otelcol-rum/processor/sessionprocessor/internal/store"

import "github.com/otelcol-rum/otelcol-rum/processor/sessionprocessor/internal/frustration"

// A session's frustration detector (with its Found, the count of the signals it made, for
// the summary) lives in a slab of its own, made at the session's first click, action or
// error: most sessions never have one, and pay 4 bytes for the index instead of 56 for
// the value.

// Frustration returns the session's detector, made empty on first use. The pointer is
// valid while the caller holds the store and the session is open.
func (s Session) Frustration() *frustration.State {
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
	r.Frustration, r.Frustrations = *f, f.Found
	r.Frustration.Found = 0 // saved as Frustrations
}

// restoreFrustration gives a restored session its saved detector, if it had one.
func (st *Store) restoreFrustration(ss *session, r *Record) {
	if r.Frustrations == 0 && r.Frustration == (frustration.State{}) {
		return
	}
	ss.frustration = st.frustrations.alloc()
	f := st.frustrations.at(ss.frustration)
	*f = r.Frustration
	f.Found = r.Frustrations
}

// releaseFrustration frees the session's detector, if it has one.
func (st *Store) releaseFrustration(ss *session) {
	if ss.frustration != 0 {
		st.frustrations.release(ss.frustration)
		ss.frustration = 0
	}
}
