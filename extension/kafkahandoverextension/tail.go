// Copyright The otelcol-rum Authors
// SPDX-License-Identifier: Apache-2.0

package kafkahandoverextension // import "github.com/otelcol-rum/otelcol-rum/extension/kafkahandoverextension"

import (
	"errors"
	"slices"

	"github.com/twmb/franz-go/pkg/kgo"
	"go.uber.org/zap"

	"github.com/otelcol-rum/otelcol-rum/extension/kafkahandoverextension/internal/marker"
)

// own records that this collector claimed p at claimOffset after reading up to tailFrom,
// and starts following p from there.
func (s *store) own(p int32, claimOffset, tailFrom int64) {
	s.mu.Lock()
	s.owned[p] = &ownedPartition{claimOffset: claimOffset, tailFrom: tailFrom}
	s.pending = slices.DeleteFunc(s.pending, func(q int32) bool { return q == p })
	s.mu.Unlock()
	// Remove first: a partition acquired again must be followed from its new offset.
	s.tail.RemoveConsumePartitions(map[string][]int32{s.cfg.Topic: {p}})
	s.tail.AddConsumePartitions(map[string]map[int32]kgo.Offset{s.cfg.Topic: {p: kgo.NewOffset().At(tailFrom)}})
}

// disown forgets p after its release.
func (s *store) disown(p int32) {
	s.mu.Lock()
	delete(s.owned, p)
	s.pending = slices.DeleteFunc(s.pending, func(q int32) bool { return q == p })
	s.mu.Unlock()
	s.tail.RemoveConsumePartitions(map[string][]int32{s.cfg.Topic: {p}})
}

// followOwned reads the owned partitions for the markers of other collectors. It keeps
// nothing of what it reads but the flags of the owned partitions.
func (s *store) followOwned() {
	for {
		fetches := s.tail.PollFetches(s.ctx)
		if s.ctx.Err() != nil || fetches.IsClientClosed() {
			return
		}
		fetches.EachError(func(topic string, p int32, err error) {
			if !errors.Is(err, kgo.ErrClientClosed) {
				s.logger.Warn("Following the checkpoint topic", zap.String("topic", topic), zap.Int32("partition", p), zap.Error(err))
			}
		})
		fetches.EachRecord(s.observe)
	}
}

// observe acts on a marker of another collector in an owned partition: a request queues
// the partition for Requests; a claim after this collector's own means it was taken for
// crashed and lost the partition, which is queued too, so that the processor lets go of
// its sessions.
func (s *store) observe(r *kgo.Record) {
	key := string(r.Key)
	if key != marker.OwnershipKey && key != marker.RequestKey {
		return
	}
	m, err := marker.Decode(r.Value)
	if err != nil || m.Owner == s.owner {
		return // undecodable ones are counted by the Acquire that reads them
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	own := s.owned[r.Partition]
	if own == nil || own.lost || r.Offset < own.tailFrom {
		return
	}
	switch {
	case m.Kind == marker.Request:
		s.logger.Info("Partition requested by another collector", zap.Int32("partition", r.Partition), zap.String("by", m.Owner))
		s.tel.requestReceived(s.ctx)
	case m.Kind == marker.Claim && r.Offset > own.claimOffset:
		own.lost, own.lostTo = true, m.Owner
		s.logger.Warn("Partition taken over by another collector without a release", zap.Int32("partition", r.Partition), zap.String("by", m.Owner))
		s.tel.partitionLost(s.ctx)
	default:
		return
	}
	if !own.requested {
		own.requested = true
		s.pending = append(s.pending, r.Partition)
		select {
		case s.notify <- struct{}{}:
		default:
		}
	}
}

// deliverRequests hands the queued partitions to the processor one by one, without
// holding the lock while it waits for the processor to take one.
func (s *store) deliverRequests() {
	for {
		select {
		case <-s.ctx.Done():
			return
		case <-s.notify:
		}
		for {
			p, ok := s.nextPending()
			if !ok {
				break
			}
			select {
			case s.requests <- p:
			case <-s.ctx.Done():
				return
			}
		}
	}
}

func (s *store) nextPending() (int32, bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	for len(s.pending) > 0 {
		p := s.pending[0]
		s.pending = s.pending[1:]
		if s.owned[p] != nil {
			return p, true
		}
	}
	return 0, false
}
