// Copyright The otelcol-rum Authors
// SPDX-License-Identifier: Apache-2.0

package journeysprocessor // import "github.com/otelcol-rum/otelcol-rum/processor/journeysprocessor"

import (
	"context"
	"sync"
	"time"

	"go.opentelemetry.io/collector/component"
	"go.opentelemetry.io/collector/consumer"
	"go.opentelemetry.io/collector/pdata/pmetric"
	"go.opentelemetry.io/collector/processor"
	"go.uber.org/zap"

	"github.com/otelcol-rum/otelcol-rum/internal/dimensions"
	"github.com/otelcol-rum/otelcol-rum/internal/webvitals/route"
	"github.com/otelcol-rum/otelcol-rum/processor/journeysprocessor/internal/journeycount"
	"github.com/otelcol-rum/otelcol-rum/processor/journeysprocessor/internal/metadata"
)

// journeysProcessor is the processor of one component ID, shared by every pipeline that
// names it: the logs and traces pipelines feed one counter, which the metrics pipeline
// emits.
type journeysProcessor struct {
	logger    *zap.Logger
	routes    *route.Templater
	dims      *dimensions.Limiter
	counter   *journeycount.Counter
	telemetry *telemetry
	scope     journeycount.Scope
	interval  time.Duration
	now       func() time.Time

	nextMu      sync.RWMutex
	nextMetrics consumer.Metrics

	stop      chan struct{}
	wg        sync.WaitGroup
	flushOnce sync.Once
	// reported are the counter's totals already added to the telemetry; only the
	// emission touches them, and emissions never overlap (Flush waits for the ticker).
	reported journeycount.Stats
}

func newJourneysProcessor(cfg *Config, set processor.Settings) (*journeysProcessor, error) {
	routes, err := route.NewTemplater(cfg.Routes, cfg.MaxRoutesPerService, cfg.OverflowRoute)
	if err != nil {
		return nil, err
	}
	tb, err := metadata.NewTelemetryBuilder(set.TelemetrySettings)
	if err != nil {
		return nil, err
	}
	dims := dimensions.NewLimiter(cfg.Dimensions, cfg.SeriesTTL)
	return &journeysProcessor{
		logger: set.Logger,
		routes: routes,
		dims:   dims,
		counter: journeycount.New(journeycount.Settings{
			MaxSeries: cfg.MaxSeries, SeriesTTL: cfg.SeriesTTL,
			MaxTransitionsPerService: cfg.MaxTransitionsPerService, MaxActionNamesPerService: cfg.MaxActionNamesPerService,
			Other: cfg.OverflowRoute, Forget: routes.Forget, Dimensions: dims,
		}),
		telemetry: &telemetry{tb: tb},
		scope:     journeycount.Scope{Name: metadata.ScopeName, Version: set.BuildInfo.Version},
		interval:  cfg.EmitInterval,
		now:       time.Now,
		stop:      make(chan struct{}),
	}, nil
}

// SetMetricsConsumer names where the metrics go: the metrics pipeline after this
// processor.
func (p *journeysProcessor) SetMetricsConsumer(next consumer.Metrics) {
	p.nextMu.Lock()
	defer p.nextMu.Unlock()
	p.nextMetrics = next
}

// Start registers the series gauge and starts the emission; it runs once for all the
// pipelines that share the processor (sharedcomponent).
func (p *journeysProcessor) Start(context.Context, component.Host) error {
	if err := p.telemetry.observeSeries(func() int64 { return int64(p.counter.Len()) }); err != nil {
		return err
	}
	p.wg.Go(p.run)
	return nil
}

func (p *journeysProcessor) run() {
	tick := time.NewTicker(p.interval)
	defer tick.Stop()
	for {
		select {
		case <-p.stop:
			return
		case <-tick.C:
			p.emit(context.Background())
		}
	}
}

// emit sends every series as of now into the metrics pipeline.
func (p *journeysProcessor) emit(ctx context.Context) {
	now := p.now().UnixNano()
	md := p.counter.Export(now, p.scope)
	p.dims.Expire(now)
	stats := p.counter.Stats()
	p.telemetry.report(ctx, stats, p.reported)
	p.reported = stats
	if md.DataPointCount() == 0 {
		return
	}
	p.nextMu.RLock()
	next := p.nextMetrics
	p.nextMu.RUnlock()
	if next == nil {
		return
	}
	if err := next.ConsumeMetrics(ctx, md); err != nil {
		// The metrics are cumulative: the next emission carries these counts again.
		p.logger.Warn("journey metrics refused by the metrics pipeline; they go out again at the next interval", zap.Error(err))
	}
}

// Flush stops the emission and sends the metrics one last time. The metrics pipeline's
// instance calls it at its shutdown, while what follows it in that pipeline still runs.
func (p *journeysProcessor) Flush(ctx context.Context) {
	p.flushOnce.Do(func() {
		close(p.stop)
		p.wg.Wait()
		p.emit(ctx)
	})
}

// Shutdown runs when the last pipeline sharing the processor shuts down.
func (p *journeysProcessor) Shutdown(ctx context.Context) error {
	p.Flush(ctx)
	p.telemetry.tb.Shutdown()
	return nil
}

// processMetrics passes the metrics pipeline's data on: the processor only emits into it.
func (*journeysProcessor) processMetrics(_ context.Context, md pmetric.Metrics) (pmetric.Metrics, error) {
	return md, nil
}
