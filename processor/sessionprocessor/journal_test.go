// Copyright The otelcol-rum Authors
// SPDX-License-Identifier: Apache-2.0

package sessionprocessor

import (
	"context"
	"encoding/binary"
	"fmt"
	"hash/crc32"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"go.opentelemetry.io/otel/attribute"
	"go.opentelemetry.io/otel/sdk/metric/metricdata"

	"github.com/otelcol-rum/otelcol-rum/processor/sessionprocessor/internal/store"
)

// journaledWith is a journaled state on a new in-memory storage, with max_sessions set
// to maxSessions.
func journaledWith(t *testing.T, maxSessions int) (*journaled, *memStorage, *Config) {
	t.Helper()
	cfg := crashTestConfig()
	cfg.MaxSessions = maxSessions
	st := newMemStorage()
	return newJournaled(t, cfg, st, newFakeClock()), st, cfg
}

// segmentFrames decodes the segment seq in st.
func segmentFrames(t *testing.T, st *memStorage, seq uint64) (ended, records []string) {
	t.Helper()
	data, err := st.Get(context.Background(), segmentKey(seq))
	require.NoError(t, err)
	require.NotNil(t, data, "segment %d", seq)
	require.NoError(t, store.DecodeValue(data, store.KindSegment, func(f *store.Frame) {
		require.NoError(t, f.Err)
		if f.Ended != "" {
			ended = append(ended, f.Ended)
		} else {
			records = append(records, f.Record.Key)
		}
	}))
	return ended, records
}

// counterWith is the value of a counter for one set of attributes.
func counterWith(t *testing.T, h *journaled, name string, attrs ...attribute.KeyValue) int64 {
	t.Helper()
	m, err := h.tel.GetMetric(name)
	require.NoError(t, err)
	want := attribute.NewSet(attrs...)
	for _, dp := range m.Data.(metricdata.Sum[int64]).DataPoints {
		if dp.Attributes.Equals(&want) {
			return dp.Value
		}
	}
	return 0
}

func TestSegmentsHoldOnlyWhatChanged(t *testing.T) {
	h, st, _ := journaledWith(t, 100)
	for i := range 100 {
		h.send(fmt.Sprint("s", i))
	}
	h.j.writeChanges(context.Background(), h.clock.Now())
	_, recs := segmentFrames(t, st, 1)
	assert.Len(t, recs, 100)

	h.send("s7", "s42", "s7")
	// s0..s49 were active at +0..49 s, s7 and s42 again at +100..102 s: at +949 s,
	// those of s0..s49 that did not change since time out.
	h.c.expire(h.clock.Advance(15*time.Minute - 54*time.Second))
	h.j.writeChanges(context.Background(), h.clock.Now())
	ended, recs := segmentFrames(t, st, 2)
	assert.ElementsMatch(t, []string{"s7", "s42"}, recs, "only the sessions that changed")
	assert.Len(t, ended, 48)

	h.j.writeChanges(context.Background(), h.clock.Now())
	assert.Equal(t, []string{segmentKey(1), segmentKey(2)}, st.keys(), "nothing changed: nothing written")
	assert.Equal(t, int64(2), counterWith(t, h, "otelcol_processor_session_storage_writes",
		attribute.String("kind", "segment"), attribute.String("outcome", "success")))
	assert.Positive(t, counterWith(t, h, "otelcol_processor_session_storage_written", attribute.String("kind", "segment")))
}

func TestSegmentsAreSplitAtTheLimit(t *testing.T) {
	h, st, cfg := journaledWith(t, 100)
	h.j.segmentChanges = 4
	for i := range 10 {
		h.send(fmt.Sprint("s", i))
	}
	h.j.writeChanges(context.Background(), h.clock.Now())
	assert.Equal(t, []string{segmentKey(1), segmentKey(2), segmentKey(3)}, st.keys())
	again := newJournaled(t, cfg, st.copyOf(), newFakeClock())
	assert.Equal(t, h.sessions(), again.sessions())
}

// TestFailedSegmentIsRetriedUnderTheSameNumber: segments are numbered without gaps, since
// the state is read up to the first missing one.
func TestFailedSegmentIsRetriedUnderTheSameNumber(t *testing.T) {
	st := newMemStorage()
	h := newJournaled(t, crashTestConfig(), st, newFakeClock())
	h.send("a", "b")
	st.setBroken(true)
	h.j.writeChanges(context.Background(), h.clock.Now())
	assert.Empty(t, st.keys())
	assert.Equal(t, int64(1), counterWith(t, h, "otelcol_processor_session_storage_writes",
		attribute.String("kind", "segment"), attribute.String("outcome", "failure")))

	st.setBroken(false)
	h.send("c")
	h.j.writeChanges(context.Background(), h.clock.Now())
	_, recs := segmentFrames(t, st, 1)
	assert.ElementsMatch(t, []string{"a", "b", "c"}, recs, "the failed changes, with what changed since")
	again := newJournaled(t, crashTestConfig(), st.copyOf(), newFakeClock())
	assert.Equal(t, h.sessions(), again.sessions())
}

