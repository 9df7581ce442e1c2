// Copyright The otelcol-rum Authors
// SPDX-License-Identifier: Apache-2.0

package sessionprocessor // import "github.com/otelcol-rum/otelcol-rum/processor/sessionprocessor"

import (
	"context"

	"go.opentelemetry.io/collector/extension/xextension/storage"
	"go.uber.org/zap"
)

// Deleting what a committed snapshot replaced. The storage API cannot list keys, so what
// to delete is derived from the manifest: the previous snapshot it names, the segments
// it covers, and the generations of unfinished snapshots, found by probing.

// collectGarbage deletes what the snapshot of m replaced: the previous snapshot's chunks,
// those of snapshots that failed between the two, and the segments the new snapshot
// covers. Deleting a key that is gone is not an error, so this can run again at start.
// If a deletion fails, the next manifest names the same previous snapshot, so that the
// next commit deletes the rest.
func (j *journal) collectGarbage(ctx context.Context, m *manifest) {
	j.uncollected = m.Previous
	if j.deleteReplaced(ctx, m) {
		j.uncollected = nil
	}
}

// deleteReplaced does the work of collectGarbage and reports whether it all succeeded.
func (j *journal) deleteReplaced(ctx context.Context, m *manifest) bool {
	var ops []*storage.Operation
	if p := m.Previous; p != nil {
		for i := range p.Chunks {
			ops = append(ops, storage.DeleteOperation(chunkKey(p.Generation, i)))
		}
		for seq := p.WALFrom; seq < m.WALFrom; seq++ {
			ops = append(ops, storage.DeleteOperation(segmentKey(seq)))
		}
	}
	err := j.deleteInBatches(ctx, ops)
	if p := m.Previous; p != nil && err == nil {
		// Chunks past the previous snapshot's count: an unfinished snapshot of the same
		// generation that a crash left and the start could not delete, which it then
		// wrote fewer chunks over. Normally one read finds none.
		_, err = j.deleteChunksFrom(ctx, p.Generation, p.Chunks)
	}
	if err != nil {
		j.p.set.Logger.Warn("deleting replaced session state failed; it is deleted after the next snapshot", zap.Error(err))
		return false
	}
	// Snapshots that failed (one per generation between the two, at most a few) and
	// any that a crash interrupted after m.
	first := m.Generation + 1
	if m.Previous != nil {
		first = m.Previous.Generation + 1
	}
	for gen := first; ; gen++ {
		if gen == m.Generation {
			continue
		}
		found, err := j.deleteChunksFrom(ctx, gen, 0)
		if err != nil {
			j.p.set.Logger.Warn("deleting an unfinished session snapshot failed; it is deleted after the next snapshot", zap.Error(err))
			return false
		}
		if !found && gen > m.Generation {
			return true
		}
	}
}

// deleteChunksFrom deletes the chunks of generation gen from chunk from on: chunks are
// written in order, so they are the ones up to the first missing. It reports whether
// there was any.
func (j *journal) deleteChunksFrom(ctx context.Context, gen uint64, from int) (bool, error) {
	var ops []*storage.Operation
	for i := from; ; i++ {
		data, err := j.client.Get(ctx, chunkKey(gen, i))
		if err != nil {
			return false, err
		}
		if data == nil {
			break
		}
		ops = append(ops, storage.DeleteOperation(chunkKey(gen, i)))
	}
	return len(ops) > 0, j.deleteInBatches(ctx, ops)
}

// deleteBatch bounds the operations of one storage Batch.
const deleteBatch = 1000

func (j *journal) deleteInBatches(ctx context.Context, ops []*storage.Operation) error {
	for len(ops) > 0 {
		n := min(len(ops), deleteBatch)
		if err := j.client.Batch(ctx, ops[:n]...); err != nil {
			return err
		}
		ops = ops[n:]
	}
	return nil
}
