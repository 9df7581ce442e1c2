// Copyright The otelcol-rum Authors
// SPDX-License-Identifier: Apache-2.0

package sessionprocessor // import "github.com/otelcol-rum/otelcol-rum/processor/sessionprocessor"

import (
	"context"
	"errors"
	"fmt"
	"hash/fnv"
	"sync"
	"time"

	"go.opentelemetry.io/collector/component"
	"go.opentelemetry.io/collector/consumer"
	"go.opentelemetry.io/collector/extension/xextension/storage"
	"go.opentelemetry.io/collector/processor"
	"go.opentelemetry.io/otel/attribute"
	"go.opentelemetry.io/otel/metric"
	"go.uber.org/zap"

	"github.com/otelcol-rum/otelcol-rum/processor/sessionprocessor/internal/frustration"
	"github.com/otelcol-rum/otelcol-rum/processor/sessionprocessor/internal/metadata"
	"github.com/otelcol-rum/otelcol-rum/processor/sessionprocessor/internal/store"
)

// sessionProcessor is the session processor of one component ID, shared by every
// pipeline that names it: the session state, a ticker that ends sessions on time, and a
// journal that keeps them in storage.
type sessionProcessor struct {
	cfg *Config
	set processor.Settings
	// frustration is cfg.Frustration as the detector takes it.
	frustration frustration.Config
	telemetry   *metadata.TelemetryBuilder
	now         func() time.Time

	mu    sync.Mutex // guards store and pendingEnds
	store *store.Store
	// pendingEnds are saved sessions that could not be restored: they end at the first
	// check, like those whose time ran out while the collector was down.
	pendingEnds []store.Ended

	eventsMu   sync.RWMutex
	nextEvents consumer.Logs

	// journal keeps the sessions in storage; nil without storage.
	journal *journal
	// handover moves the sessions of Kafka data partitions between collectors; nil
	// without handover.
	handover *handoverState
	// held are the vitals waiting for their page view (join_wait), under mu; nil
	// without join_wait. fwd sends them on once released.
	held      *holding
	fwd       *forwarder
	stop      chan struct{}
	wg        sync.WaitGroup
	flushOnce sync.Once
}

func newSessionProcessor(cfg *Config, set processor.Settings) (*sessionProcessor, error) {
	tb, err := metadata.NewTelemetryBuilder(set.TelemetrySettings)
	if err != nil {
		return nil, err
	}
	p := &sessionProcessor{cfg: cfg, set: set, telemetry: tb, now: time.Now, stop: make(chan struct{}), frustration: cfg.Frustration.detector(), fwd: newForwarder()}
	if cfg.JoinWait > 0 {
		p.held = newHolding()
	}
	limits := store.Limits{
		InactivityTimeout: cfg.InactivityTimeout, MaxDuration: cfg.MaxDuration, MaxSessions: cfg.MaxSessions,
		PathLength: cfg.PathLength, ReorderWindow: cfg.ViewReorderWindow,
	}
	p.store = store.New(limits, sampler(cfg.SamplingPercentage))
	p.store.CollectViewEvents()
	return p, nil
}

// sampler keeps a session when a hash of its id falls under the percentage: the same id
// gives the same answer in every pipeline and after a restart.
func sampler(percentage float64) func(id string) bool {
	threshold := uint32(percentage * 100) // out of 10000
	return func(id string) bool {
		if threshold >= 10000 {
			return true
		}
		h := fnv.New32a()
		_, _ = h.Write([]byte(id))
		return h.Sum32()%10000 < threshold
	}
}

// withStore runs f on the store under the lock. The lock is released by a deferred call,
// so that no panic can leave it held.
func (p *sessionProcessor) withStore(f func(*store.Store)) {
	p.mu.Lock()
	defer p.mu.Unlock()
	f(p.store)
}

func (p *sessionProcessor) setEventConsumer(next consumer.Logs) {
	p.eventsMu.Lock()
	defer p.eventsMu.Unlock()
	p.nextEvents = next
}