// TestStorageThatKeepsFailing: the ended keys that wait for a write are bounded; past the
// bound they are dropped and a snapshot takes their place once the storage works again.
func TestStorageThatKeepsFailing(t *testing.T) {
	h, st, cfg := journaledWith(t, 3)
	h.j.segmentChanges = 2
	h.send("a", "b", "c")
	h.j.writeChanges(context.Background(), h.clock.Now())
	st.setBroken(true)
	for i := range 8 { // each evicts one
		h.send(fmt.Sprint("x", i))
		h.j.tick(context.Background(), h.clock.Now())
	}
	var pending int
	h.c.withStore(func(s *store.Store) { pending = s.PendingEnded() })
	assert.LessOrEqual(t, pending, 3)
	assert.True(t, h.j.run != nil || h.j.snapshotSoon, "a snapshot replaces the dropped changes")

	st.setBroken(false)
	h.j.tick(context.Background(), h.clock.Now())
	h.j.tick(context.Background(), h.clock.Now())
	require.Nil(t, h.j.run)
	again := newJournaled(t, cfg, st.copyOf(), newFakeClock())
	assert.Equal(t, h.sessions(), again.sessions())
	assert.Equal(t, h.ownKeys(), st.keys())
}

func TestSnapshotsAreTakenWhenDue(t *testing.T) {
	h, st, cfg := journaledWith(t, 100)
	ctx := context.Background()
	h.send("a", "b", "c", "d", "e")
	h.j.tick(ctx, h.clock.Now())
	assert.Equal(t, uint64(0), h.j.committed.Generation, "5 changes, 5 sessions: no snapshot yet")
	h.send("a")
	h.j.tick(ctx, h.clock.Now())
	assert.Equal(t, uint64(1), h.j.committed.Generation, "the changes outnumber the sessions")
	assert.Equal(t, 5, h.j.committed.Sessions)
	assert.Equal(t, []string{manifestKey, chunkKey(1, 0), chunkKey(1, 1)}, st.keys(),
		"the segments the snapshot covers are gone")

	h.send("b")
	h.j.tick(ctx, h.clock.Now())
	assert.Equal(t, uint64(1), h.j.committed.Generation)
	h.clock.Advance(cfg.SnapshotInterval)
	h.j.tick(ctx, h.clock.Now())
	assert.Equal(t, uint64(2), h.j.committed.Generation, "snapshot_interval after the last one, with changes since")
	h.clock.Advance(2 * cfg.SnapshotInterval)
	h.j.tick(ctx, h.clock.Now())
	assert.Equal(t, uint64(2), h.j.committed.Generation, "nothing changed: no snapshot")
	assert.Equal(t, int64(2), counterWith(t, h, "otelcol_processor_session_storage_writes",
		attribute.String("kind", "snapshot"), attribute.String("outcome", "success")))
	assert.Equal(t, h.ownKeys(), st.keys())
}

// TestFailedDeletionIsRetried: what a snapshot replaced and could not delete (the storage
// refused) is deleted with what the next snapshot replaces, also after a restart, so
// that storage does not keep a whole snapshot for good after one failed write.
func TestFailedDeletionIsRetried(t *testing.T) {
	for _, restart := range []bool{false, true} {
		t.Run(fmt.Sprint("restart=", restart), func(t *testing.T) {
			h, st, cfg := journaledWith(t, 100)
			h.send("a", "b", "c", "d")
			h.j.writeChanges(context.Background(), h.clock.Now())
			h.snapshot(func(int) {})
			h.send("a", "e")
			h.j.writeChanges(context.Background(), h.clock.Now())
			st.setDeletesBroken(true)
			h.snapshot(func(int) {})
			st.setDeletesBroken(false)
			require.Equal(t, uint64(2), h.j.committed.Generation)
			assert.Contains(t, st.keys(), chunkKey(1, 0), "the deletion failed")

			if restart {
				h = newJournaled(t, cfg, st, newFakeClock())
			}
			h.send("f")
			h.j.writeChanges(context.Background(), h.clock.Now())
			h.snapshot(func(int) {})
			assert.Equal(t, h.ownKeys(), st.keys(), "the keys of the first snapshot are gone too")
		})
	}
}

