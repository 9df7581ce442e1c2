// Copyright The otelcol-rum Authors
// SPDX-License-Identifier: Apache-2.0

package store

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/otelcol-rum/otelcol-rum/processor/sessionprocessor/internal/frustration"
)

// TestFrustrationLivesWithItsSession: a session's detector is made on first use, goes
// into its record and back, and is freed with the session.
func TestFrustrationLivesWithItsSession(t *testing.T) {
	st := New(limits, keepAll)
	plain := st.Touch("plain", at(0), false).Session
	s := st.Touch("k", at(0), false).Session
	f := s.Frustration()
	require.Equal(t, frustration.State{}, *f, "made empty")
	*f = halfBurst()
	f.Found = 3
	require.NotEqual(t, frustration.State{}, *f)
	assert.Same(t, f, s.Frustration(), "made once")

	r := st.record(s.i, true)
	assert.Equal(t, uint32(3), r.Frustrations)
	assert.Equal(t, halfBurst(), r.Frustration)
	assert.Zero(t, st.record(plain.i, true).Frustrations)
	assert.Zero(t, plain.get().frustration, "a session without clicks or errors has no detector")

	again := New(limits, keepAll)
	again.RestorePut(&r)
	again.FinishRestore()
	restored := again.Touch("k", at(1), false).Session
	want := halfBurst()
	want.Found = 3
	assert.Equal(t, want, *restored.Frustration())

	ended := st.EndLeastRecent(2, EndShutdown, at(1))
	require.Len(t, ended, 2)
	assert.Equal(t, uint32(3), ended[1].Session.Frustrations, "the summary gets the count")
	assert.Len(t, st.frustrations.free, 1, "freed with the session")
}
