// Copyright The otelcol-rum Authors
// SPDX-License-Identifier: Apache-2.0

package store

import (
	"fmt"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
)

// FuzzViews drives one session's views with navigations (hard and soft, with and
// without ids, at any time and in any order, repeated), record times and errors, under
// small path lengths and reorder windows: nothing panics, the views kept stay bounded,
// every view's event goes out at most once with an index below the count of views, and
// once the session ends every URL reference it held is given back.
func FuzzViews(f *testing.F) {
	f.Add([]byte{0, 1, 2, 3, 4, 5, 6, 7, 8, 9}, uint8(0), uint8(0))
	f.Add([]byte{200, 3, 3, 3, 17, 90, 1, 250, 33, 0, 12, 12}, uint8(1), uint8(5))
	f.Add([]byte("a route change every millisecond, and back"), uint8(3), uint8(255))
	f.Fuzz(func(t *testing.T, ops []byte, pathLength, window uint8) {
		limits := Limits{InactivityTimeout: time.Hour, MaxDuration: 4 * time.Hour, MaxSessions: 2,
			PathLength: int(pathLength % 4), ReorderWindow: time.Duration(window) * time.Millisecond}
		st := New(limits, keepAll)
		st.CollectViewEvents()
		s := st.Touch("s", at(0), false).Session
		var events []ViewEvent
		for k, op := range ops {
			ms := int64(op&0x3f) * int64(time.Millisecond)
			switch op >> 6 {
			case 0, 1:
				s.AddPageView(PageView{URL: fmt.Sprint("https://shop/", op%7), Start: sec(0) + ms, Soft: true, Type: NavigationType(op % 6), Inferred: op%2 == 0})
			case 2:
				s.AddPageView(PageView{NavigationID: fmt.Sprint("n", op%3), URL: fmt.Sprint("https://shop/h", op%5), Start: sec(0) + ms})
			default:
				s.Observe(sec(0) + ms*int64(k+1))
				if v := s.ViewAt(sec(0)+ms, op%2 == 0); v.Valid() {
					v.AddError()
				}
			}
			events = append(events, st.TakeViewEvents()...)
			require.LessOrEqual(t, int(st.sessions.at(s.i).nPages), limits.PathLength+MaxPageViewsKept)
		}
		views := s.Views()
		st.EndLeastRecent(1, EndShutdown, at(1))
		events = append(events, st.TakeViewEvents()...)
		require.LessOrEqual(t, len(events), int(views))
		seen := map[uint32]bool{}
		for _, e := range events {
			require.Less(t, e.Index, views)
			require.False(t, seen[e.Index], "index %d twice", e.Index)
			seen[e.Index] = true
			require.GreaterOrEqual(t, e.End, e.Start)
		}
		require.Zero(t, st.urls.len(), "URL references left behind")
		require.Zero(t, st.open)
	})
}