// Start restores saved sessions and starts the ticker.
func (p *sessionProcessor) Start(ctx context.Context, host component.Host) error {
	if p.cfg.Storage != nil {
		if err := p.openJournal(ctx, host); err != nil {
			return err
		}
	}
	if p.cfg.Handover != nil {
		if err := p.openHandover(host); err != nil {
			return err
		}
	}
	p.eventsMu.RLock()
	noEvents := p.nextEvents == nil
	p.eventsMu.RUnlock()
	if noEvents {
		p.set.Logger.Warn("session processor is not in a logs pipeline: session.start and session.end events will not be emitted")
	}
	if err := p.telemetry.RegisterProcessorSessionActiveCallback(func(_ context.Context, o metric.Int64Observer) error {
		var n int
		p.withStore(func(st *store.Store) { n = st.Len() })
		o.Observe(int64(n))
		return nil
	}); err != nil {
		return err
	}
	// One goroutine ends sessions on time, another writes them to storage: a slow write
	// must not delay the ends.
	p.wg.Go(func() { p.every(p.cfg.CheckInterval, func() { p.expire(p.now()) }) })
	if p.held != nil {
		p.wg.Go(func() { p.fwd.run(p) })
	}
	if p.journal != nil {
		p.wg.Go(func() { p.every(p.cfg.CheckpointInterval, func() { p.journal.tick(context.Background(), p.now()) }) })
	}
	if h := p.handover; h != nil {
		p.wg.Go(func() { p.every(p.cfg.CheckpointInterval, func() { h.checkpoint(context.Background(), p) }) })
		p.wg.Go(func() { h.serveRequests(p) })
	}
	return nil
}

// openJournal opens the storage client and restores the saved sessions.
func (p *sessionProcessor) openJournal(ctx context.Context, host component.Host) error {
	se, err := extensionAs[storage.Extension](host, *p.cfg.Storage, "storage", "is not a storage extension")
	if err != nil {
		return err
	}
	client, err := se.GetClient(ctx, component.KindProcessor, p.set.ID, "")
	if err != nil {
		return fmt.Errorf("storage client: %w", err)
	}
	j := newJournal(p, client)
	p.withStore(func(st *store.Store) { st.TrackChanges() })
	if err := j.restore(ctx, p.now()); err != nil {
		return errors.Join(err, client.Close(ctx))
	}
	p.journal = j
	return nil
}

// extensionAs finds the extension id names, as a T; key is the configuration key that
// names it, for the errors, and wrongKind says what is wrong with one that is not a T.
func extensionAs[T any](host component.Host, id component.ID, key, wrongKind string) (T, error) {
	var none T
	ext, ok := host.GetExtensions()[id]
	if !ok {
		return none, fmt.Errorf("invalid %s: extension %q not found", key, id)
	}
	t, ok := ext.(T)
	if !ok {
		return none, fmt.Errorf("invalid %s: extension %q %s", key, id, wrongKind)
	}
	return t, nil
}

// every calls f every interval until Shutdown.
func (p *sessionProcessor) every(interval time.Duration, f func()) {
	tick := time.NewTicker(interval)
	defer tick.Stop()
	for {
		select {
		case <-p.stop:
			return
		case <-tick.C:
			p.survivePanic(f)
		}
	}
}

// survivePanic runs f and logs a panic instead of passing it on. f runs on the
// processor's own goroutine, where nothing else would recover it: a panic there (most
// likely in a component after this one, which gets the session events) would end the
// collector, and with storage end it again after every restart, when the same sessions
// end again. The request path has the receiver to recover and answer 500; this is its
// counterpart for the ticks. The lock is never held here (withStore releases it).
func (p *sessionProcessor) survivePanic(f func()) {
	defer func() {
		if v := recover(); v != nil {
			p.set.Logger.Error("panic in the session processor's periodic work; it goes on at the next tick",
				zap.Any("panic", v), zap.StackSkip("stack", 1))
		}
	}()
	f()
}

// expire ends the sessions whose time is up at now, and those that could not be
// restored, and emits their summaries.
func (p *sessionProcessor) expire(now time.Time) {
	var ended []store.Ended
	var views []store.ViewEvent
	p.withStore(func(st *store.Store) {
		ended = append(p.pendingEnds, st.Expire(now.UnixNano())...)
		p.pendingEnds = nil
		views = st.TakeViewEvents()
	})
	p.emit(context.Background(), tally{ended: ended, views: views}, now)
	p.releaseExpired()
}

