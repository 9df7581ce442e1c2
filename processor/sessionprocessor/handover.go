// Copyright The otelcol-rum Authors
// SPDX-License-Identifier: Apache-2.0

package sessionprocessor // import "github.com/otelcol-rum/otelcol-rum/processor/sessionprocessor"

import (
	"context"
	"fmt"
	"strconv"
	"sync"

	"go.opentelemetry.io/collector/client"
	"go.opentelemetry.io/collector/component"
	"go.opentelemetry.io/otel/attribute"
	"go.opentelemetry.io/otel/metric"
	"go.uber.org/zap"

	"github.com/otelcol-rum/otelcol-rum/internal/handover"
	"github.com/otelcol-rum/otelcol-rum/processor/sessionprocessor/internal/store"
)

// Client metadata that kafkareceiver gives the context of the records of one Kafka
// record.
const (
	metadataTopic     = "kafka.topic"
	metadataPartition = "kafka.partition"
	metadataOffset    = "kafka.offset"
)

// source is the Kafka record a batch came from.
type source struct {
	topic     string
	partition int32
	// offset is the record's offset, -1 if unknown.
	offset int64
}

// sourceOf reads where a batch came from; ok is false for data that did not come through
// kafkareceiver (or with a partition that is not a number), which keeps the behaviour of
// a single collector.
func sourceOf(ctx context.Context) (src source, ok bool) {
	md := client.FromContext(ctx).Metadata
	ps := md.Get(metadataPartition)
	if len(ps) == 0 {
		return source{}, false
	}
	p, err := strconv.ParseInt(ps[0], 10, 32)
	if err != nil || p < 0 {
		return source{}, false
	}
	src = source{partition: int32(p), offset: -1}
	if os := md.Get(metadataOffset); len(os) > 0 {
		if o, err := strconv.ParseInt(os[0], 10, 64); err == nil && o >= 0 {
			src.offset = o
		}
	}
	if ts := md.Get(metadataTopic); len(ts) > 0 {
		src.topic = ts[0]
	}
	return src, true
}

// handoverState is the processor's side of the hand-over: the data partitions it owns
// and the writes to the Store. Its partitions are guarded by the processor's mu, with
// the sessions, so that a record's changes and its partition's watermark move together.
type handoverState struct {
	store handover.Store
	// parts are the partitions being acquired, owned or released, under p.mu.
	parts map[int32]*partition
	// ioMu makes the checkpoint writes and the releases take turns: a write of older
	// changes must not land after a release of the same partition. Pipelines never wait
	// for it.
	ioMu sync.Mutex
	enc  *store.Encoder
	// failing is set after a failed Write (under ioMu), so that a broken store is logged
	// once until it recovers.
	failing bool
}

// partition is a data partition the processor acquires, owns or releases.
type partition struct {
	// owned is set while the processor owns the partition; busy is open while it is
	// acquired or released, and closed when that is done.
	owned bool
	busy  chan struct{}
	// from are the watermarks by topic found when it was acquired: records below them
	// were processed by the previous owner. next are the first offsets not processed
	// yet, by topic: the watermarks written with the checkpoints. Records between the
	// two that Kafka delivers again (a failed batch the receiver retries) are processed
	// again, as without Kafka.
	from, next map[string]int64
	// dirty is set when next moved since the last Write.
	dirty bool
}

// startFrom is the watermark below which a record of topic was already processed.
func (pt *partition) startFrom(topic string) int64 {
	if w, ok := pt.from[topic]; ok {
		return w
	}
	if w, ok := pt.from[anyTopic]; ok {
		return w
	}
	return -1
}

// advance notes that the record at offset of topic was processed.
func (pt *partition) advance(topic string, offset int64) {
	if offset < 0 {
		return
	}
	if offset+1 > pt.next[topic] {
		pt.next[topic] = offset + 1
		pt.dirty = true
	}
}

// openHandover finds the hand-over store.
func (p *sessionProcessor) openHandover(host component.Host) error {
	provider, err := extensionAs[handover.Provider](host, *p.cfg.Handover, "handover", "does not offer a hand-over store")
	if err != nil {
		return err
	}
	st := provider.HandoverStore()
	if st == nil {
		return fmt.Errorf("invalid handover: extension %q has no hand-over store", p.cfg.Handover)
	}
	p.handover = &handoverState{store: st, parts: map[int32]*partition{}, enc: store.NewEncoder(store.KindSegment)}
	p.withStore(func(st *store.Store) { st.TrackChanges() })
	return nil
}

// ensureOwned returns once the processor owns partition pn, acquiring it if nobody of
// this processor is doing so: the first record of a partition waits for its sessions.
func (h *handoverState) ensureOwned(ctx context.Context, p *sessionProcessor, pn int32) error {
	for {
		var wait chan struct{}
		var mine *partition
		p.withStore(func(*store.Store) {
			pt := h.parts[pn]
			switch {
			case pt == nil:
				mine = &partition{busy: make(chan struct{}), next: map[string]int64{}}
				h.parts[pn] = mine
			case !pt.owned:
				wait = pt.busy
			}
		})
		switch {
		case mine != nil:
			return h.acquire(ctx, p, pn, mine)
		case wait != nil:
			select {
			case <-wait:
			case <-ctx.Done():
				return ctx.Err()
			}
		default:
			return nil
		}
	}
}

