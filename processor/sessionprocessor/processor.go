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

	"github.com/otelcol-rum/otelcol-rum/processor/sessionprocessor/internal/metadata"
	"github.com/otelcol-rum/otelcol-rum/processor/sessionprocessor/internal/store"
)

// core is the session state shared by every pipeline of one processor ID, and its
// lifecycle: a ticker ends sessions on time, a journal keeps them in storage.
type core struct {
	cfg       *Config
	set       processor.Settings
	telemetry *metadata.TelemetryBuilder
	now       func() time.Time

	mu    sync.Mutex // guards store and pendingEnds
	store *store.Store
	// pendingEnds are saved sessions that could not be restored: they end at the first
	// check, like those whose time ran out while the collector was down.
	pendingEnds []store.Ended

	eventsMu   sync.RWMutex
	nextEvents consumer.Logs

	// journal keeps the sessions in storage; nil without storage.
	journal   *journal
	stop      chan struct{}
	wg        sync.WaitGroup
	flushOnce sync.Once
}

func newCore(cfg *Config, set processor.Settings) (*core, error) {
	tb, err := metadata.NewTelemetryBuilder(set.TelemetrySettings)
	if err != nil {
		return nil, err
	}
	c := &core{cfg: cfg, set: set, telemetry: tb, now: time.Now, stop: make(chan struct{})}
	limits := store.Limits{InactivityTimeout: cfg.InactivityTimeout, MaxDuration: cfg.MaxDuration, MaxSessions: cfg.MaxSessions}
	c.store = store.New(limits, sampler(cfg.SamplingPercentage))
	return c, nil
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
func (c *core) withStore(f func(*store.Store)) {
	c.mu.Lock()
	defer c.mu.Unlock()
	f(c.store)
}

func (c *core) setEventConsumer(next consumer.Logs) {
	c.eventsMu.Lock()
	defer c.eventsMu.Unlock()
	c.nextEvents = next
}

// Start restores saved sessions and starts the ticker.
func (c *core) Start(ctx context.Context, host component.Host) error {
	if c.cfg.Storage != nil {
		if err := c.openJournal(ctx, host); err != nil {
			return err
		}
	}
	c.eventsMu.RLock()
	noEvents := c.nextEvents == nil
	c.eventsMu.RUnlock()
	if noEvents {
		c.set.Logger.Warn("session processor is not in a logs pipeline: session.start and session.end events will not be emitted")
	}
	if err := c.telemetry.RegisterProcessorSessionActiveCallback(func(_ context.Context, o metric.Int64Observer) error {
		var n int
		c.withStore(func(st *store.Store) { n = st.Len() })
		o.Observe(int64(n))
		return nil
	}); err != nil {
		return err
	}
	// One goroutine ends sessions on time, another writes them to storage: a slow write
	// must not delay the ends.
	c.wg.Go(func() { c.every(c.cfg.CheckInterval, func() { c.expire(c.now()) }) })
	if c.journal != nil {
		c.wg.Go(func() { c.every(c.cfg.CheckpointInterval, func() { c.journal.tick(context.Background(), c.now()) }) })
	}
	return nil
}

// openJournal opens the storage client and restores the saved sessions.
func (c *core) openJournal(ctx context.Context, host component.Host) error {
	ext, ok := host.GetExtensions()[*c.cfg.Storage]
	if !ok {
		return fmt.Errorf("invalid storage: extension %q not found", c.cfg.Storage)
	}
	se, ok := ext.(storage.Extension)
	if !ok {
		return fmt.Errorf("invalid storage: extension %q is not a storage extension", c.cfg.Storage)
	}
	client, err := se.GetClient(ctx, component.KindProcessor, c.set.ID, "")
	if err != nil {
		return fmt.Errorf("storage client: %w", err)
	}
	j := newJournal(c, client)
	c.withStore(func(st *store.Store) { st.TrackChanges() })
	if err := j.restore(ctx, c.now()); err != nil {
		return errors.Join(err, client.Close(ctx))
	}
	c.journal = j
	return nil
}

// every calls f every interval until Shutdown.
func (c *core) every(interval time.Duration, f func()) {
	tick := time.NewTicker(interval)
	defer tick.Stop()
	for {
		select {
		case <-c.stop:
			return
		case <-tick.C:
			c.survivePanic(f)
		}
	}
}

// survivePanic runs f and logs a panic instead of passing it on. f runs on the
// processor's own goroutine, where nothing else would recover it: a panic there (most
// likely in a component after this one, which gets the session events) would end the
// collector, and with storage end it again after every restart, when the same sessions
// end again. The request path has the receiver to recover and answer 500; this is its
// counterpart for the ticks. The lock is never held here (withStore releases it).
func (c *core) survivePanic(f func()) {
	defer func() {
		if p := recover(); p != nil {
			c.set.Logger.Error("panic in the session processor's periodic work; it goes on at the next tick",
				zap.Any("panic", p), zap.StackSkip("stack", 1))
		}
	}()
	f()
}

// expire ends the sessions whose time is up at now, and those that could not be
// restored, and emits their summaries.
func (c *core) expire(now time.Time) {
	var ended []store.Ended
	c.withStore(func(st *store.Store) {
		ended = append(c.pendingEnds, st.Expire(now.UnixNano())...)
		c.pendingEnds = nil
	})
	c.emit(context.Background(), lifecycle{ended: ended}, now)
}

// Flush stops the tickers and writes the last changes when there is storage, so the
// sessions continue after the restart; without storage it ends them and emits their
// summaries.
// It runs once, as early as possible in the collector's shutdown: when the logs pipeline's
// instance of this processor shuts down. The receivers have stopped by then, and the
// processors and exporters after this one, which carry the events, are still running;
// at the last shared instance's shutdown they may not be.
func (c *core) Flush(ctx context.Context) {
	c.flushOnce.Do(func() {
		close(c.stop)
		c.wg.Wait()
		if c.journal != nil {
			var pending []store.Ended
			c.withStore(func(*store.Store) { pending, c.pendingEnds = c.pendingEnds, nil })
			c.emit(ctx, lifecycle{ended: pending}, c.now())
			c.journal.writeChanges(ctx, c.now())
			return
		}
		c.endAll(ctx)
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
func (c *core) endAll(ctx context.Context) {
	for {
		if err := ctx.Err(); err != nil {
			var left int
			c.withStore(func(st *store.Store) { left = st.Len() })
			c.set.Logger.Warn("shutdown deadline reached before every session ended", zap.Int("sessions_without_end_event", left), zap.Error(err))
			return
		}
		now := c.now()
		var ended []store.Ended
		c.withStore(func(st *store.Store) {
			ended = st.EndLeastRecent(shutdownChunkSessions, store.EndShutdown, now.UnixNano())
		})
		if len(ended) == 0 {
			return
		}
		c.emit(ctx, lifecycle{ended: ended}, now)
	}
}

// Shutdown runs when the last pipeline sharing this state shuts down.
func (c *core) Shutdown(ctx context.Context) error {
	c.Flush(ctx)
	c.telemetry.Shutdown()
	if c.journal != nil {
		return c.journal.client.Close(ctx)
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

func reasonAttr(r store.EndReason) metric.AddOption {
	return metric.WithAttributeSet(attribute.NewSet(attribute.String("reason", string(r))))
}

// lifecycle collects what happened to sessions while a batch was processed, to be
// emitted and counted once the lock is released.
type lifecycle struct {
	// started are the sessions in the sample that started (they get session.start);
	// opened counts every session that started, sampled or not.
	started   []startedSession
	opened    int64
	ended     []store.Ended
	late      int64
	unsampled int64
	joined    int64
	missed    int64
}

// emit sends session.start and session.end events down the logs pipeline and counts.
func (c *core) emit(ctx context.Context, lc lifecycle, now time.Time) {
	c.count(ctx, &lc)
	if len(lc.started) == 0 && len(lc.ended) == 0 {
		return
	}
	ld := buildEvents(&lc, now, c.set.BuildInfo.Version)
	if ld.LogRecordCount() == 0 {
		return
	}
	c.eventsMu.RLock()
	next := c.nextEvents
	c.eventsMu.RUnlock()
	if next == nil {
		return
	}
	if err := next.ConsumeLogs(ctx, ld); err != nil {
		c.set.Logger.Warn("session events refused by the logs pipeline", zap.Int("events", ld.LogRecordCount()), zap.Error(err))
	}
}

func (c *core) count(ctx context.Context, lc *lifecycle) {
	t := c.telemetry
	if lc.opened > 0 {
		t.ProcessorSessionStarted.Add(ctx, lc.opened)
	}
	for _, e := range lc.ended {
		t.ProcessorSessionEnded.Add(ctx, 1, endReasonAttrs[e.Reason])
	}
	if lc.late > 0 {
		t.ProcessorSessionLateRecords.Add(ctx, lc.late)
	}
	if lc.unsampled > 0 {
		t.ProcessorSessionUnsampledRecords.Add(ctx, lc.unsampled)
	}
	if lc.joined > 0 {
		t.ProcessorSessionJoins.Add(ctx, lc.joined, joinMade)
	}
	if lc.missed > 0 {
		t.ProcessorSessionJoins.Add(ctx, lc.missed, joinMissed)
	}
}
