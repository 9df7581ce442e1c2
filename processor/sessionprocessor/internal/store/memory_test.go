// Copyright The otelcol-rum Authors
// SPDX-License-Identifier: Apache-2.0

package store

import (
	"fmt"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestCollidingKeys makes every key hash alike: sessions must still be told apart by
// their keys, found, ended and opened again, with the others intact.
func TestCollidingKeys(t *testing.T) {
	st := New(Limits{InactivityTimeout: limits.InactivityTimeout, MaxDuration: limits.MaxDuration, MaxSessions: 100}, keepAll)
	st.hashMask, st.urls.hashMask, st.labels.hashMask = 0, 0, 0
	for i := range 50 {
		s := st.Touch(fmt.Sprint("k", i), at(float64(i)/10), false).Session
		s.Update(&Info{App: fmt.Sprint("app", i%3), UserID: fmt.Sprint("u", i)})
		s.AddPageView(PageView{NavigationID: fmt.Sprint("n", i), URL: fmt.Sprint("https://shop/", i%7), TraceID: [16]byte{byte(i)}})
	}
	require.Equal(t, 50, st.Len())
	assert.Len(t, st.byHash, 1, "one hash for all")
	// The first 25 time out: removed from the middle and the ends of the chain.
	require.Len(t, st.Expire(at(2.45+15)), 25)
	checkLists(t, st)
	for i := range 50 {
		out := st.Touch(fmt.Sprint("k", i), at(2.45+15), false)
		if i < 25 {
			assert.True(t, out.Late, "k%d timed out", i)
			continue
		}
		require.False(t, out.Started, "k%d is open", i)
		assert.Equal(t, fmt.Sprint("k", i), out.Session.ID())
		assert.Equal(t, fmt.Sprint("u", i), out.Session.UserID())
		assert.Equal(t, fmt.Sprint("app", i%3), out.Session.App())
		pv, ok := out.Session.FindPage(fmt.Sprint("n", i), "")
		require.True(t, ok)
		assert.Equal(t, [16]byte{byte(i)}, pv.TraceID)
		assert.Equal(t, fmt.Sprint("https://shop/", i%7), pv.URL())
	}
	checkLists(t, st)
}

// TestInternedStringsLeaveWithTheirSessions: however many distinct URLs and app names
// come and go, the tables hold only those of open sessions, and the arena reuses the
// memory of those that left.
func TestInternedStringsLeaveWithTheirSessions(t *testing.T) {
	st := New(Limits{InactivityTimeout: limits.InactivityTimeout, MaxDuration: limits.MaxDuration, MaxSessions: 1000}, keepAll)
	var chunksAfterFirst, slabAfterFirst int
	for round := range 5 {
		for i := range 200 {
			s := st.Touch(fmt.Sprint("r", round, "-s", i), at(float64(round)), false).Session
			s.Update(&Info{App: fmt.Sprint("app-", round, "-", i%10), Environment: "prod", Browser: "Chrome", URL: fmt.Sprint("https://shop/r", round, "/entry", i)})
			for p := range 3 {
				s.AddPageView(PageView{NavigationID: fmt.Sprint(i, "-", p), URL: fmt.Sprint("https://shop/r", round, "/", i, "/", p)})
			}
		}
		assert.Equal(t, 200*3, st.urls.len(), "3 views per session (the entry and exit pages are the first and the last view's)")
		assert.Equal(t, 10, st.labels.len(), "10 combinations of app, environment and browser")
		require.Len(t, st.EndLeastRecent(1000, EndShutdown, at(float64(round))), 200)
		assert.Zero(t, st.urls.len(), "round %d", round)
		assert.Zero(t, st.labels.len())
		assert.Empty(t, st.urls.byHash)
		chunks := 0
		for _, c := range st.arena.classes {
			chunks += len(c.chunks)
		}
		if round == 0 {
			chunksAfterFirst, slabAfterFirst = chunks, int(st.sessions.limit())
			continue
		}
		assert.Equal(t, chunksAfterFirst, chunks, "the arena reuses freed blocks")
		assert.Equal(t, slabAfterFirst, int(st.sessions.limit()), "the slab reuses freed sessions")
	}
}

func TestInternTableRefcounts(t *testing.T) {
	var a arena
	tab := newInternTable(&a)
	tab.hashMask = 0 // all collide
	x, y := tab.ref("x"), tab.ref("y")
	assert.NotEqual(t, x, y)
	assert.Equal(t, x, tab.ref("x"))
	assert.Equal(t, internID(0), tab.ref(""), "the empty string is 0 and never stored")
	tab.release(x)
	assert.Equal(t, x, tab.lookup("x"), "one reference left")
	tab.release(x)
	assert.Zero(t, tab.lookup("x"))
	assert.Equal(t, y, tab.lookup("y"), "the other string of the chain stays")
	assert.Equal(t, "y", tab.string(y))
	tab.release(y)
	assert.Zero(t, tab.len())
	assert.Empty(t, tab.byHash)
}

func TestArenaSizes(t *testing.T) {
	var a arena
	var refs []blockRef
	for _, n := range []int{1, 8, 9, 100, 4096, 4097, 10000} {
		ref, b := a.alloc(n)
		require.Len(t, b, n)
		copy(b, strings.Repeat(string(rune('a'+n%26)), n))
		refs = append(refs, ref)
	}
	for k, n := range []int{1, 8, 9, 100, 4096, 4097, 10000} {
		b := a.bytes(refs[k])
		require.GreaterOrEqual(t, len(b), n)
		assert.Equal(t, strings.Repeat(string(rune('a'+n%26)), n), string(b[:n]))
	}
	a.free(refs[3])
	again, _ := a.alloc(97)
	assert.Equal(t, refs[3], again, "a freed block of the class is reused")
	a.free(refs[6])
	large, _ := a.alloc(5000)
	assert.Equal(t, refs[6], large, "so is a large one's place")
}

// TestLongStrings: keys, ids and URLs longer than the largest block class.
func TestLongStrings(t *testing.T) {
	st := New(limits, keepAll)
	key := strings.Repeat("k", 5000)
	url := "https://shop/" + strings.Repeat("p", 9000)
	s := st.Touch(key, at(0), false).Session
	s.Update(&Info{UserID: strings.Repeat("u", 300), URL: url})
	s.AddPageView(PageView{NavigationID: "n", URL: url})
	r := only(t, st)
	assert.Equal(t, key, r.Key)
	assert.Equal(t, url, r.ExitPage)
	assert.Equal(t, url, r.Pages[0].URL)
	assert.True(t, st.Has(key))
	st.EndLeastRecent(1, EndShutdown, at(1))
	assert.Zero(t, st.urls.len())
}
