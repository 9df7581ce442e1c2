// Copyright The otelcol-rum Authors
// SPDX-License-Identifier: Apache-2.0

package sessionprocessor // import "github.com/otelcol-rum/otelcol-rum/processor/sessionprocessor"

import (
	"context"
	"fmt"
	"math/rand/v2"
	"time"

	"go.uber.org/zap"

	"github.com/otelcol-rum/otelcol-rum/processor/sessionprocessor/internal/store"
)

// restoration reads the saved state into the store at start: the manifest's snapshot,
// then its segments in order. Until finish, the store holds the sessions unordered and
// nothing else uses it (the pipelines have not started).
type restoration struct {
	j  *journal
	st *store.Store
	// damaged are sessions whose latest saved record is damaged but names them, by key:
	// they end with reason not_restored unless a later record restores or removes them.
	damaged map[string]string
	// lost counts saved sessions of which nothing readable is left.
	lost     int
	segments int
	records  int
}

// restore reads the saved state. Only a storage that cannot be read fails the start; a
// state that cannot be decoded is logged and, as far as it is damaged, left behind.
func (j *journal) restore(ctx context.Context, now time.Time) error {
	began := time.Now()
	r := &restoration{j: j, st: j.p.store, damaged: map[string]string{}}
	data, err := j.client.Get(ctx, manifestKey)
	if err != nil {
		return fmt.Errorf("reading saved sessions: %w", err)
	}
	if data == nil {
		if err := r.legacy(ctx); err != nil {
			return err
		}
	} else {
		if err := r.manifest(ctx, data); err != nil {
			return err
		}
		// Left over if the collector stopped between the first manifest and its deletion.
		if err := j.client.Delete(ctx, legacyCheckpointKey); err != nil {
			return fmt.Errorf("deleting the old session checkpoint: %w", err)
		}
	}
	if err := r.replay(ctx); err != nil {
		return err
	}
	r.finish(ctx, now, time.Since(began))
	if data != nil {
		j.collectGarbage(ctx, &j.committed)
	}
	return nil
}

// legacy reads the single-value checkpoint of the first releases, if there is one.
func (r *restoration) legacy(ctx context.Context) error {
	data, err := r.j.client.Get(ctx, legacyCheckpointKey)
	if err != nil {
		return fmt.Errorf("reading saved sessions: %w", err)
	}
	if data == nil {
		return nil
	}
	recs, err := store.DecodeLegacyCheckpoint(data)
	if err != nil {
		r.j.p.set.Logger.Error("discarding an unreadable session checkpoint of the old format", zap.Error(err))
		return r.j.client.Delete(ctx, legacyCheckpointKey)
	}
	for i := range recs {
		r.st.RestorePut(&recs[i])
	}
	// Written the new way by the first snapshot, which then deletes the old value.
	r.j.legacy, r.j.snapshotSoon = true, true
	return nil
}

// manifest reads the snapshot the manifest names.
func (r *restoration) manifest(ctx context.Context, data []byte) error {
	j := r.j
	m, err := decodeManifest(data)
	if err != nil {
		// Without the manifest the saved keys cannot be found, and new segments must not
		// be mistaken for old ones: the state starts over under numbers far from them.
		j.p.set.Logger.Error("discarding saved sessions: their manifest is unreadable", zap.Error(err))
		start := rand.Uint64N(1<<62) + 1 //nolint:gosec // a number far from the old ones, not a secret
		j.committed = manifest{Version: manifestVersion, Generation: start, WALFrom: start}
		j.nextGen, j.nextSeq, j.snapshotSoon = start+1, start, true
		return nil
	}
	j.committed, j.nextGen, j.nextSeq = m, m.Generation+1, m.WALFrom
	frames := 0
	for i := range m.Chunks {
		data, err := j.client.Get(ctx, chunkKey(m.Generation, i))
		if err != nil {
			return fmt.Errorf("reading saved sessions: %w", err)
		}
		if data == nil {
			j.p.set.Logger.Error("a chunk of the session snapshot is missing", zap.Uint64("generation", m.Generation), zap.Int("chunk", i))
			continue
		}
		r.value(data, store.KindChunk, "snapshot chunk", func(f *store.Frame) {
			if f.Ended == "" {
				frames++ // a session (tombstones are not counted in the manifest)
			}
		})
	}
	r.lost += max(0, m.Sessions-frames)
	return nil
}