// TestChunksBeyondACommittedSnapshotAreDeleted: a crash in the middle of a snapshot leaves
// its chunks behind; if deleting them at the next start fails, the next snapshot takes
// the same generation and may write fewer chunks over them (here: larger ones). The
// chunks beyond its count are not part of any state, and must go with the snapshot when
// it is replaced.
func TestChunksBeyondACommittedSnapshotAreDeleted(t *testing.T) {
	h, st, cfg := journaledWith(t, 100)
	h.send("a", "b", "c", "d", "e", "f", "g", "h", "i")
	h.j.writeChanges(context.Background(), h.clock.Now())
	h.j.beginSnapshot(h.clock.Now())
	h.j.snapshotStep(context.Background(), h.clock.Now())
	h.j.snapshotStep(context.Background(), h.clock.Now())
	require.Contains(t, st.keys(), chunkKey(1, 1), "two chunks of snapshot 1, then the crash")

	crashed := st.copyOf()
	crashed.setDeletesBroken(true)
	h = newJournaled(t, cfg, crashed, newFakeClock())
	crashed.setDeletesBroken(false)
	h.j.chunkSessions = 100
	h.snapshot(func(int) {})
	require.Equal(t, uint64(1), h.j.committed.Generation, "the generation the crash left unfinished")
	require.Equal(t, 1, h.j.committed.Chunks)

	h.send("j")
	h.j.writeChanges(context.Background(), h.clock.Now())
	h.snapshot(func(int) {})
	assert.Equal(t, h.ownKeys(), crashed.keys(), "no chunk of snapshot 1 is left")
}

func TestLegacyCheckpointIsReadOnce(t *testing.T) {
	data, err := os.ReadFile(filepath.Join("internal", "store", "testdata", "checkpoint-v1.json"))
	require.NoError(t, err)
	st := newMemStorage()
	require.NoError(t, st.Set(context.Background(), legacyCheckpointKey, data))
	h := newJournaled(t, crashTestConfig(), st, newFakeClock())
	recs := h.sessions()
	require.Len(t, recs, 2)
	assert.Equal(t, "b-2", recs[1].ID)
	assert.Equal(t, int64(2), counterWith(t, h, "otelcol_processor_session_restored"))

	h.send("a")
	assert.Empty(t, eventsNamed(h.events, "session.start"), "the saved session continues")
	h.j.tick(context.Background(), h.clock.Now())
	assert.Equal(t, uint64(1), h.j.committed.Generation, "written the new way at the first tick")
	assert.NotContains(t, st.keys(), legacyCheckpointKey, "then the old value is deleted")
	again := newJournaled(t, crashTestConfig(), st.copyOf(), newFakeClock())
	assert.Equal(t, h.sessions(), again.sessions())

	broken := newMemStorage()
	require.NoError(t, broken.Set(context.Background(), legacyCheckpointKey, []byte(`{"version":1,"sessions":[`)))
	h = newJournaled(t, crashTestConfig(), broken, newFakeClock())
	assert.Empty(t, h.sessions())
	assert.Empty(t, broken.keys(), "an unreadable old checkpoint is discarded")
}

// TestSessionsBeyondMaxSessionsAreNotRestored: the least recently active saved sessions
// beyond max_sessions end, with reason not_restored, at the first check.
func TestSessionsBeyondMaxSessionsAreNotRestored(t *testing.T) {
	h, st, _ := journaledWith(t, 5)
	h.send("s0", "s1", "s2", "s3", "s4")
	h.j.writeChanges(context.Background(), h.clock.Now())

	cfg2 := crashTestConfig()
	cfg2.MaxSessions = 3
	after := newJournaled(t, cfg2, st, newFakeClock())
	assert.Len(t, after.sessions(), 3)
	after.c.expire(after.clock.Now())
	ends := eventsNamed(after.events, "session.end")
	require.Len(t, ends, 2)
	for i, e := range ends {
		assert.Equal(t, fmt.Sprint("s", i), attr(t, e.Attributes(), "session.id").Str(), "the least recently active")
		assert.Equal(t, "not_restored", attr(t, e.Attributes(), "session.end_reason").Str())
		assert.Equal(t, int64(1), attr(t, e.Attributes(), "session.page_views").Int(), "with what it had")
	}
	assert.Equal(t, int64(2), counterWith(t, after, "otelcol_processor_session_ended", attribute.String("reason", "not_restored")))
	after.j.writeChanges(context.Background(), after.clock.Now())
	ended, _ := segmentFrames(t, st, 2)
	assert.ElementsMatch(t, []string{"s0", "s1"}, ended, "and leave storage")
}

