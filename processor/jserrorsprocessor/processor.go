// Copyright The otelcol-rum Authors
// SPDX-License-Identifier: Apache-2.0

package jserrorsprocessor // import "github.com/otelcol-rum/otelcol-rum/processor/jserrorsprocessor"

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
	"github.com/otelcol-rum/otelcol-rum/internal/metricsemitter"
	"github.com/otelcol-rum/otelcol-rum/internal/webvitals/route"
	"github.com/otelcol-rum/otelcol-rum/processor/jserrorsprocessor/internal/errorcount"
	"github.com/otelcol-rum/otelcol-rum/processor/jserrorsprocessor/internal/metadata"
)

// jserrorsProcessor is the processor of one component ID, shared by every pipeline that
// names it: the logs and traces pipelines feed one counter, which the metrics pipeline
// emits.
type jserrorsProcessor struct {
	parts
	logger    *zap.Logger
	timeout   time.Duration
	routes    *route.Templater
	dims      *dimensions.Limiter
	counter   *errorcount.Counter
	telemetry *telemetry
	scope     errorcount.Scope
	now       func() time.Time
	panicLog  sync.Once
	emitter   *metricsemitter.Emitter
	// expiredReported is the counter's Expired already added to the telemetry; only the
	// emission touches it, and emissions never overlap.
	expiredReported int64
}

// newJSErrorsProcessor builds the processor with the parts newParts makes; the factory's
// make the source map store and the grouper from cfg.
func newJSErrorsProcessor(cfg *Config, set processor.Settings, newParts newPartsFunc) (*jserrorsProcessor, error) {
	routes, err := route.NewTemplater(cfg.Routes, cfg.MaxRoutesPerService, cfg.OverflowRoute)
	if err != nil {
		return nil, err
	}
	tb, err := metadata.NewTelemetryBuilder(set.TelemetrySettings)
	if err != nil {
		return nil, err
	}
	tel := newTelemetry(tb)
	ps, err := newParts(tel)
	if err != nil {
		tb.Shutdown()
		return nil, err
	}
	dims := dimensions.NewLimiter(cfg.Dimensions, cfg.SeriesTTL)
	p := &jserrorsProcessor{
		parts:   ps,
		logger:  set.Logger,
		timeout: cfg.Timeout,
		routes:  routes,
		dims:    dims,
		counter: errorcount.New(errorcount.Settings{
			MaxSeries: cfg.MaxSeries, SeriesTTL: cfg.SeriesTTL, Forget: routes.Forget, Dimensions: dims,
		}),
		telemetry: tel,
		scope:     errorcount.Scope{Name: metadata.ScopeName, Version: set.BuildInfo.Version},
		now:       time.Now,
	}
	p.emitter = metricsemitter.New(cfg.EmitInterval, set.Logger, "browser.errors", p.export)
	return p, nil
}

// SetMetricsConsumer names where the counter goes: the metrics pipeline after this
// processor.
func (p *jserrorsProcessor) SetMetricsConsumer(next consumer.Metrics) { p.emitter.SetConsumer(next) }

// Start registers the series gauge and starts the emission; it runs once for all the
// pipelines that share the processor (sharedcomponent).
func (p *jserrorsProcessor) Start(context.Context, component.Host) error {
	if err := p.telemetry.observeSeries(func() int64 { return int64(p.counter.Len()) }); err != nil {
		return err
	}
	p.emitter.Start()
	return nil
}

// export returns every series as of now, and reports the series expired since the last
// export.
func (p *jserrorsProcessor) export(ctx context.Context) pmetric.Metrics {
	now := p.now().UnixNano()
	md := p.counter.Export(now, p.scope)
	p.dims.Expire(now)
	expired := p.counter.Stats().Expired
	p.telemetry.expired(ctx, expired-p.expiredReported)
	p.expiredReported = expired
	return md
}

// emit sends the counter now.
func (p *jserrorsProcessor) emit(ctx context.Context) { p.emitter.Emit(ctx) }

// Flush stops the emission and sends the counter one last time. The metrics pipeline's
// instance calls it at its shutdown, while what follows it in that pipeline still runs.
func (p *jserrorsProcessor) Flush(ctx context.Context) { p.emitter.Flush(ctx) }

// Shutdown runs when the last pipeline sharing the processor shuts down.
func (p *jserrorsProcessor) Shutdown(ctx context.Context) error {
	p.Flush(ctx)
	if p.close != nil {
		p.close()
	}
	p.telemetry.tb.Shutdown()
	return nil
}

// processMetrics passes the metrics pipeline's data on: the processor only emits into it.
func (*jserrorsProcessor) processMetrics(_ context.Context, md pmetric.Metrics) (pmetric.Metrics, error) {
	return md, nil
}
