// Copyright The otelcol-rum Authors
// SPDX-License-Identifier: Apache-2.0

package sessionprocessor // import "github.com/otelcol-rum/otelcol-rum/processor/sessionprocessor"

import (
	"context"
	"time"

	"go.opentelemetry.io/collector/extension/xextension/storage"
	"go.opentelemetry.io/otel/attribute"
	"go.opentelemetry.io/otel/metric"
	"go.uber.org/zap"

	"github.com/otelcol-rum/otelcol-rum/processor/sessionprocessor/internal/store"
)

// Bounds of one value written to storage: a segment holds at most segmentChanges
// changes, a snapshot chunk at most snapshotChunkSessions sessions, so that the memory a
// write needs (the copy, the encoding) does not grow with the open sessions, and the
// pipelines wait at most for the copy of one chunk.
const (
	segmentChanges        = 5000
	snapshotChunkSessions = 5000
)

// journal keeps the sessions in storage so that a restart, or a crash, loses at most
// about one checkpoint_interval of changes. Every checkpoint_interval it writes one
// write-ahead segment with the sessions that changed and the keys of those that ended
// (work in proportion to the changes); less often it writes a full snapshot in chunks,
// then the manifest that names it, then deletes what the snapshot replaced. The storage
// API has no key listing, so every key is found from the manifest: segments are numbered
// without gaps (a failed write is retried under the same number), and the state is the
// snapshot followed by the segments from the manifest's WALFrom up to the first missing.
//
// A journal is used by one goroutine at a time: the persist loop, then Flush.
type journal struct {
	p      *sessionProcessor
	client storage.Client
	enc    *store.Encoder

	// committed is the manifest in storage.
	committed manifest
	// nextSeq is the number of the next segment; nextGen that of the next snapshot (a
	// generation is used up once a chunk of it was written).
	nextSeq, nextGen uint64
	// run is the snapshot being written, if any.
	run *snapshotRun

	// changesSinceSnapshot counts the changes written since the last snapshot began;
	// lastSnapshot is when it began. snapshotSoon asks for a snapshot at the next tick.
	changesSinceSnapshot int
	lastSnapshot         time.Time
	snapshotSoon         bool
	// legacy is set while the old single-value checkpoint is still in storage: it is
	// deleted once a snapshot holds its sessions.
	legacy bool
	// failing is set after a failed write, so that a broken storage is logged once
	// until it recovers rather than at every tick.
	failing bool
	// uncollected is the oldest snapshot whose keys (its chunks, and the segments from
	// its WALFrom on) may still be in storage because deleting them failed. The next
	// manifest names it as the previous snapshot, so that its commit deletes them along
	// with what it replaces; nil when nothing is left behind.
	uncollected *snapshotRef

	segmentChanges, chunkSessions int
}

// snapshotRun is a snapshot in progress: chunks are written one by one, each a copy of
// the next share of the store's slots, then of its tombstones, with the lock taken per
// chunk.
type snapshotRun struct {
	gen     uint64
	walFrom uint64
	// from is the slot to continue at; once the sessions are done, tombstonesFrom is the
	// tombstone to continue at.
	from           int
	sessionsDone   bool
	tombstonesFrom uint64
	chunks         int
	sessions       int
}

func newJournal(p *sessionProcessor, client storage.Client) *journal {
	return &journal{
		p: p, client: client, enc: store.NewEncoder(store.KindSegment),
		committed: initialManifest(), nextSeq: 1, nextGen: 1,
		segmentChanges: segmentChanges, chunkSessions: snapshotChunkSessions,
	}
}

// Self-telemetry attribute sets, built once.
var (
	writeAttrs = map[string]map[bool]metric.AddOption{
		writeSegment:  {true: writeAttr(writeSegment, "success"), false: writeAttr(writeSegment, "failure")},
		writeSnapshot: {true: writeAttr(writeSnapshot, "success"), false: writeAttr(writeSnapshot, "failure")},
	}
	bytesAttrs = map[string]metric.AddOption{
		writeSegment:  metric.WithAttributeSet(attribute.NewSet(attribute.String("kind", writeSegment))),
		writeSnapshot: metric.WithAttributeSet(attribute.NewSet(attribute.String("kind", writeSnapshot))),
	}
)