// damagedSegment is a segment with three sessions: ok, one whose record cannot be read
// but names it (a flag of a newer format), and one whose checksum does not match.
func damagedSegment() []byte {
	enc := store.NewEncoder(store.KindSegment)
	header := len(enc.Bytes())
	for _, key := range []string{"ok", "newer", "garbled"} {
		enc.Record(&store.Record{Key: key, ID: key, Start: 1, LastActivity: 1})
	}
	data := append([]byte(nil), enc.Bytes()...)
	frames := data[header:]
	var starts []int
	for off := 0; off < len(frames); {
		n, size := binary.Uvarint(frames[off:])
		starts = append(starts, off+size)
		off += size + int(n) + 4
	}
	crc := crc32.MakeTable(crc32.Castagnoli)
	newer := frames[starts[1]:]
	n, _ := binary.Uvarint(frames[starts[1]-1:])
	newer[1] |= 1 << 7 // payload: 's', flags
	binary.LittleEndian.PutUint32(newer[n:], crc32.Checksum(newer[:n], crc))
	frames[starts[2]+1] |= 1 << 7 // no checksum fix: garbled
	return data
}

func TestDamagedSessionsAreNotRestored(t *testing.T) {
	st := newMemStorage()
	require.NoError(t, st.Set(context.Background(), segmentKey(1), damagedSegment()))
	h := newJournaled(t, crashTestConfig(), st, newFakeClock())
	recs := h.sessions()
	require.Len(t, recs, 1)
	assert.Equal(t, "ok", recs[0].Key)
	h.c.expire(h.clock.Now())
	ends := eventsNamed(h.events, "session.end")
	require.Len(t, ends, 1, "the session known by its id ends; nothing is known of the garbled one")
	assert.Equal(t, "newer", attr(t, ends[0].Attributes(), "session.id").Str())
	assert.Equal(t, "not_restored", attr(t, ends[0].Attributes(), "session.end_reason").Str())
	assert.Equal(t, int64(2), counterWith(t, h, "otelcol_processor_session_ended", attribute.String("reason", "not_restored")),
		"both are counted")
	assert.True(t, h.j.snapshotSoon, "a snapshot soon leaves the damaged values behind")

	// A damaged record after a readable one of the same session keeps the readable one.
	st2 := newMemStorage()
	enc := store.NewEncoder(store.KindSegment)
	enc.Record(&store.Record{Key: "newer", ID: "newer", Start: 1, LastActivity: 1, Errors: 3})
	require.NoError(t, st2.Set(context.Background(), segmentKey(1), enc.Bytes()))
	require.NoError(t, st2.Set(context.Background(), segmentKey(2), damagedSegment()))
	h2 := newJournaled(t, crashTestConfig(), st2, newFakeClock())
	recs = h2.sessions()
	require.Len(t, recs, 2)
	assert.Equal(t, uint32(3), recs[0].Errors)
	assert.Empty(t, h2.c.pendingEnds)
}

func TestUnreadableManifestStartsOver(t *testing.T) {
	st := newMemStorage()
	h := newJournaled(t, crashTestConfig(), st, newFakeClock())
	h.send("a")
	h.j.writeChanges(context.Background(), h.clock.Now())
	require.NoError(t, st.Set(context.Background(), manifestKey, []byte(`{"version":1,"chunks":-3}`)))

	after := newJournaled(t, crashTestConfig(), st, newFakeClock())
	assert.Empty(t, after.sessions())
	assert.NotEqual(t, uint64(1), after.j.nextSeq, "new segments are numbered away from the old ones")
	after.send("b")
	after.j.tick(context.Background(), after.clock.Now())
	require.Nil(t, after.j.run)
	again := newJournaled(t, crashTestConfig(), st.copyOf(), newFakeClock())
	assert.Equal(t, after.sessions(), again.sessions())
	assert.Len(t, again.sessions(), 1)
}

func TestFlushWithStorageWritesTheLastChanges(t *testing.T) {
	st := newMemStorage()
	h := newJournaled(t, crashTestConfig(), st, newFakeClock())
	h.send("a", "b")
	h.c.Flush(context.Background())
	assert.Empty(t, eventsNamed(h.events, "session.end"), "with storage, sessions do not end at shutdown")
	again := newJournaled(t, crashTestConfig(), st.copyOf(), newFakeClock())
	assert.Equal(t, h.sessions(), again.sessions())
	assert.Len(t, again.sessions(), 2)
}