// Flush stops the tickers and writes the last changes when there is storage, so the
// sessions continue after the restart; with a hand-over store it hands the sessions of
// Kafka partitions over to their next owner; it ends the others and emits their
// summaries.
// It runs once, as early as possible in the collector's shutdown: when the logs pipeline's
// instance of this processor shuts down. The receivers have stopped by then, and the
// processors and exporters after this one, which carry the events, are still running;
// at the last shared instance's shutdown they may not be.
func (p *sessionProcessor) Flush(ctx context.Context) {
	p.flushOnce.Do(func() {
		close(p.stop)
		p.wg.Wait()
		// Held vitals go out first, while the pipelines after this one still run, and
		// before any partition is released.
		p.releaseHeld(ctx, func(*heldVital) bool { return true }, releaseShutdown)
		if p.journal != nil {
			var pending []store.Ended
			p.withStore(func(*store.Store) { pending, p.pendingEnds = p.pendingEnds, nil })
			p.emit(ctx, tally{ended: pending}, p.now())
			p.journal.writeChanges(ctx, p.now())
			return
		}
		if p.handover != nil {
			p.handover.releaseAll(ctx, p)
		}
		p.endAll(ctx)
	})
}

// shutdownChunkSessions is how many sessions shutdown ends, and sends the session.end
// events of, at a time. Building every event at once would need memory in proportion
// to the open sessions (100k sessions: 130 MiB on top of the state), right when the
// collector stops; a chunk of 1000 events is about 1 MiB.
const shutdownChunkSessions = 1000

// endAll ends every open session with reason shutdown and emits their summaries, a
// chunk at a time, taking the lock per chunk. It stops early if ctx ends (the
// collector's shutdown deadline): the remaining sessions go without an event.
func (p *sessionProcessor) endAll(ctx context.Context) {
	for {
		if err := ctx.Err(); err != nil {
			var left int
			p.withStore(func(st *store.Store) { left = st.Len() })
			p.set.Logger.Warn("shutdown deadline reached before every session ended", zap.Int("sessions_without_end_event", left), zap.Error(err))
			return
		}
		now := p.now()
		var ended []store.Ended
		var views []store.ViewEvent
		p.withStore(func(st *store.Store) {
			ended = st.EndLeastRecent(shutdownChunkSessions, store.EndShutdown, now.UnixNano())
			views = st.TakeViewEvents()
		})
		if len(ended) == 0 {
			return
		}
		p.emit(ctx, tally{ended: ended, views: views}, now)
	}
}

// Shutdown runs when the last pipeline sharing this state shuts down.
func (p *sessionProcessor) Shutdown(ctx context.Context) error {
	p.Flush(ctx)
	p.telemetry.Shutdown()
	if p.journal != nil {
		return p.journal.client.Close(ctx)
	}
	return nil
}

// Attribute sets of the self-telemetry, built once rather than on every batch.
var (
	joinMade       = metric.WithAttributeSet(attribute.NewSet(attribute.String("result", "made")))
	joinMissed     = metric.WithAttributeSet(attribute.NewSet(attribute.String("result", "missed")))
	endReasonAttrs = map[store.EndReason]metric.AddOption{
		store.EndTimeout:     reasonAttr(store.EndTimeout),
		store.EndMaxDuration: reasonAttr(store.EndMaxDuration),
		store.EndEvicted:     reasonAttr(store.EndEvicted),
		store.EndShutdown:    reasonAttr(store.EndShutdown),
		store.EndNotRestored: reasonAttr(store.EndNotRestored),
	}
)

// navigationResultAttrs are the attribute sets of processor_session_navigations, by
// navigationView, navigationLate and navigationDuplicate.
var navigationResultAttrs = [navigationResults]metric.AddOption{
	metric.WithAttributeSet(attribute.NewSet(attribute.String("navigation_result", "view"))),
	metric.WithAttributeSet(attribute.NewSet(attribute.String("navigation_result", "late"))),
	metric.WithAttributeSet(attribute.NewSet(attribute.String("navigation_result", "duplicate"))),
}

// ignoredOutcomes is one past the detector's outcomes; ignoredInputAttrs are the
// attribute sets of processor_session_frustration_ignored_inputs by outcome (Taken has
// none: taken inputs are not ignored).
const ignoredOutcomes = int(frustration.Invalid) + 1

var ignoredInputAttrs = func() (out [ignoredOutcomes]metric.AddOption) {
	for _, o := range [...]frustration.Outcome{frustration.Duplicate, frustration.Late, frustration.Invalid} {
		out[o] = metric.WithAttributeSet(attribute.NewSet(attribute.String("input_outcome", o.String())))
	}
	return out
}()

