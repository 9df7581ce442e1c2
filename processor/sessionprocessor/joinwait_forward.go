// Copyright The otelcol-rum Authors
// SPDX-License-Identifier: Apache-2.0

package sessionprocessor // import "github.com/otelcol-rum/otelcol-rum/processor/sessionprocessor"

import (
	"context"
	"sync"
	"sync/atomic"
	"time"

	"go.opentelemetry.io/collector/client"
	"go.opentelemetry.io/collector/consumer"
	"go.uber.org/zap"
)

// forwarder sends released vitals on, each down its own pipeline, from the processor's
// own goroutine: the batch whose page view released them (in another pipeline, maybe)
// pays for copying them, never for the next consumer of another pipeline. At a hand-over
// and at shutdown the caller drains it itself, so that the vitals are out before the
// partition is released.
type forwarder struct {
	mu    sync.Mutex
	queue []*heldVital
	// busy counts the vitals taken off the queue and being forwarded; idle is signalled
	// when the queue is empty and none is busy.
	busy int
	idle sync.Cond
	wake chan struct{}
	// pending is len(queue)+busy, read under the processor's lock for max_held_vitals.
	pending atomic.Int64

	nextMu      sync.RWMutex
	nextMetrics consumer.Metrics
}

func newForwarder() *forwarder {
	f := &forwarder{wake: make(chan struct{}, 1)}
	f.idle.L = &f.mu
	return f
}

func (p *sessionProcessor) setMetricsConsumer(next consumer.Metrics) {
	p.fwd.nextMu.Lock()
	defer p.fwd.nextMu.Unlock()
	p.fwd.nextMetrics = next
}

// push queues released vitals and wakes the forwarding goroutine.
func (f *forwarder) push(vs []*heldVital) {
	if len(vs) == 0 {
		return
	}
	f.mu.Lock()
	f.queue = append(f.queue, vs...)
	f.pending.Add(int64(len(vs)))
	f.mu.Unlock()
	select {
	case f.wake <- struct{}{}:
	default:
	}
}

// run forwards what is pushed until stop.
func (f *forwarder) run(p *sessionProcessor) {
	for {
		select {
		case <-p.stop:
			return
		case <-f.wake:
			p.survivePanic(func() { f.forwardQueued(p) })
		}
	}
}

// forwardQueued forwards the queue until it is empty.
func (f *forwarder) forwardQueued(p *sessionProcessor) {
	for {
		f.mu.Lock()
		vs := f.queue
		f.queue = nil
		f.busy += len(vs)
		f.mu.Unlock()
		if len(vs) == 0 {
			return
		}
		f.forward(p, vs)
	}
}

// forward sends vs on. A vital the next consumer refuses is lost (it left its Kafka
// record's batch already): logged once per call.
func (f *forwarder) forward(p *sessionProcessor, vs []*heldVital) {
	defer func() {
		f.mu.Lock()
		f.busy -= len(vs)
		f.pending.Add(-int64(len(vs)))
		if f.busy == 0 && len(f.queue) == 0 {
			f.idle.Broadcast()
		}
		f.mu.Unlock()
	}()
	p.eventsMu.RLock()
	nextLogs := p.nextEvents
	p.eventsMu.RUnlock()
	f.nextMu.RLock()
	nextMetrics := f.nextMetrics
	f.nextMu.RUnlock()
	var refused int
	var lastErr error
	for _, v := range vs {
		ctx := client.NewContext(context.Background(), v.info)
		var err error
		switch {
		case v.isLog && nextLogs != nil:
			err = nextLogs.ConsumeLogs(ctx, v.logs)
		case !v.isLog && nextMetrics != nil:
			err = nextMetrics.ConsumeMetrics(ctx, v.metrics)
		}
		if err != nil {
			refused++
			lastErr = err
		}
	}
	if refused > 0 {
		p.set.Logger.Warn("held web vitals refused by the pipeline after them", zap.Int("vitals", refused), zap.Error(lastErr))
	}
}

