// Copyright The otelcol-rum Authors
// SPDX-License-Identifier: Apache-2.0

package kafkahandoverextension // import "github.com/otelcol-rum/otelcol-rum/extension/kafkahandoverextension"

import (
	"context"
	"errors"
	"fmt"
	"time"

	"go.uber.org/zap"

	"github.com/otelcol-rum/otelcol-rum/extension/kafkahandoverextension/internal/marker"
	"github.com/otelcol-rum/otelcol-rum/internal/handover"
)

// Acquire reads checkpoint partition p to its end and decides from the latest claim or
// release: none, a release, or this collector's own claim -> take it now; another
// collector's claim -> ask it to release (a request marker) and read on until it does or
// handover_wait runs out. Then it claims p with the watermark it found and follows p for
// requests.
func (s *store) Acquire(ctx context.Context, p int32) (handover.Claim, error) {
	done, err := s.enter()
	if err != nil {
		return handover.Claim{}, err
	}
	defer done()
	ctx, cancel := s.bind(ctx)
	defer cancel()
	if err := s.checkPartition(ctx, p); err != nil {
		return handover.Claim{}, err
	}

	view := newPartitionView()
	r, err := s.readToEnd(ctx, p, view, nil)
	if err != nil {
		return handover.Claim{}, err
	}
	defer r.close()

	outcome, waited, err := s.awaitRelease(ctx, p, r, view)
	if err != nil {
		return handover.Claim{}, err
	}
	// What this Acquire found is counted, whatever comes of the claim.
	for reason, n := range view.skipped {
		s.tel.skipped(ctx, reason, n)
	}
	if waited > 0 {
		s.tel.waited(ctx, waited)
	}
	if err := s.rollBack(ctx, p, view); err != nil {
		return handover.Claim{}, err
	}

	watermark := view.watermark()
	claimOffset, err := s.produceMarker(ctx, p, marker.Claim, watermark)
	if err != nil {
		return handover.Claim{}, err
	}
	s.own(p, claimOffset, r.next)

	claim := handover.Claim{
		Sessions:  view.checkpoints(),
		Watermark: watermark,
		// This collector's own claim: nothing was lost, as after a release.
		Released: outcome == outcomeReleased || outcome == outcomeOwn,
	}
	if view.ownership != nil {
		claim.PreviousOwner = view.ownership.Owner
	}
	s.tel.acquired(ctx, outcome, len(claim.Sessions))
	s.logger.Info("Partition acquired", zap.Int32("partition", p), zap.String("outcome", outcome),
		zap.String("previous_owner", claim.PreviousOwner), zap.Int64("watermark", watermark),
		zap.Int("sessions", len(claim.Sessions)), zap.Duration("waited", waited))
	return claim, nil
}

// readToEnd reads p up to its current end into view, with a new reader when r is nil,
// which it closes if the read fails; the caller closes a reader it passed.
func (s *store) readToEnd(ctx context.Context, p int32, view *partitionView, r *partitionReader) (*partitionReader, error) {
	ctx, cancel := context.WithTimeout(ctx, s.cfg.ReadTimeout)
	defer cancel()
	start, end, err := partitionOffsets(ctx, s.producer, s.cfg.Topic, p)
	if err != nil {
		return nil, fmt.Errorf("kafka_handover: %w", err)
	}
	created := r == nil
	if created {
		s.mu.Lock()
		opts := s.opts
		s.mu.Unlock()
		if r, err = newPartitionReader(opts, s.cfg.Topic, p, start); err != nil {
			return nil, fmt.Errorf("kafka_handover: %w", err)
		}
	}
	if err := r.read(ctx, end, view.apply); err != nil {
		if created {
			r.close()
		}
		return nil, fmt.Errorf("kafka_handover: read checkpoints of partition %d up to offset %d: %w", p, end, err)
	}
	return r, nil
}

// awaitRelease decides from the latest claim or release in view, asking its owner to
// release p and reading on while another collector's claim is the latest, for at most
// handover_wait. It returns the outcome and how long it waited.
func (s *store) awaitRelease(ctx context.Context, p int32, r *partitionReader, view *partitionView) (string, time.Duration, error) {
	var (
		began, deadline time.Time
		askedOf         string
	)
	waited := func() time.Duration {
		if began.IsZero() {
			return 0
		}
		return time.Since(began)
	}
	for {
		m := view.ownership
		switch {
		case m == nil:
			return outcomeNew, waited(), nil
		case m.Kind == marker.Release:
			return outcomeReleased, waited(), nil
		case m.Owner == s.owner:
			return outcomeOwn, waited(), nil
		}
		if began.IsZero() {
			began = time.Now()
			deadline = began.Add(s.cfg.HandoverWait)
		}
		if !time.Now().Before(deadline) {
			s.logger.Warn("Previous owner did not release the partition: taking it over from its last checkpoints",
				zap.Int32("partition", p), zap.String("previous_owner", m.Owner), zap.Duration("handover_wait", s.cfg.HandoverWait))
			return outcomeTimeout, waited(), nil
		}
		// Once per owner: its periodic claims while it finishes are not new owners.
		if askedOf != m.Owner {
			if _, err := s.produceMarker(ctx, p, marker.Request, -1); err != nil {
				return "", 0, err
			}
			askedOf = m.Owner
		}
		waitCtx, cancel := context.WithDeadline(ctx, deadline)
		err := r.read(waitCtx, -1, view.apply)
		cancel()
		if err != nil && (ctx.Err() != nil || !errors.Is(err, context.DeadlineExceeded)) {
			return "", 0, fmt.Errorf("kafka_handover: wait for the release of partition %d: %w", p, err)
		}
		// A claim or release arrived, or the wait ran out: read what else came, so the
		// decision is taken on the latest marker.
		if _, err := s.readToEnd(ctx, p, view, r); err != nil {
			return "", 0, err
		}
	}
}

// rollBack undoes the checkpoints no claim or release confirmed (a Write cut short by a
// crash) before this collector's claim would confirm them.
func (s *store) rollBack(ctx context.Context, p int32, view *partitionView) error {
	records := view.rollback()
	if len(records) == 0 {
		return nil
	}
	s.tel.skipped(ctx, reasonUnconfirmed, len(records))
	s.logger.Warn("Checkpoints without a claim after them: the previous owner stopped in a write; they are undone",
		zap.Int32("partition", p), zap.Int("checkpoints", len(records)))
	for _, r := range records {
		r.Partition = p
	}
	if err := s.produce(ctx, records...); err != nil {
		return fmt.Errorf("kafka_handover: undo unconfirmed checkpoints of partition %d: %w", p, err)
	}
	return nil
}
