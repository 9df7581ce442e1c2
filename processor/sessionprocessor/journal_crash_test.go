// Copyright The otelcol-rum Authors
// SPDX-License-Identifier: Apache-2.0

package sessionprocessor

import (
	"cmp"
	"context"
	"fmt"
	"slices"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"go.opentelemetry.io/collector/component/componenttest"
	"go.opentelemetry.io/collector/consumer/consumertest"
	"go.opentelemetry.io/collector/pdata/pcommon"

	"github.com/otelcol-rum/otelcol-rum/processor/sessionprocessor/internal/metadatatest"
	"github.com/otelcol-rum/otelcol-rum/processor/sessionprocessor/internal/store"
)

// journaled is a session state with a journal on an in-memory storage, restored from it
// as at start, with tiny snapshot chunks so that a few sessions make several. Tests drive
// the journal's steps themselves.
type journaled struct {
	t      *testing.T
	c      *sessionProcessor
	j      *journal
	st     *memStorage
	clock  *fakeClock
	tel    *componenttest.Telemetry
	events *consumertest.LogsSink
	pages  int
}

func newJournaled(t *testing.T, cfg *Config, st *memStorage, clock *fakeClock) *journaled {
	t.Helper()
	tel := componenttest.NewTelemetry()
	t.Cleanup(func() { require.NoError(t, tel.Shutdown(context.Background())) })
	c, err := newSessionProcessor(cfg, metadatatest.NewSettings(tel))
	require.NoError(t, err)
	c.now = clock.Now
	events := new(consumertest.LogsSink)
	c.setEventConsumer(events)
	j := newJournal(c, st)
	j.chunkSessions = 3
	c.withStore(func(s *store.Store) { s.TrackChanges() })
	require.NoError(t, j.restore(context.Background(), clock.Now()))
	c.journal = j
	return &journaled{t: t, c: c, j: j, st: st, clock: clock, tel: tel, events: events}
}

// send gives each session a page view, a second apart.
func (h *journaled) send(ids ...string) {
	h.t.Helper()
	for _, id := range ids {
		h.pages++
		nav := logRecordSpec{
			event: "faro.performance.navigation", navID: fmt.Sprint("n", h.pages), url: fmt.Sprint("https://shop/", h.pages),
			traceID: pcommon.TraceID{byte(h.pages), 1},
		}
		_, err := h.c.processLogs(context.Background(), sessionLogs(id, nav))
		require.NoError(h.t, err)
		h.clock.Advance(time.Second)
	}
}

// savedState is what a restart must find: the open sessions and the tombstones that
// have not run out.
type savedState struct {
	sessions   []store.Record
	tombstones map[string]store.Tombstone
}

func (h *journaled) state() savedState {
	return savedState{sessions: h.sessions(), tombstones: tombstonesOf(h.c)}
}

// at is the state as of t: tombstones that ran out by then are left out (the store
// sweeps them at its next check, which may not have come yet).
func (s savedState) at(t time.Time) savedState {
	var live map[string]store.Tombstone
	for key, tomb := range s.tombstones {
		if tomb.Until > t.UnixNano() {
			if live == nil {
				live = map[string]store.Tombstone{}
			}
			live[key] = tomb
		}
	}
	return savedState{sessions: s.sessions, tombstones: live}
}

// sessions is every open session, by key.
func (h *journaled) sessions() []store.Record {
	recs := openRecords(h.c)
	if len(recs) == 0 {
		return nil
	}
	slices.SortFunc(recs, func(a, b store.Record) int { return cmp.Compare(a.Key, b.Key) })
	return recs
}

// snapshot runs a whole snapshot, calling between after each of its steps.
func (h *journaled) snapshot(between func(step int)) {
	h.j.beginSnapshot(h.clock.Now())
	for step := 0; h.j.run != nil; step++ {
		h.j.snapshotStep(context.Background(), h.clock.Now())
		between(step)
	}
}

