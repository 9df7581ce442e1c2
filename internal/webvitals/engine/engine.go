// Copyright The otelcol-rum Authors
// SPDX-License-Identifier: Apache-2.0

package engine // import "github.com/otelcol-rum/otelcol-rum/internal/webvitals/engine"

import (
	"context"
	"sync"
	"time"

	"go.opentelemetry.io/collector/component"
	"go.opentelemetry.io/collector/consumer"
	"go.uber.org/zap"

	"github.com/otelcol-rum/otelcol-rum/internal/dimensions"
	"github.com/otelcol-rum/otelcol-rum/internal/webvitals/aggregate"
	"github.com/otelcol-rum/otelcol-rum/internal/webvitals/route"
)

// Source says which form of a web vital the engine counts. The rum receiver writes every
// vital twice, as a log record and as a metric point; counting both would count it twice.
type Source int

const (
	// SourceMetricPoints counts the rum receiver's browser.web_vital.<name>.measurement
	// points and only annotates browser.web_vital log records (the processor).
	SourceMetricPoints Source = iota
	// SourceLogRecords counts browser.web_vital log records (the connector, whose input
	// may come from the stock otlp receiver and have no metric twin).
	SourceLogRecords
)

// Settings are what the component hands the engine: the aggregation options out of its
// configuration, and where its logs, telemetry and measurements come from. The engine
// sees no component configuration, so it holds no option it would ignore.
type Settings struct {
	Aggregation AggregationConfig
	Logger      *zap.Logger
	Telemetry   Telemetry
	Source      Source
	// ReadOnly leaves the records it reads as they are (the connector: its input goes on
	// to the pipeline's other exporters, which may share it).
	ReadOnly bool
	// ScopeName and Version name the instrumentation scope of the emitted metrics.
	ScopeName string
	Version   string
}

// Engine is the state of one component ID, shared by every pipeline that names it, so
// that all signals see the same routes and feed the same histograms.
type Engine struct {
	set    Settings
	now    func() time.Time
	routes *route.Templater
	dims   *dimensions.Limiter

	mu  sync.Mutex // guards agg and reported
	agg *aggregate.Aggregator
	// reported are the aggregator's counts already added to the telemetry.
	reported aggregate.Stats

	nextMu      sync.RWMutex
	nextMetrics consumer.Metrics

	stop      chan struct{}
	wg        sync.WaitGroup
	flushOnce sync.Once
}

// New builds an engine; Start begins the emission.
func New(set Settings) (*Engine, error) {
	cfg := set.Aggregation
	routes, err := route.NewTemplater(cfg.Routes, cfg.MaxRoutesPerService, cfg.OverflowRoute)
	if err != nil {
		return nil, err
	}
	apdex, err := newApdexThresholds(cfg.Apdex)
	if err != nil {
		return nil, err
	}
	dims := dimensions.NewLimiter(cfg.Dimensions, cfg.SeriesTTL)
	e := &Engine{set: set, now: time.Now, routes: routes, dims: dims, stop: make(chan struct{})}
	e.agg = aggregate.New(aggregate.Settings{
		Hold:          cfg.MeasurementHold,
		MaxPending:    cfg.MaxPending,
		SeriesTTL:     cfg.SeriesTTL,
		Remember:      cfg.RememberFor,
		MaxRemembered: cfg.MaxRemembered,
		MaxSeries:     cfg.MaxSeries,
		Dimensions:    dims,
		Apdex:         apdex.of,
	}, func(d aggregate.Dims) { routes.Forget(d.Service, d.Route) })
	return e, nil
}

// SetMetricsConsumer names where the histograms go.
func (e *Engine) SetMetricsConsumer(next consumer.Metrics) {
	e.nextMu.Lock()
	defer e.nextMu.Unlock()
	e.nextMetrics = next
}

// Start registers the series gauge and starts the emission ticker. The component runs it
// once for all the pipelines that share the engine (sharedcomponent).
func (e *Engine) Start(context.Context, component.Host) error {
	err := e.set.Telemetry.ObserveSeries(func() int64 {
		e.mu.Lock()
		defer e.mu.Unlock()
		return int64(e.agg.SeriesCount())
	})
	if err != nil {
		return err
	}
	e.wg.Go(e.run)
	return nil
}

func (e *Engine) run() {
	tick := time.NewTicker(e.set.Aggregation.EmitInterval)
	defer tick.Stop()
	for {
		select {
		case <-e.stop:
			return
		case <-tick.C:
			e.emit(context.Background(), false)
		}
	}
}

// emit counts what is due (everything when flushing) and sends the histograms on.
func (e *Engine) emit(ctx context.Context, flush bool) {
	now := e.now().UnixNano()
	e.mu.Lock()
	e.agg.Commit(now, flush)
	e.dims.Expire(now)
	md := e.agg.Export(now, e.set.ScopeName, e.set.Version)
	stats := e.agg.Stats()
	prev := e.reported
	e.reported = stats
	e.mu.Unlock()
	e.report(ctx, prev, stats)
	if md.DataPointCount() == 0 {
		return
	}
	e.nextMu.RLock()
	next := e.nextMetrics
	e.nextMu.RUnlock()
	if next == nil {
		return
	}
	if err := next.ConsumeMetrics(ctx, md); err != nil {
		// The histograms are cumulative: the next emission carries these counts again.
		e.set.Logger.Warn("web vitals histograms refused by the metrics pipeline; they go out again at the next interval", zap.Error(err))
	}
}

// report adds the aggregator's new counts to the self-telemetry.
func (e *Engine) report(ctx context.Context, prev, s aggregate.Stats) {
	t := e.set.Telemetry
	for _, o := range []struct {
		outcome string
		n       int64
	}{
		{"counted", s.Counted - prev.Counted},
		{"update", s.Updates - prev.Updates},
		{"duplicate", s.Duplicates - prev.Duplicates},
		{"unknown", s.Unknown - prev.Unknown},
		{"invalid", s.Invalid - prev.Invalid},
	} {
		if o.n > 0 {
			t.Measurements(ctx, o.outcome, o.n)
		}
	}
	if n := s.Expired - prev.Expired; n > 0 {
		t.SeriesExpired(ctx, n)
	}
}

// Flush counts every pending measurement and sends the histograms. The component calls it
// when the pipeline the histograms go into is about to stop, while it still runs.
func (e *Engine) Flush(ctx context.Context) {
	e.flushOnce.Do(func() {
		close(e.stop)
		e.wg.Wait()
		e.emit(ctx, true)
	})
}

// Shutdown runs when the last pipeline sharing this engine shuts down.
func (e *Engine) Shutdown(ctx context.Context) error {
	e.Flush(ctx)
	e.set.Telemetry.Shutdown()
	return nil
}