// acquire asks the Store for partition pn and takes in its sessions. On failure (or a
// panic in the Store) the partition is forgotten, so that its next record tries again.
func (h *handoverState) acquire(ctx context.Context, p *sessionProcessor, pn int32, pt *partition) error {
	done := false
	defer func() {
		if !done {
			p.withStore(func(*store.Store) {
				delete(h.parts, pn)
				close(pt.busy)
			})
		}
	}()
	claim, err := h.store.Acquire(ctx, pn)
	if err != nil {
		return fmt.Errorf("acquiring the sessions of kafka partition %d: %w", pn, err)
	}
	c := decodeClaim(&claim)
	now := p.now()
	var adopted int
	var evicted []store.Ended
	p.withStore(func(st *store.Store) {
		adopted = st.Adopt(c.sessions, pn)
		st.AdoptTombstones(c.tombstones, pn, now.UnixNano())
		if over := st.Len() - p.cfg.MaxSessions; over > 0 {
			evicted = st.EndLeastRecent(over, store.EndEvicted, now.UnixNano())
		}
		pt.from = c.from
		for topic, w := range c.from {
			if topic != anyTopic {
				pt.next[topic] = w
			}
		}
		pt.owned = true
		close(pt.busy)
		pt.busy = nil
		done = true
	})
	t := p.telemetry
	t.ProcessorSessionRestored.Add(ctx, int64(adopted))
	t.ProcessorSessionHandoverPartitions.Add(ctx, 1, acquiredAttrs[acquiredFrom(&claim)])
	if c.lost > 0 {
		t.ProcessorSessionEnded.Add(ctx, int64(c.lost), endReasonAttrs[store.EndNotRestored])
	}
	p.set.Logger.Info("acquired the sessions of a kafka partition", zap.Int32("partition", pn),
		zap.String("acquired_from", acquiredFrom(&claim)), zap.String("previous_owner", claim.PreviousOwner),
		zap.Int("sessions", adopted), zap.Int("unreadable", c.lost), zap.Any("watermarks", c.from))
	p.emit(ctx, tally{ended: evicted}, now)
	return nil
}

// Values of the acquired_from attribute.
const (
	acquiredReleased  = "released"
	acquiredTakenOver = "taken_over"
	acquiredNew       = "new"
)

var acquiredAttrs = map[string]metric.AddOption{
	acquiredReleased:  metric.WithAttributeSet(attribute.NewSet(attribute.String("acquired_from", acquiredReleased))),
	acquiredTakenOver: metric.WithAttributeSet(attribute.NewSet(attribute.String("acquired_from", acquiredTakenOver))),
	acquiredNew:       metric.WithAttributeSet(attribute.NewSet(attribute.String("acquired_from", acquiredNew))),
}

func acquiredFrom(c *handover.Claim) string {
	switch {
	case c.Released:
		return acquiredReleased
	case c.PreviousOwner != "":
		return acquiredTakenOver
	default:
		return acquiredNew
	}
}

// claimed is a claim decoded: the sessions, what sessions that ended left for their late
// data, the watermarks by topic, and how many checkpoints could not be read.
type claimed struct {
	sessions   []store.Record
	tombstones []store.Gone
	from       map[string]int64
	lost       int
}

// decodeClaim reads a claim's checkpoints: each holds one session, or the tombstone of
// one, in the journal's segment format. Without watermarks by topic, the Store's own watermark stands for
// every topic.
func decodeClaim(c *handover.Claim) claimed {
	out := claimed{from: map[string]int64{}}
	haveOffsets := false
	for i := range c.Sessions {
		cp := &c.Sessions[i]
		if cp.Key == offsetsKey {
			if from, err := decodeOffsets(cp.Value); err == nil {
				out.from, haveOffsets = from, true
			}
			continue
		}
		if cp.Value == nil {
			continue
		}
		found := false
		err := store.DecodeValue(cp.Value, store.KindSegment, func(f *store.Frame) {
			switch {
			case f.Err != nil || found:
			case f.Ended == "" && f.Record.Key == cp.Key:
				out.sessions = append(out.sessions, f.Record)
				found = true
			case f.Ended == cp.Key && f.Tombstone.Reason != "":
				out.tombstones = append(out.tombstones, store.Gone{Key: f.Ended, Tombstone: f.Tombstone})
				found = true
			}
		})
		if err != nil || !found {
			out.lost++
		}
	}
	if !haveOffsets && c.Watermark >= 0 {
		out.from[anyTopic] = c.Watermark
	}
	return out
}