func TestManifestValidation(t *testing.T) {
	for name, data := range map[string]string{
		"version":   `{"version":2,"wal_from":1}`,
		"chunks":    `{"version":1,"chunks":2000000,"wal_from":1}`,
		"wal from":  `{"version":1}`,
		"previous":  `{"version":1,"generation":2,"wal_from":5,"previous":{"generation":3,"wal_from":1}}`,
		"not json":  `manifest`,
		"negative":  `{"version":1,"wal_from":1,"sessions":-1}`,
		"prev wal":  `{"version":1,"generation":2,"wal_from":5,"previous":{"generation":1,"wal_from":9}}`,
		"prev zero": `{"version":1,"generation":2,"wal_from":5,"previous":{"generation":1,"wal_from":0}}`,
	} {
		t.Run(name, func(t *testing.T) {
			_, err := decodeManifest([]byte(data))
			assert.Error(t, err)
		})
	}
	m := manifest{Version: manifestVersion, Generation: 3, Chunks: 2, Sessions: 7, WALFrom: 9, Previous: &snapshotRef{Generation: 2, Chunks: 1, WALFrom: 4}}
	data, err := m.encode()
	require.NoError(t, err)
	got, err := decodeManifest(data)
	require.NoError(t, err)
	assert.Equal(t, m, got)
}

// FuzzDecodeManifest: no input makes the manifest reader panic, and what it accepts is
// within the bounds the restore relies on.
func FuzzDecodeManifest(f *testing.F) {
	f.Add([]byte(`{"version":1,"generation":3,"chunks":2,"sessions":7,"wal_from":9,"previous":{"generation":2,"chunks":1,"wal_from":4}}`))
	f.Add([]byte(`{"version":1,"wal_from":1}`))
	f.Add([]byte(`{"version":1,"chunks":-1,"wal_from":1}`))
	f.Fuzz(func(t *testing.T, data []byte) {
		m, err := decodeManifest(data)
		if err != nil {
			return
		}
		require.GreaterOrEqual(t, m.Chunks, 0)
		require.LessOrEqual(t, m.Chunks, maxManifestChunks)
		require.Positive(t, m.WALFrom)
	})
}

// TestDataBeforeTheFirstCheckDoesNotRevive: data of a restored session whose inactivity
// timeout passed while the collector was down, arriving before the first check, is late
// data of a session that timed out, as it would have been had the collector kept running;
// it does not continue the session.
func TestDataBeforeTheFirstCheckDoesNotRevive(t *testing.T) {
	st := newMemStorage()
	clock := newFakeClock()
	h := newJournaled(t, crashTestConfig(), st, clock)
	h.send("idle")
	lastIdle := clock.Now().Add(-time.Second)
	h.j.writeChanges(context.Background(), clock.Now())

	clock.Advance(20 * time.Minute) // down for longer than inactivity_timeout
	after := newJournaled(t, crashTestConfig(), st.copyOf(), clock)
	after.send("idle")
	ends := eventsNamed(after.events, "session.end")
	require.Len(t, ends, 1, "the session ended when its data came")
	assert.Equal(t, "timeout", attr(t, ends[0].Attributes(), "session.end_reason").Str())
	assert.Equal(t, lastIdle.UnixNano(), int64(ends[0].Timestamp()), "at its real last activity")
	assert.Empty(t, eventsNamed(after.events, "session.start"), "the data is late: no new session")
	assert.Equal(t, int64(1), counterWith(t, after, "otelcol_processor_session_late_records"))
}

// TestSessionsThatRanOutWhileDownEndAtTheFirstCheck: a session restored after its
// inactivity timeout passed ends with reason timeout and its real last activity.
func TestSessionsThatRanOutWhileDownEndAtTheFirstCheck(t *testing.T) {
	st := newMemStorage()
	clock := newFakeClock()
	h := newJournaled(t, crashTestConfig(), st, clock)
	h.send("idle", "busy")
	lastIdle := clock.Now().Add(-2 * time.Second) // send advances a second after each
	h.j.writeChanges(context.Background(), clock.Now())

	clock.Advance(14 * time.Minute) // down for 14 minutes
	after := newJournaled(t, crashTestConfig(), st.copyOf(), clock)
	after.send("busy")
	after.c.expire(clock.Advance(time.Minute + 500*time.Millisecond))
	ends := eventsNamed(after.events, "session.end")
	require.Len(t, ends, 1)
	assert.Equal(t, "idle", attr(t, ends[0].Attributes(), "session.id").Str())
	assert.Equal(t, "timeout", attr(t, ends[0].Attributes(), "session.end_reason").Str())
	assert.Equal(t, lastIdle.UnixNano(), int64(ends[0].Timestamp()), "its real last activity")
	assert.Empty(t, eventsNamed(after.events, "session.start"), "busy continues")
}