func reasonAttr(r store.EndReason) metric.AddOption {
	return metric.WithAttributeSet(attribute.NewSet(attribute.String("reason", string(r))))
}

// tally is what happened to sessions and records while the lock was held, by a batch,
// a tick or a shutdown chunk: the session events to send and the counts for the
// self-telemetry, both done once the lock is released.
type tally struct {
	// sampledStarts are the sessions in the sample that started: they get session.start.
	// started counts every session that started, sampled or not.
	sampledStarts []startedSession
	started       int64
	// ended are the sessions that ended; those in the sample get session.end.
	ended []store.Ended
	// lateRecords and unsampledRecords count records of sessions that ended by timeout
	// and of sessions outside the sample.
	lateRecords      int64
	unsampledRecords int64
	// skippedRecords counts Kafka records below the watermark of their partition.
	skippedRecords int64
	// joinsMade and joinsMissed count the vitals linked to their page view's trace, or not.
	joinsMade   int64
	joinsMissed int64
	// held counts the vitals held back for their page view, released those released
	// by why.
	held     int64
	released [releaseReasons]int64
	// views are the views that ended: those in the sample get rum.view.
	views []store.ViewEvent
	// navigations counts navigations by what became of them; refiled the records whose
	// url.full became their view's.
	navigations [navigationResults]int64
	refiled     int64
	// frustrations are the frustration signals found: those of sessions in the sample
	// get rum.frustration. ignoredInputs counts the detector's inputs by the outcome that
	// made it ignore them.
	frustrations  []frustrationEvent
	ignoredInputs [ignoredOutcomes]int64
}

// emit sends session.start and session.end events down the logs pipeline and counts.
func (p *sessionProcessor) emit(ctx context.Context, tl tally, now time.Time) {
	p.count(ctx, &tl)
	if len(tl.sampledStarts) == 0 && len(tl.ended) == 0 && len(tl.views) == 0 && len(tl.frustrations) == 0 {
		return
	}
	ld := buildEvents(&tl, now, p.set.BuildInfo.Version, p.cfg.PathLength)
	if ld.LogRecordCount() == 0 {
		return
	}
	p.eventsMu.RLock()
	next := p.nextEvents
	p.eventsMu.RUnlock()
	if next == nil {
		return
	}
	if err := next.ConsumeLogs(ctx, ld); err != nil {
		p.set.Logger.Warn("session events refused by the logs pipeline", zap.Int("events", ld.LogRecordCount()), zap.Error(err))
	}
}

func (p *sessionProcessor) count(ctx context.Context, tl *tally) {
	t := p.telemetry
	if tl.started > 0 {
		t.ProcessorSessionStarted.Add(ctx, tl.started)
	}
	for _, e := range tl.ended {
		t.ProcessorSessionEnded.Add(ctx, 1, endReasonAttrs[e.Reason])
	}
	if tl.lateRecords > 0 {
		t.ProcessorSessionLateRecords.Add(ctx, tl.lateRecords)
	}
	if tl.unsampledRecords > 0 {
		t.ProcessorSessionUnsampledRecords.Add(ctx, tl.unsampledRecords)
	}
	if tl.skippedRecords > 0 {
		t.ProcessorSessionHandoverSkippedRecords.Add(ctx, tl.skippedRecords)
	}
	if tl.joinsMade > 0 {
		t.ProcessorSessionJoins.Add(ctx, tl.joinsMade, joinMade)
	}
	if tl.joinsMissed > 0 {
		t.ProcessorSessionJoins.Add(ctx, tl.joinsMissed, joinMissed)
	}
	if tl.held > 0 {
		t.ProcessorSessionHeldVitals.Add(ctx, tl.held)
	}
	for reason, n := range tl.released {
		if n > 0 {
			t.ProcessorSessionReleasedVitals.Add(ctx, n, releaseAttrs[reason])
		}
	}
	for result, n := range tl.navigations {
		if n > 0 {
			t.ProcessorSessionNavigations.Add(ctx, n, navigationResultAttrs[result])
		}
	}
	if tl.refiled > 0 {
		t.ProcessorSessionRefiledRecords.Add(ctx, tl.refiled)
	}
	for outcome, n := range tl.ignoredInputs {
		if n > 0 && outcome != int(frustration.Taken) {
			t.ProcessorSessionFrustrationIgnoredInputs.Add(ctx, n, ignoredInputAttrs[outcome])
		}
	}
}
