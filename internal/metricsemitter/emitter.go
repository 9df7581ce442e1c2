// Copyright The otelcol-rum Authors
// SPDX-License-Identifier: Apache-2.0

// Package metricsemitter sends the metrics a processor keeps itself (the jserrors
// processor's counter, the journeys processor's metrics) into the metrics pipeline after
// it: every interval, and a last time when that pipeline shuts down. The metrics are
// cumulative, so an emission the pipeline refuses goes out again with the next. It also
// builds the resource and counter shapes those metrics (and the webvitals ones) share.
package metricsemitter // import "github.com/otelcol-rum/otelcol-rum/internal/metricsemitter"

import (
	"context"
	"sync"
	"time"

	"go.opentelemetry.io/collector/consumer"
	"go.opentelemetry.io/collector/pdata/pmetric"
	"go.uber.org/zap"
)

// Emitter runs the emission of one processor.
type Emitter struct {
	interval time.Duration
	logger   *zap.Logger
	what     string
	// export builds what to send now; it may return no data points.
	export func(ctx context.Context) pmetric.Metrics

	nextMu sync.RWMutex
	next   consumer.Metrics

	stop      chan struct{}
	wg        sync.WaitGroup
	flushOnce sync.Once
}

// New returns an emitter that calls export every interval once started; what names the
// metrics in its log.
func New(interval time.Duration, logger *zap.Logger, what string, export func(ctx context.Context) pmetric.Metrics) *Emitter {
	return &Emitter{interval: interval, logger: logger, what: what, export: export, stop: make(chan struct{})}
}

// SetConsumer names where the metrics go: the metrics pipeline after the processor.
func (e *Emitter) SetConsumer(next consumer.Metrics) {
	e.nextMu.Lock()
	defer e.nextMu.Unlock()
	e.next = next
}

// Start begins the emission every interval.
func (e *Emitter) Start() {
	e.wg.Go(func() {
		tick := time.NewTicker(e.interval)
		defer tick.Stop()
		for {
			select {
			case <-e.stop:
				return
			case <-tick.C:
				e.Emit(context.Background())
			}
		}
	})
}

// Emit exports and sends the metrics now. Emissions must not overlap: the ticker's run
// them one after the other, and Flush waits for it.
func (e *Emitter) Emit(ctx context.Context) {
	md := e.export(ctx)
	if md.DataPointCount() == 0 {
		return
	}
	e.nextMu.RLock()
	next := e.next
	e.nextMu.RUnlock()
	if next == nil {
		return
	}
	if err := next.ConsumeMetrics(ctx, md); err != nil {
		e.logger.Warn(e.what+" refused by the metrics pipeline; cumulative, it goes out again at the next interval", zap.Error(err))
	}
}

// Flush stops the emission and sends the metrics one last time; later calls do nothing.
// The metrics pipeline's instance calls it at its shutdown, while what follows it in that
// pipeline still runs.
func (e *Emitter) Flush(ctx context.Context) {
	e.flushOnce.Do(func() {
		close(e.stop)
		e.wg.Wait()
		e.Emit(ctx)
	})
}