// drain forwards the queue in the caller and returns once nothing is queued or being
// forwarded by the forwarding goroutine either, or after deadline: a pipeline that
// blocks must not stall a hand-over for ever.
func (f *forwarder) drain(p *sessionProcessor, deadline time.Duration) {
	var expired atomic.Bool
	timer := time.AfterFunc(deadline, func() {
		expired.Store(true)
		f.mu.Lock()
		f.idle.Broadcast()
		f.mu.Unlock()
	})
	defer timer.Stop()
	for {
		f.forwardQueued(p)
		f.mu.Lock()
		for f.busy > 0 && len(f.queue) == 0 && !expired.Load() {
			f.idle.Wait()
		}
		left := len(f.queue) + f.busy
		more := len(f.queue) > 0
		f.mu.Unlock()
		if expired.Load() && left > 0 {
			// The forwarding goroutine sends them if it still runs; at shutdown they are lost.
			p.set.Logger.Warn("held web vitals not forwarded in time", zap.Int("vitals", left), zap.Duration("waited", deadline))
			return
		}
		if !more {
			return
		}
	}
}

// drainDeadline bounds how long a hand-over or shutdown waits for the held vitals to
// be forwarded, when its context has no deadline of its own.
const drainDeadline = 10 * time.Second

// releaseExpired forwards unjoined the held vitals whose join_wait has passed: at most
// check_interval late.
func (p *sessionProcessor) releaseExpired() {
	if p.held == nil {
		return
	}
	t := p.newTracker()
	t.ctx = context.Background()
	defer t.emit(t.ctx)
	t.locked(func() {
		notYet := func(v *heldVital) bool { return v.deadline > t.now }
		t.releaseLocked(p.held.take(func(*heldVital) bool { return true }, notYet), releaseTimeout)
	})
}

// releaseHeld forwards unjoined the held vitals pick chooses, and returns once they, and
// those released before, have been forwarded.
func (p *sessionProcessor) releaseHeld(ctx context.Context, pick func(*heldVital) bool, reason releaseReason) {
	if p.held == nil {
		return
	}
	t := p.newTracker()
	t.ctx = ctx
	t.locked(func() { t.releaseLocked(p.held.take(pick, nil), reason) })
	t.emit(ctx)
	p.fwd.drain(p, drainTime(ctx))
}

// releasePartitionLocked releases, under the lock, the held vitals of partition pn,
// which is being handed over: while its sessions are still open, so that the vitals are
// filed under their views.
func (t *tracker) releasePartitionLocked(pn int32) {
	if t.p.held == nil {
		return
	}
	t.releaseLocked(t.p.held.take(func(v *heldVital) bool { return v.partition == pn }, nil), releaseHandover)
	t.tally.views = append(t.tally.views, t.p.store.TakeViewEvents()...)
}

func drainTime(ctx context.Context) time.Duration {
	if d, ok := ctx.Deadline(); ok {
		return max(time.Until(d), 0)
	}
	return drainDeadline
}

// releasingHeld makes a pipeline's shutdown of this processor forward every held vital
// first. The collector stops its components in one topological order over all
// pipelines: when one instance of the shared processor stops, what follows the instances
// that have not stopped yet still runs, but what follows another pipeline's may have
// stopped already (a metrics pipeline's webvitals before the logs pipeline's instance,
// whose shutdown hands the partitions over). So every instance forwards what is held at
// its own shutdown, while its pipeline still runs; nothing of its signal is held after
// it, its receivers having stopped before it.
func (p *sessionProcessor) releasingHeld(shutdown func(context.Context) error) func(context.Context) error {
	return func(ctx context.Context) error {
		p.releaseHeld(ctx, func(*heldVital) bool { return true }, releaseShutdown)
		return shutdown(ctx)
	}
}
