// Copyright The otelcol-rum Authors
// SPDX-License-Identifier: Apache-2.0

package journeysprocessor // import "github.com/otelcol-rum/otelcol-rum/processor/journeysprocessor"

import (
	"context"
	"time"

	"go.opentelemetry.io/collector/component"
	"go.opentelemetry.io/collector/consumer"
	"go.opentelemetry.io/collector/pdata/pmetric"
	"go.opentelemetry.io/collector/processor"

	"github.com/otelcol-rum/otelcol-rum/internal/dimensions"
	"github.com/otelcol-rum/otelcol-rum/internal/metricsemitter"
	"github.com/otelcol-rum/otelcol-rum/internal/webvitals/route"
	"github.com/otelcol-rum/otelcol-rum/processor/journeysprocessor/internal/journeycount"
	"github.com/otelcol-rum/otelcol-rum/processor/journeysprocessor/internal/metadata"
)

// journeysProcessor is the processor of one component ID, shared by every pipeline that
// names it: the logs and traces pipelines feed one counter, which the metrics pipeline
// emits.
type journeysProcessor struct {
	routes    *route.Templater
	dims      *dimensions.Limiter
	counter   *journeycount.Counter
	telemetry *telemetry
	scope     journeycount.Scope
	now       func() time.Time
	emitter   *metricsemitter.Emitter
	// reported are the counter's totals already added to the telemetry; only the
	// emission touches them, and emissions never overlap.
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
	p := &journeysProcessor{
		routes: routes,
		dims:   dims,
		counter: journeycount.New(journeycount.Settings{
			MaxSeries: cfg.MaxSeries, SeriesTTL: cfg.SeriesTTL,
			MaxTransitionsPerService: cfg.MaxTransitionsPerService, MaxActionNamesPerService: cfg.MaxActionNamesPerService,
			Other: cfg.OverflowRoute, Forget: routes.Forget, Dimensions: dims,
		}),
		telemetry: &telemetry{tb: tb},
		scope:     journeycount.Scope{Name: metadata.ScopeName, Version: set.BuildInfo.Version},
		now:       time.Now,
	}
	p.emitter = metricsemitter.New(cfg.EmitInterval, set.Logger, "journey metrics", p.export)
	return p, nil
}

// SetMetricsConsumer names where the metrics go: the metrics pipeline after this
// processor.
func (p *journeysProcessor) SetMetricsConsumer(next consumer.Metrics) { p.emitter.SetConsumer(next) }

// Start registers the series gauge and starts the emission; it runs once for all the
// pipelines that share the processor (sharedcomponent).
func (p *journeysProcessor) Start(context.Context, component.Host) error {
	if err := p.telemetry.observeSeries(func() int64 { return int64(p.counter.Len()) }); err != nil {
		return err
	}
	p.emitter.Start()
	return nil
}

// export returns every series as of now, and reports what the counter did since the last
// export.
func (p *journeysProcessor) export(ctx context.Context) pmetric.Metrics {
	now := p.now().UnixNano()
	md := p.counter.Export(now, p.scope)
	p.dims.Expire(now)
	stats := p.counter.Stats()
	p.telemetry.report(ctx, stats, p.reported)
	p.reported = stats
	return md
}

// emit sends the metrics now.
func (p *journeysProcessor) emit(ctx context.Context) { p.emitter.Emit(ctx) }

// Flush stops the emission and sends the metrics one last time (sharedcomponent.Flusher).
func (p *journeysProcessor) Flush(ctx context.Context) { p.emitter.Flush(ctx) }

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