// replay applies the segments from the manifest's WALFrom up to the first missing.
func (r *restoration) replay(ctx context.Context) error {
	j := r.j
	for ; ; j.nextSeq++ {
		data, err := j.client.Get(ctx, segmentKey(j.nextSeq))
		if err != nil {
			return fmt.Errorf("reading saved sessions: %w", err)
		}
		if data == nil {
			return nil
		}
		r.segments++
		r.value(data, store.KindSegment, "segment", func(*store.Frame) { r.records++ })
	}
}

// value applies the frames of one saved value; each counts with frame.
func (r *restoration) value(data []byte, kind byte, what string, frame func(*store.Frame)) {
	err := store.DecodeValue(data, kind, func(f *store.Frame) {
		frame(f)
		switch {
		case f.Ended != "":
			// Also when the frame is damaged: the session did end (what it left for its
			// late data is then lost).
			r.st.RestoreRemove(&store.Gone{Key: f.Ended, Tombstone: f.Tombstone})
			delete(r.damaged, f.Ended)
		case f.Err != nil:
			r.damage(f)
		default:
			r.st.RestorePut(&f.Record)
			delete(r.damaged, f.Record.Key)
		}
	})
	if err != nil {
		// What came after the break is unknown; at least one session is lost.
		r.lost++
		r.j.p.set.Logger.Error("part of the saved sessions is unreadable", zap.String("value", what), zap.Error(err))
	}
}

// damage deals with a record that cannot be read. A session restored from an older
// record keeps it (it only loses the latest changes); one that is known by its id alone
// ends; of one that is not even known by its id, nothing is left.
func (r *restoration) damage(f *store.Frame) {
	switch {
	case f.Record.Key == "":
		r.lost++
	case !r.st.Has(f.Record.Key):
		r.damaged[f.Record.Key] = f.Record.ID
	}
}

// finish orders the restored sessions, ends those that cannot stay, and reports.
func (r *restoration) finish(ctx context.Context, now time.Time, took time.Duration) {
	j, p := r.j, r.j.p
	sampled := sampler(p.cfg.SamplingPercentage)
	var ended []store.Ended
	var open int
	p.withStore(func(st *store.Store) {
		st.FinishRestore()
		// Beyond max_sessions, the least recently active go, as when a new one starts.
		if over := st.Len() - p.cfg.MaxSessions; over > 0 {
			ended = st.EndLeastRecent(over, store.EndNotRestored, now.UnixNano())
		}
		for key, id := range r.damaged {
			st.Forget(key) // its damaged record must not be read again at the next start
			s := store.Record{Key: key, ID: id, Start: now.UnixNano(), LastActivity: now.UnixNano(), Sampled: sampled(id)}
			ended = append(ended, store.Ended{Session: s, Reason: store.EndNotRestored})
		}
		open = st.Len()
		p.pendingEnds = append(p.pendingEnds, ended...)
	})
	if r.lost > 0 {
		p.telemetry.ProcessorSessionEnded.Add(ctx, int64(r.lost), endReasonAttrs[store.EndNotRestored])
		j.snapshotSoon = true // the snapshot leaves the unreadable values behind
	}
	p.telemetry.ProcessorSessionRestored.Add(ctx, int64(open))
	j.changesSinceSnapshot = r.records
	j.lastSnapshot = now
	logf := p.set.Logger.Info
	if r.lost > 0 || len(ended) > 0 {
		logf = p.set.Logger.Warn
	}
	logf("restored sessions from storage", zap.Int("sessions", open), zap.Int("segments_replayed", r.segments),
		zap.Int("not_restored", len(ended)), zap.Int("unreadable", r.lost), zap.Duration("took", took))
}