const (
	writeSegment  = "segment"
	writeSnapshot = "snapshot"
)

func writeAttr(kind, outcome string) metric.AddOption {
	return metric.WithAttributeSet(attribute.NewSet(attribute.String("kind", kind), attribute.String("outcome", outcome)))
}

// tick writes the changes, then takes a step of the snapshot if one is due or under
// way: as many chunks as fit in half a checkpoint_interval (at least one), so that a
// snapshot of many sessions does not hold back the next segment.
func (j *journal) tick(ctx context.Context, now time.Time) {
	j.writeChanges(ctx, now)
	if j.run == nil && j.snapshotDue(now) {
		j.beginSnapshot(now)
	}
	deadline := time.Now().Add(j.p.cfg.CheckpointInterval / 2)
	for j.run != nil {
		j.snapshotStep(ctx, now)
		if time.Now().After(deadline) {
			return
		}
	}
}

// writeChanges writes what changed since the last call as segments of at most
// segmentChanges changes each. A failed write gives its changes back to the store, to be
// written again under the same number with what changes meanwhile.
func (j *journal) writeChanges(ctx context.Context, now time.Time) {
	for more := true; more; {
		var ch store.Changes
		j.p.withStore(func(st *store.Store) { ch, more = st.TakeChanges(j.segmentChanges) })
		if ch.Len() == 0 {
			return
		}
		j.enc.Reset(store.KindSegment)
		for i := range ch.Ended {
			j.enc.Gone(&ch.Ended[i])
		}
		for i := range ch.Records {
			j.enc.Record(&ch.Records[i])
		}
		if err := j.set(ctx, writeSegment, segmentKey(j.nextSeq), j.enc.Bytes()); err != nil {
			j.giveBack(ch, now)
			return
		}
		j.nextSeq++
		j.changesSinceSnapshot += ch.Len()
	}
}

// giveBack returns the changes of a failed segment to the store. If the storage stays
// broken, the ended keys would pile up: past max_sessions of them, the changes are
// dropped and a snapshot started instead, which holds the whole state once it succeeds.
func (j *journal) giveBack(ch store.Changes, now time.Time) {
	overflow := false
	j.p.withStore(func(st *store.Store) {
		st.GiveBack(ch)
		if st.PendingEnded() > max(j.p.cfg.MaxSessions, j.segmentChanges) {
			st.DiscardChanges()
			overflow = true
		}
	})
	if overflow {
		j.p.set.Logger.Error("storage kept failing: pending session changes dropped, a full snapshot will replace them")
		j.run = nil
		j.beginSnapshot(now)
	}
}

// snapshotDue says whether to start a snapshot: when the changes written since the last
// one outnumber the open sessions (so restoring reads at most about twice the state) and
// a chunk's worth (so that a few open sessions do not make a snapshot every few ticks),
// or snapshot_interval after the last one if anything changed since (so the segments to
// replay stay few), or when asked to.
func (j *journal) snapshotDue(now time.Time) bool {
	if j.snapshotSoon {
		return true
	}
	var open int
	j.p.withStore(func(st *store.Store) { open = st.Len() })
	if j.changesSinceSnapshot > max(open, j.chunkSessions) {
		return true
	}
	return j.changesSinceSnapshot > 0 && now.Sub(j.lastSnapshot) >= j.p.cfg.SnapshotInterval
}

// beginSnapshot starts a snapshot. Its segments start at the next segment: every change
// made before now is either in an earlier segment and in the snapshot's copy (which is
// taken later), or still pending and so written to a segment from nextSeq on.
func (j *journal) beginSnapshot(now time.Time) {
	j.run = &snapshotRun{gen: j.nextGen, walFrom: j.nextSeq}
	j.changesSinceSnapshot = 0
	j.lastSnapshot = now
	j.snapshotSoon = false
}

