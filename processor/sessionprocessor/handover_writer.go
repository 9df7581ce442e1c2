// Copyright The otelcol-rum Authors
// SPDX-License-Identifier: Apache-2.0

package sessionprocessor // import "github.com/otelcol-rum/otelcol-rum/processor/sessionprocessor"

import (
	"context"
	"maps"
	"math"
	"slices"

	"go.opentelemetry.io/otel/attribute"
	"go.opentelemetry.io/otel/metric"
	"go.uber.org/zap"

	"github.com/otelcol-rum/otelcol-rum/internal/handover"
	"github.com/otelcol-rum/otelcol-rum/processor/sessionprocessor/internal/store"
)

var handoverWriteAttrs = map[bool]metric.AddOption{
	true:  metric.WithAttributeSet(attribute.NewSet(attribute.String("outcome", "success"))),
	false: metric.WithAttributeSet(attribute.NewSet(attribute.String("outcome", "failure"))),
}

// partitionChanges are the changes of one partition taken for a Write, with its
// watermarks at the moment they were taken.
type partitionChanges struct {
	ended []store.Gone
	recs  []store.Record
	next  map[string]int64
}

// checkpoint writes, per owned partition, the sessions that changed, the keys of those
// that ended and the watermarks, all taken in one go under the lock: the changes of
// every record below the watermarks and of none above. The pipelines wait only for that
// copy; the encoding and the writes happen after.
func (h *handoverState) checkpoint(ctx context.Context, p *sessionProcessor) {
	h.ioMu.Lock()
	defer h.ioMu.Unlock()
	var ch store.Changes
	byPartition := map[int32]*partitionChanges{}
	p.withStore(func(st *store.Store) {
		ch, _ = st.TakeChanges(math.MaxInt)
		for pn, pt := range h.parts {
			if pt.owned && pt.dirty {
				byPartition[pn] = &partitionChanges{next: maps.Clone(pt.next)}
				pt.dirty = false
			}
		}
		// A partition whose sessions only ended (timeouts) has not moved its
		// watermarks, but must write them with its changes.
		for _, pn := range changedPartitions(&ch) {
			if pt := h.parts[pn]; pt != nil && pt.owned && byPartition[pn] == nil {
				byPartition[pn] = &partitionChanges{next: maps.Clone(pt.next)}
			}
		}
	})
	for i := range ch.Ended {
		if pc := byPartition[ch.Ended[i].Partition]; pc != nil {
			pc.ended = append(pc.ended, ch.Ended[i])
		}
	}
	for i := range ch.Records {
		if pc := byPartition[ch.Records[i].Partition]; pc != nil {
			pc.recs = append(pc.recs, ch.Records[i])
		}
	}
	for _, pn := range slices.Sorted(maps.Keys(byPartition)) {
		pc := byPartition[pn]
		if err := h.write(ctx, p, pn, pc); err != nil {
			h.giveBack(p, pn, pc)
		}
	}
}

// giveBack returns the changes of a failed Write, to be taken again, with what changes
// meanwhile, at the next checkpoint. While the store keeps failing, the ended keys pile
// up: beyond max_sessions of them the oldest are dropped. Their sessions then stay in
// the checkpoints as open: should the partition move, the next owner ends them again
// (a second session.end, reason timeout).
func (h *handoverState) giveBack(p *sessionProcessor, pn int32, pc *partitionChanges) {
	dropped := 0
	p.withStore(func(st *store.Store) {
		st.GiveBack(store.Changes{Ended: pc.ended, Records: pc.recs})
		if pt := h.parts[pn]; pt != nil && pt.owned {
			pt.dirty = true
		}
		if over := st.PendingEnded() - p.cfg.MaxSessions; over > 0 {
			st.DropOldestEnded(over)
			dropped = over
		}
	})
	if dropped > 0 {
		p.set.Logger.Error("the hand-over store kept failing: ended sessions dropped from the pending checkpoint changes",
			zap.Int("sessions", dropped))
	}
}

// changedPartitions lists the partitions of the changes, without NoPartition.
func changedPartitions(ch *store.Changes) []int32 {
	var out []int32
	for i := range ch.Ended {
		out = append(out, ch.Ended[i].Partition)
	}
	for i := range ch.Records {
		out = append(out, ch.Records[i].Partition)
	}
	slices.Sort(out)
	out = slices.Compact(out)
	return slices.DeleteFunc(out, func(pn int32) bool { return pn == store.NoPartition })
}

