// Copyright The otelcol-rum Authors
// SPDX-License-Identifier: Apache-2.0

package store

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestSoftViewAdoptsOneTrace: a soft view takes the first trace it is given and keeps
// it; a hard view keeps its navigation's; the trace is saved with the view and is on its
// rum.view.
func TestSoftViewAdoptsOneTrace(t *testing.T) {
	st := newViewStore()
	s := st.Touch("s", at(0), false).Session
	s.AddPageView(hard("n1", "https://shop/", sec(0)))
	s.AddPageView(soft("https://shop/cart", sec(5)))

	load := s.ViewAt(sec(1), false)
	assert.False(t, load.AdoptTrace([16]byte{7}, [8]byte{7}), "a hard view keeps its navigation's trace")
	_, _, ok := load.SoftTrace()
	assert.False(t, ok)

	cart := s.ViewAt(sec(6), false)
	_, _, ok = cart.SoftTrace()
	assert.False(t, ok, "no request yet")
	assert.False(t, cart.AdoptTrace([16]byte{}, [8]byte{1}), "an empty trace is none")
	assert.True(t, cart.AdoptTrace([16]byte{9}, [8]byte{9}))
	assert.False(t, cart.AdoptTrace([16]byte{8}, [8]byte{8}), "the first request's trace stays")
	traceID, spanID, ok := cart.SoftTrace()
	require.True(t, ok)
	assert.Equal(t, [16]byte{9}, traceID)
	assert.Equal(t, [8]byte{9}, spanID)

	saved := only(t, st)
	restored := throughJournal(t, &saved)
	rs := restored.Touch("s", at(0.5), false).Session
	traceID, _, ok = rs.ViewAt(sec(6), false).SoftTrace()
	require.True(t, ok, "restored with its trace")
	assert.Equal(t, [16]byte{9}, traceID)

	restored.EndLeastRecent(1, EndShutdown, at(1))
	evs := restored.TakeViewEvents()
	require.Len(t, evs, 2)
	assert.Equal(t, [16]byte{byte(sec(0))}, evs[0].TraceID)
	assert.Equal(t, [16]byte{9}, evs[1].TraceID)
	assert.Equal(t, [8]byte{9}, evs[1].SpanID)
}