// snapshotStep writes the next chunk of the snapshot under way, and the manifest after
// the last one.
func (j *journal) snapshotStep(ctx context.Context, now time.Time) {
	r := j.run
	var recs []store.Record
	var gone []store.Gone
	var done bool
	j.p.withStore(func(st *store.Store) {
		if !r.sessionsDone {
			recs, r.from, r.sessionsDone = st.SnapshotChunk(r.from, j.chunkSessions)
		}
		if r.sessionsDone && len(recs) < j.chunkSessions {
			gone, r.tombstonesFrom, done = st.SnapshotTombstones(r.tombstonesFrom, j.chunkSessions-len(recs))
		}
	})
	if len(recs)+len(gone) > 0 {
		j.enc.Reset(store.KindChunk)
		for i := range recs {
			j.enc.Record(&recs[i])
		}
		for i := range gone {
			j.enc.Gone(&gone[i])
		}
		if err := j.set(ctx, writeSnapshot, chunkKey(r.gen, r.chunks), j.enc.Bytes()); err != nil {
			j.abortSnapshot()
			return
		}
		r.chunks++
		r.sessions += len(recs)
		// Chunks of this generation are in storage now: a later snapshot must not
		// write over them while a manifest might name them.
		j.nextGen = r.gen + 1
	}
	if done {
		j.commit(ctx, now)
	}
}

// commit writes the manifest of the finished snapshot, then deletes what it replaced.
// Until the manifest is written, the previous snapshot and its segments are the state;
// after, the new ones are, and a crash while deleting leaves only garbage, which the next
// start deletes again.
func (j *journal) commit(ctx context.Context, now time.Time) {
	r := j.run
	prev := &snapshotRef{Generation: j.committed.Generation, Chunks: j.committed.Chunks, WALFrom: j.committed.WALFrom}
	if j.uncollected != nil {
		prev = j.uncollected
	}
	m := manifest{
		Version: manifestVersion, Generation: r.gen, Chunks: r.chunks, Sessions: r.sessions, WALFrom: r.walFrom,
		Previous: prev,
	}
	data, err := m.encode()
	if err == nil {
		err = j.set(ctx, writeSnapshot, manifestKey, data)
	}
	if err != nil {
		j.abortSnapshot()
		return
	}
	j.run = nil
	j.committed = m
	j.nextGen = max(j.nextGen, r.gen+1)
	j.p.telemetry.ProcessorSessionStorageWrites.Add(ctx, 1, writeAttrs[writeSnapshot][true])
	j.p.set.Logger.Debug("session snapshot written", zap.Uint64("generation", r.gen), zap.Int("chunks", r.chunks),
		zap.Int("sessions", r.sessions), zap.Duration("took", j.p.now().Sub(now)))
	j.collectGarbage(ctx, &m)
	if j.legacy {
		if err := j.client.Delete(ctx, legacyCheckpointKey); err == nil {
			j.legacy = false
		}
	}
}

// abortSnapshot gives up the snapshot under way after a failed write: the committed
// manifest and its segments, which nothing has touched, remain the state. Its chunks
// are deleted by the next snapshot that commits. It is tried again at the next tick.
func (j *journal) abortSnapshot() {
	j.run = nil
	j.snapshotSoon = true
	j.p.telemetry.ProcessorSessionStorageWrites.Add(context.Background(), 1, writeAttrs[writeSnapshot][false])
}

// set writes one value and counts it; a failure is logged when the storage starts
// failing, and its recovery when it stops.
func (j *journal) set(ctx context.Context, kind, key string, value []byte) error {
	err := j.client.Set(ctx, key, value)
	t := j.p.telemetry
	if kind == writeSegment {
		t.ProcessorSessionStorageWrites.Add(ctx, 1, writeAttrs[kind][err == nil])
	}
	if err != nil {
		if !j.failing {
			j.p.set.Logger.Error("saving sessions to storage failed; retrying at the next checkpoint", zap.String("key", key), zap.Error(err))
		}
		j.failing = true
		return err
	}
	t.ProcessorSessionStorageWritten.Add(ctx, int64(len(value)), bytesAttrs[kind])
	if j.failing {
		j.p.set.Logger.Info("saving sessions to storage works again")
		j.failing = false
	}
	return nil
}
