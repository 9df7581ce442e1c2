// Copyright The otelcol-rum Authors
// SPDX-License-Identifier: Apache-2.0

package store

import (
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestLabelsChangeOneAtATime: the app, environment and browser are interned together, but
// a record that tells one of them changes only that one, and the combinations the session
// left go from the table.
func TestLabelsChangeOneAtATime(t *testing.T) {
	st := New(limits, keepAll)
	s := st.Touch("k", at(0), false).Session
	labels := func() []string { return []string{s.App(), s.Environment(), s.Browser()} }
	assert.Equal(t, []string{"", "", ""}, labels())
	assert.Zero(t, st.labels.len(), "no labels, no entry")

	s.Update(&Info{App: "shop", Browser: "Firefox"})
	assert.Equal(t, []string{"shop", "", "Firefox"}, labels())
	s.Update(&Info{Environment: "prod"})
	assert.Equal(t, []string{"shop", "prod", "Firefox"}, labels())
	s.Update(&Info{App: "shop-2", URL: "https://shop/"})
	assert.Equal(t, []string{"shop-2", "prod", "Firefox"}, labels())
	s.Update(&Info{App: "shop-2", Environment: "prod"})
	assert.Equal(t, []string{"shop-2", "prod", "Firefox"}, labels())
	assert.Equal(t, 1, st.labels.len(), "only the session's combination is kept")

	// Another session with the same labels shares the entry.
	o := st.Touch("o", at(0), false).Session
	o.Update(&Info{App: "shop-2", Environment: "prod", Browser: "Firefox"})
	assert.Equal(t, 1, st.labels.len())
	require.Len(t, st.EndLeastRecent(2, EndShutdown, at(1)), 2)
	assert.Zero(t, st.labels.len())
}

// TestLabelsKeepTheirBytes: labels with bytes that could delimit them, or long enough for
// a two-byte length, come back as they were, through a saved record too.
func TestLabelsKeepTheirBytes(t *testing.T) {
	st := New(limits, keepAll)
	s := st.Touch("k", at(0), false).Session
	app, env, browser := "a\x00b\x01", strings.Repeat("e", 300), "\xff"
	s.Update(&Info{App: app, Environment: env, Browser: browser})
	assert.Equal(t, []string{app, env, browser}, []string{s.App(), s.Environment(), s.Browser()})

	r := st.record(s.i, true)
	assert.Equal(t, []string{app, env, browser}, []string{r.App, r.Environment, r.Browser})
	restored := New(limits, keepAll)
	i := restored.fromRecord(&r)
	again := restored.record(i, true)
	assert.Equal(t, []string{app, env, browser}, []string{again.App, again.Environment, again.Browser})
}