// ownKeys is every key the journal's committed state is made of.
func (h *journaled) ownKeys() []string {
	keys := []string{manifestKey}
	for i := range h.j.committed.Chunks {
		keys = append(keys, chunkKey(h.j.committed.Generation, i))
	}
	for seq := h.j.committed.WALFrom; seq < h.j.nextSeq; seq++ {
		keys = append(keys, segmentKey(seq))
	}
	slices.Sort(keys)
	return keys
}

func crashTestConfig() *Config {
	cfg := testConfig()
	cfg.MaxSessions = 12
	cfg.Storage = &storageID
	return cfg
}

// crashScenario runs sessions that change, end (evicted, timed out) and come back (same
// key, new session, or late data), with segments after every change and two snapshots
// during which sessions change, on st. It returns the state the storage must give back
// to a start at the returned time: the sessions and tombstones as they were when the last
// segment that st accepted was written.
func crashScenario(t *testing.T, st *memStorage) (savedState, time.Time) {
	h := newJournaled(t, crashTestConfig(), st, newFakeClock())
	var want savedState
	write := func() {
		h.j.writeChanges(context.Background(), h.clock.Now())
		if !st.crashed() {
			want = h.state()
		}
	}
	ids := func(from, to int) []string {
		var out []string
		for i := from; i < to; i++ {
			out = append(out, fmt.Sprint("s", i))
		}
		return out
	}
	h.send(ids(0, 10)...)
	write()
	h.send("s1", "s2", "s10", "s11", "s12") // s12 evicts s0
	h.send("s0")                            // s0 again, a new session; evicts s3
	write()
	h.snapshot(func(step int) {
		switch step {
		case 0:
			h.send("s4", "s13") // a change, and an eviction
		case 1:
			h.send("s3") // an evicted key comes back
		case 2:
			h.send("s5", "s5")
		}
		write()
	})
	h.send("s6", "s14")
	write()
	// All but s6 and s14 time out; s1 then sends late data, s20 opens.
	h.c.expire(h.clock.Advance(15*time.Minute - 3*time.Second))
	write()
	h.send("s1", "s20")
	write()
	h.snapshot(func(step int) {
		switch step {
		case 1:
			h.send("s14")
		case 3:
			h.c.expire(h.clock.Advance(15 * time.Minute)) // the rest time out during the snapshot
		}
		write()
	})
	h.send("s8")
	write()
	return want, h.clock.Now()
}

// TestCrashAtEveryWrite stops the storage after each of the writes of crashScenario in
// turn (segments, snapshot chunks, manifests, deletions), as a kill -9 would, and
// restores from what it holds: the restored sessions are exactly those of the last
// segment written. Then the restored state goes on, takes a snapshot and is restored
// again, and the storage holds nothing but that state: a crash leaves no garbage behind
// for good.
func TestCrashAtEveryWrite(t *testing.T) {
	complete := newMemStorage()
	crashScenario(t, complete)
	total := complete.writes
	require.GreaterOrEqual(t, total, 20, "the scenario should write segments, chunks, manifests and deletions")

	for crashAfter := 0; crashAfter <= total; crashAfter++ {
		t.Run(fmt.Sprint("after-", crashAfter), func(t *testing.T) {
			st := newMemStorage()
			st.crashAfter = crashAfter
			want, end := crashScenario(t, st)
			restartClock := func() *fakeClock { c := newFakeClock(); c.now = end; return c }

			after := st.copyOf()
			h := newJournaled(t, crashTestConfig(), after, restartClock())
			require.Equal(t, want.at(end), h.state().at(end))
			assert.Empty(t, h.c.pendingEnds, "every saved session was restored")

			h.clock.Advance(time.Minute)
			h.send("s1", "s20")
			h.j.writeChanges(context.Background(), h.clock.Now())
			h.snapshot(func(int) {})
			require.Nil(t, h.j.run)
			assert.Equal(t, h.ownKeys(), after.keys(), "nothing else is left in storage")

			again := newJournaled(t, crashTestConfig(), after.copyOf(), restartClock())
			assert.Equal(t, h.state().at(end), again.state().at(end))
		})
	}
}
