// Copyright The otelcol-rum Authors
// SPDX-License-Identifier: Apache-2.0

package store

import (
	"fmt"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

var limits = Limits{InactivityTimeout: 15 * time.Minute, MaxDuration: 4 * time.Hour, MaxSessions: 3}

func keepAll(string) bool { return true }

// at is a fake clock reading: minutes after an arbitrary start.
func at(minutes float64) int64 {
	return time.Date(2026, 11, 21, 8, 0, 0, 0, time.UTC).Add(time.Duration(minutes * float64(time.Minute))).UnixNano()
}

func TestInactivityTimeout(t *testing.T) {
	st := New(limits, keepAll)
	out := st.Touch("a", at(0), false)
	require.True(t, out.Started)
	st.Touch("a", at(10), false)
	assert.Empty(t, st.Expire(at(24)), "active 14 minutes ago")
	ended := st.Expire(at(25))
	require.Len(t, ended, 1)
	assert.Equal(t, EndTimeout, ended[0].Reason)
	assert.Equal(t, at(10), ended[0].Session.LastActivity)
	assert.Equal(t, 0, st.Len())
}

func TestLateDataAfterTimeoutDoesNotReopen(t *testing.T) {
	st := New(limits, keepAll)
	st.Touch("a", at(0), false)
	require.Len(t, st.Expire(at(15)), 1)
	out := st.Touch("a", at(16), false)
	assert.True(t, out.Late)
	assert.False(t, out.Session.Valid())
	assert.Equal(t, 0, st.Len())
	// Once the tombstone ran out, the id opens a session again.
	st.Expire(at(31))
	out = st.Touch("a", at(31), false)
	assert.True(t, out.Started)
}

func TestMaxDurationContinuesAsNewSession(t *testing.T) {
	st := New(limits, keepAll)
	for m := 0.0; m < 240; m += 10 { // active every 10 minutes for 4 hours
		st.Touch("a", at(m), false)
		require.Empty(t, st.Expire(at(m)))
	}
	ended := st.Expire(at(240))
	require.Len(t, ended, 1)
	assert.Equal(t, EndMaxDuration, ended[0].Reason)
	assert.Equal(t, "a", ended[0].Session.ID)

	out := st.Touch("a", at(241), false)
	require.True(t, out.Started)
	assert.Equal(t, "a-2", out.Session.ID())
	assert.Equal(t, "a", out.Session.PreviousID())
	assert.True(t, st.Has("a"), "still found by the SDK's id")

	// The chain goes on: the third session names the second.
	for m := 251.0; m < 241+240; m += 10 {
		st.Touch("a", at(m), false)
	}
	out = st.Touch("a", at(241+240), false)
	require.Len(t, out.Ended, 1, "max duration noticed on the record before the ticker")
	assert.Equal(t, EndMaxDuration, out.Ended[0].Reason)
	assert.Equal(t, "a-3", out.Session.ID())
	assert.Equal(t, "a-2", out.Session.PreviousID())
}

func TestEvictionEndsLeastRecentlyActive(t *testing.T) {
	st := New(limits, keepAll)
	st.Touch("a", at(0), false)
	st.Touch("b", at(1), false)
	st.Touch("c", at(2), false)
	st.Touch("a", at(3), false) // a is now the most recent; b the least
	out := st.Touch("d", at(4), false)
	require.Len(t, out.Ended, 1)
	assert.Equal(t, "b", out.Ended[0].Session.ID)
	assert.Equal(t, EndEvicted, out.Ended[0].Reason)
	assert.Equal(t, 3, st.Len())
}

func TestEndAllOnShutdown(t *testing.T) {
	st := New(limits, keepAll)
	for i := range 3 {
		st.Touch(fmt.Sprint(i), at(float64(i)), false)
	}
	ended := st.EndLeastRecent(2, EndShutdown, at(5))
	require.Len(t, ended, 2)
	assert.Equal(t, "0", ended[0].Session.ID, "least recently active first")
	assert.Equal(t, "1", ended[1].Session.ID)
	assert.Equal(t, 1, st.Len())
	ended = append(ended, st.EndLeastRecent(2, EndShutdown, at(5))...)
	require.Len(t, ended, 3)
	for _, e := range ended {
		assert.Equal(t, EndShutdown, e.Reason)
	}
	assert.Equal(t, 0, st.Len())
	assert.Empty(t, st.EndLeastRecent(2, EndShutdown, at(5)))
	assert.Empty(t, st.Expire(at(1000)))
}

// only returns the record of the one open session of st.
func only(t *testing.T, st *Store) Record {
	t.Helper()
	recs := st.openRecords()
	require.Len(t, recs, 1)
	return recs[0]
}

func TestPageViewsAndJoinLookup(t *testing.T) {
	st := New(limits, keepAll)
	s := st.Touch("s", at(0), false).Session
	s.AddPageView(PageView{NavigationID: "n1", URL: "https://shop/", TraceID: [16]byte{1}})
	s.AddPageView(PageView{NavigationID: "n1", URL: "https://shop/"}) // repeated navigation
	s.AddPageView(PageView{NavigationID: "n2", URL: "https://shop/cart", TraceID: [16]byte{2}})
	r := only(t, st)
	assert.Equal(t, uint32(2), r.Views)
	assert.Equal(t, "https://shop/", r.EntryPage)
	assert.Equal(t, "https://shop/cart", r.ExitPage)

	pv, ok := s.FindPage("n1", "")
	require.True(t, ok)
	assert.Equal(t, [16]byte{1}, pv.TraceID)
	assert.Equal(t, "https://shop/", pv.URL())
	pv, _ = s.FindPage("", "https://shop/")
	assert.Equal(t, [16]byte{1}, pv.TraceID)
	pv, _ = s.FindPage("", "")
	assert.Equal(t, [16]byte{2}, pv.TraceID, "no page named: the latest")
	_, ok = s.FindPage("unknown-nav", "")
	assert.False(t, ok, "an unknown page view is not guessed")
	_, ok = s.FindPage("unknown-nav", "https://elsewhere/")
	assert.False(t, ok)

	for i := range MaxPageViewsKept + 5 {
		s.AddPageView(PageView{NavigationID: fmt.Sprint("x", i), URL: fmt.Sprint("https://shop/", i)})
	}
	r = only(t, st)
	assert.Len(t, r.Pages, MaxPageViewsKept)
	assert.Equal(t, uint32(2+MaxPageViewsKept+5), r.Views)
	assert.Equal(t, "https://shop/", r.EntryPage, "the entry page outlives its page view")
	_, ok = s.FindPage("n1", "")
	assert.False(t, ok, "the oldest page views are gone")
	// Only the URLs still referred to are interned: the 16 pages kept and the entry page.
	assert.Equal(t, MaxPageViewsKept+1, st.urls.len())
}

func TestRestoreKeepsOrder(t *testing.T) {
	st := New(limits, keepAll)
	// Saved in no particular order; "long" started earlier than "short" though.
	st.RestorePut(&Record{Key: "long", ID: "long", Start: at(-235), LastActivity: at(10)})
	st.RestorePut(&Record{Key: "short", ID: "short", Start: at(0), LastActivity: at(5)})
	st.FinishRestore()
	checkLists(t, st)
	ended := st.Expire(at(5))
	require.Len(t, ended, 1)
	assert.Equal(t, "long", ended[0].Session.ID)
	assert.Equal(t, EndMaxDuration, ended[0].Reason)
	ended = st.Expire(at(20))
	require.Len(t, ended, 1)
	assert.Equal(t, "short", ended[0].Session.ID)
	assert.Equal(t, EndTimeout, ended[0].Reason)
}

func TestFreshSessionsReopenAfterTimeout(t *testing.T) {
	st := New(limits, keepAll)
	first := st.Touch("client", at(0), true)
	require.True(t, first.Started)
	firstID := first.Session.ID()
	assert.NotEqual(t, "client", firstID)
	require.Len(t, st.Expire(at(15)), 1)
	second := st.Touch("client", at(16), true)
	require.True(t, second.Started, "a returning client is a new visit, not late data")
	assert.NotEqual(t, firstID, second.Session.ID())
}

func TestTombstonesAreSwept(t *testing.T) {
	st := New(limits, keepAll)
	for i := range 3 {
		st.Touch(fmt.Sprint(i), at(float64(i)), false)
	}
	st.Expire(at(20))
	assert.Len(t, st.tombstones, 3)
	st.Expire(at(20 + 15))
	assert.Empty(t, st.tombstones)
	assert.Empty(t, st.expiring)
}

func TestSamplingDecisionOutlivesTheSession(t *testing.T) {
	sampled := func(id string) bool { return id != "a" } // "a" is out, "a-2" would be in
	st := New(limits, sampled)
	require.False(t, st.Touch("a", at(0), false).Session.Sampled())
	st.Expire(at(15))
	late := st.Touch("a", at(16), false)
	require.True(t, late.Late)
	assert.False(t, late.LateSampled, "late data of an unsampled session stays out")

	st2 := New(limits, sampled)
	for m := 0.0; m < 240; m += 10 {
		st2.Touch("a", at(m), false)
	}
	next := st2.Touch("a", at(240), false)
	require.Equal(t, "a-2", next.Session.ID())
	assert.False(t, next.Session.Sampled(), "the continuation follows the session it continues")
}

// checkLists requires both lists to hold exactly the open sessions, linked the same way
// in both directions, in activity and in start order, and every open session to be
// found by its key.
func checkLists(t *testing.T, st *Store) {
	t.Helper()
	for _, l := range []*list{&st.recency, &st.started} {
		var prev uint32
		n := 0
		for i := l.first; i != 0; i = st.sessions.at(i).links[l.which].next {
			s := st.sessions.at(i)
			require.Equal(t, prev, s.links[l.which].prev)
			require.Equal(t, i, st.find(string(st.key(s))))
			if prev != 0 && l.which == byStart {
				require.LessOrEqual(t, st.sessions.at(prev).start, s.start)
			}
			if prev != 0 && l.which == byRecency {
				require.LessOrEqual(t, st.sessions.at(prev).lastActivity, s.lastActivity)
			}
			prev = i
			n++
		}
		require.Equal(t, prev, l.last)
		require.Equal(t, st.Len(), n)
	}
	open := 0
	for i := uint32(1); i < st.sessions.limit(); i++ {
		if st.sessions.at(i).flags&flagOpen != 0 {
			open++
		}
	}
	require.Equal(t, st.Len(), open)
	require.Len(t, st.sessions.free, int(st.sessions.limit())-1-open)
}

func TestListsStayConsistent(t *testing.T) {
	t.Run("hashes", func(t *testing.T) { testListsStayConsistent(t, false) })
	t.Run("every key collides", func(t *testing.T) { testListsStayConsistent(t, true) })
}

func testListsStayConsistent(t *testing.T, collide bool) {
	// "a" is active throughout and runs into max_duration; the others come and go,
	// time out or are evicted; "e" is an assigned session.
	st := New(Limits{InactivityTimeout: 15 * time.Minute, MaxDuration: time.Hour, MaxSessions: 3}, keepAll)
	if collide {
		st.hashMask, st.urls.hashMask, st.labels.hashMask = 0, 0, 0
	}
	keys := []string{"a", "b", "a", "c", "a", "d", "b", "a", "e"}
	var ended []Ended
	minutes := 0.0
	for i := range 300 {
		minutes += 2
		if i%50 == 49 {
			minutes += 20 // a pause: every session times out
		}
		key := keys[i%len(keys)]
		ended = append(ended, st.Expire(at(minutes))...)
		checkLists(t, st)
		out := st.Touch(key, at(minutes), key == "e")
		ended = append(ended, out.Ended...)
		checkLists(t, st)
	}
	reasons := map[EndReason]bool{}
	for _, e := range ended {
		reasons[e.Reason] = true
	}
	assert.Equal(t, map[EndReason]bool{EndTimeout: true, EndMaxDuration: true, EndEvicted: true}, reasons)

	restored := New(limits, keepAll)
	if collide {
		restored.hashMask = 0
	}
	// Starts out of order, a key restored twice, one removed.
	restored.RestorePut(&Record{Key: "x", ID: "x", Start: at(5), LastActivity: at(10)})
	restored.RestorePut(&Record{Key: "y", ID: "y", Start: at(1), LastActivity: at(11)})
	restored.RestorePut(&Record{Key: "z", ID: "z", Start: at(3), LastActivity: at(12)})
	restored.RestorePut(&Record{Key: "x", ID: "x", Start: at(5), LastActivity: at(13)})
	restored.RestorePut(&Record{Key: "w", ID: "w", Start: at(0), LastActivity: at(1)})
	restored.RestoreRemove(&Gone{Key: "w"})
	restored.FinishRestore()
	checkLists(t, restored)
	assert.Equal(t, 3, restored.Len())
	assert.Equal(t, at(13), restored.sessions.at(restored.find("x")).lastActivity, "the later record of a key wins")
	restored.EndLeastRecent(restored.Len(), EndShutdown, at(20))
	checkLists(t, restored)
}
