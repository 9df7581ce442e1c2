// Copyright The otelcol-rum Authors
// SPDX-License-Identifier: Apache-2.0

package sessionprocessor

import (
	"context"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// shortSessions is crashTestConfig with sessions short enough to reach max_duration in a
// test: one minute of inactivity, two in all.
func shortSessions() *Config {
	cfg := crashTestConfig()
	cfg.InactivityTimeout = time.Minute
	cfg.MaxDuration = 2 * time.Minute
	return cfg
}

// TestEndedSessionsOutliveARestart: what the store remembers of a session that ended
// by timeout or max_duration (for one inactivity_timeout: that its late data must not
// reopen it, and the id and sampling decision its continuation follows) is saved like
// the sessions, in segments and in snapshots, so that a restart in between does not give
// a continuation the id of the session it continues, nor turn late data into a new
// session.
func TestEndedSessionsOutliveARestart(t *testing.T) {
	for _, snapshot := range []bool{false, true} {
		name := "segments"
		if snapshot {
			name = "snapshot"
		}
		t.Run(name, func(t *testing.T) {
			st := newMemStorage()
			clock := newFakeClock()
			cfg := shortSessions()
			h := newJournaled(t, cfg, st, clock)
			h.send("long", "idle") // long at +0 s, idle at +1 s
			for range 4 {
				clock.Advance(25 * time.Second)
				h.send("long") // long stays active
			}
			h.c.expire(clock.Advance(15 * time.Second)) // +2 min 1 s: long reached max_duration, idle timed out
			ends := eventsNamed(h.events, "session.end")
			require.Len(t, ends, 2)
			h.j.writeChanges(context.Background(), clock.Now())
			if snapshot {
				h.snapshot(func(int) {})
				require.Empty(t, st.keysWithPrefix("wal/"), "the segments with the ends are gone")
			}

			clock.Advance(10 * time.Second) // restarted within the inactivity timeout
			after := newJournaled(t, cfg, st.copyOf(), clock)
			after.send("long", "idle")
			starts := eventsNamed(after.events, "session.start")
			require.Len(t, starts, 1, "idle's data is late: it does not open a session")
			assert.Equal(t, "long-2", attr(t, starts[0].Attributes(), "session.id").Str(), "the continuation's id")
			assert.Equal(t, "long", attr(t, starts[0].Attributes(), "session.previous_id").Str())
			assert.Equal(t, int64(1), counterWith(t, after, "otelcol_processor_session_late_records"))
		})
	}
}