// write encodes a partition's changes and Writes them: the ended keys first (a key that
// ended and opened again must end up with its session), as a delete or, for a session
// that left a tombstone, as that tombstone; the sessions; and the watermarks by topic
// last, as the Store writes its own watermark after the checkpoints.
func (h *handoverState) write(ctx context.Context, p *sessionProcessor, pn int32, pc *partitionChanges) error {
	cps := make([]handover.Checkpoint, 0, len(pc.ended)+len(pc.recs)+1)
	for i := range pc.ended {
		g := &pc.ended[i]
		if g.Tombstone.Reason == "" {
			cps = append(cps, handover.Checkpoint{Key: g.Key}) // deleted
			continue
		}
		// Ended by timeout or max_duration: what late data and a continuation need stays
		// until it runs out (the store then records a delete, see sweepTombstones).
		h.enc.Reset(store.KindSegment)
		h.enc.Gone(g)
		cps = append(cps, handover.Checkpoint{Key: g.Key, Value: slices.Clone(h.enc.Bytes())})
	}
	for i := range pc.recs {
		h.enc.Reset(store.KindSegment)
		h.enc.Record(&pc.recs[i])
		cps = append(cps, handover.Checkpoint{Key: pc.recs[i].Key, Value: slices.Clone(h.enc.Bytes())})
	}
	cps = append(cps, handover.Checkpoint{Key: offsetsKey, Value: encodeOffsets(pc.next)})
	err := h.store.Write(ctx, pn, cps, scalarWatermark(pc.next))
	p.telemetry.ProcessorSessionHandoverWrites.Add(ctx, 1, handoverWriteAttrs[err == nil])
	switch {
	case err != nil && !h.failing:
		p.set.Logger.Error("writing session checkpoints to the hand-over store failed; retrying at the next checkpoint",
			zap.Int32("partition", pn), zap.Error(err))
		h.failing = true
	case err == nil && h.failing:
		p.set.Logger.Info("writing session checkpoints to the hand-over store works again")
		h.failing = false
	}
	return err
}

// release hands partition pn over: it takes the partition's sessions out of the store
// without ending them, writes them all with the watermarks, and Releases the partition.
// Records of the partition that arrive meanwhile wait, then acquire it again. A request
// for a partition being acquired is served once the acquisition is done: the asking
// collector would otherwise wait out the store's wait, and then both would own it.
func (h *handoverState) release(ctx context.Context, p *sessionProcessor, pn int32) {
	h.ioMu.Lock()
	defer h.ioMu.Unlock()
	var pt *partition
	pc := &partitionChanges{}
	// t releases the partition's held vitals: they are forwarded before the release.
	t := p.newTracker()
	t.ctx = ctx
	for pt == nil {
		var acquiring chan struct{}
		p.withStore(func(st *store.Store) {
			q := h.parts[pn]
			switch {
			case q == nil:
			case q.owned:
				pt = q
				pt.owned, pt.busy = false, make(chan struct{})
				t.now = p.now().UnixNano()
				t.releasePartitionLocked(pn)
				pc.recs, pc.ended = st.TakePartition(pn)
				pc.next = maps.Clone(pt.next)
			default:
				// Being acquired: releases take turns under ioMu, so it is not one.
				acquiring = q.busy
			}
		})
		if acquiring == nil {
			break
		}
		select {
		case <-acquiring:
		case <-p.stop: // shutting down: the acquisition's records are not coming
			return
		case <-ctx.Done():
			return
		}
	}
	if pt == nil {
		return // not owned (any more): nothing to hand over
	}
	defer p.withStore(func(*store.Store) {
		delete(h.parts, pn)
		close(pt.busy)
	})
	t.emit(ctx)
	p.fwd.drain(p, drainTime(ctx))
	p.telemetry.ProcessorSessionHandedOver.Add(ctx, int64(len(pc.recs)))
	werr := h.write(ctx, p, pn, pc)
	rerr := h.store.Release(ctx, pn, scalarWatermark(pc.next))
	if werr != nil || rerr != nil {
		p.set.Logger.Error("handing a kafka partition over failed: its next owner continues from the last checkpoint written",
			zap.Int32("partition", pn), zap.Int("sessions", len(pc.recs)), zap.NamedError("write", werr), zap.NamedError("release", rerr))
		return
	}
	p.set.Logger.Info("handed a kafka partition over", zap.Int32("partition", pn), zap.Int("sessions", len(pc.recs)))
}

// releaseAll hands every owned partition over, at shutdown.
func (h *handoverState) releaseAll(ctx context.Context, p *sessionProcessor) {
	var owned []int32
	p.withStore(func(*store.Store) {
		for pn, pt := range h.parts {
			if pt.owned {
				owned = append(owned, pn)
			}
		}
	})
	slices.Sort(owned)
	for _, pn := range owned {
		p.survivePanic(func() { h.release(ctx, p, pn) })
	}
}

// serveRequests hands over the partitions other collectors ask for, until stop.
func (h *handoverState) serveRequests(p *sessionProcessor) {
	requests := h.store.Requests()
	for {
		select {
		case <-p.stop:
			return
		case pn, ok := <-requests:
			if !ok {
				return
			}
			p.survivePanic(func() { h.release(context.Background(), p, pn) })
		}
	}
}
