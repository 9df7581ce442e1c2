// Copyright The otelcol-rum Authors
// SPDX-License-Identifier: Apache-2.0

package clientinfoprocessor // import "github.com/otelcol-rum/otelcol-rum/processor/clientinfoprocessor"

import (
	"context"

	"go.opentelemetry.io/collector/component"
	"go.opentelemetry.io/collector/pdata/plog"
	"go.opentelemetry.io/collector/pdata/pmetric"
	"go.opentelemetry.io/collector/pdata/ptrace"
	"go.opentelemetry.io/collector/processor"
	"go.opentelemetry.io/collector/processor/processorhelper"
	"go.uber.org/zap"

	"github.com/otelcol-rum/otelcol-rum/internal/geoip"
	"github.com/otelcol-rum/otelcol-rum/internal/useragent"
	"github.com/otelcol-rum/otelcol-rum/processor/clientinfoprocessor/internal/metadata"
)

// clientInfoProcessor is the processor of one component ID, shared by every pipeline
// that names it.
type clientInfoProcessor struct {
	cfg       *Config
	logger    *zap.Logger
	agents    *useragent.Parser
	uncached  *uncachedBudget
	telemetry *telemetry
	// geo is the database, nil without one configured; it is opened by Start, so that
	// a configuration that is only validated reads no file.
	geo *geoip.DB
}

func newClientInfoProcessor(cfg *Config, set processor.Settings) (*clientInfoProcessor, error) {
	agents, err := useragent.NewParser(cfg.UserAgent.CacheSize)
	if err != nil {
		return nil, err
	}
	tb, err := metadata.NewTelemetryBuilder(set.TelemetrySettings)
	if err != nil {
		return nil, err
	}
	return &clientInfoProcessor{
		cfg: cfg, logger: set.Logger, agents: agents,
		uncached:  newUncachedBudget(cfg.UserAgent.MaxUncachedPerSecond),
		telemetry: newTelemetry(tb),
	}, nil
}

func (p *clientInfoProcessor) Start(context.Context, component.Host) error {
	if p.cfg.GeoIP.Database != "" {
		p.geo = geoip.Open(p.cfg.GeoIP.Database, p.cfg.GeoIP.ReloadInterval, p.logger)
		p.geo.Start()
	}
	return nil
}

func (p *clientInfoProcessor) Shutdown(context.Context) error {
	p.telemetry.shutdown()
	if p.geo != nil {
		return p.geo.Close()
	}
	return nil
}

// The three signals go the same way: each resource is enriched, and a crawler's is
// removed, with its data, when drop_bots is on. Data left with no resource is not sent
// on at all.

func (p *clientInfoProcessor) processLogs(ctx context.Context, ld plog.Logs) (plog.Logs, error) {
	ld.ResourceLogs().RemoveIf(func(rl plog.ResourceLogs) bool { return !p.enrich(ctx, rl.Resource().Attributes()) })
	if ld.ResourceLogs().Len() == 0 {
		return ld, processorhelper.ErrSkipProcessingData
	}
	return ld, nil
}

func (p *clientInfoProcessor) processTraces(ctx context.Context, td ptrace.Traces) (ptrace.Traces, error) {
	td.ResourceSpans().RemoveIf(func(rs ptrace.ResourceSpans) bool { return !p.enrich(ctx, rs.Resource().Attributes()) })
	if td.ResourceSpans().Len() == 0 {
		return td, processorhelper.ErrSkipProcessingData
	}
	return td, nil
}

func (p *clientInfoProcessor) processMetrics(ctx context.Context, md pmetric.Metrics) (pmetric.Metrics, error) {
	md.ResourceMetrics().RemoveIf(func(rm pmetric.ResourceMetrics) bool { return !p.enrich(ctx, rm.Resource().Attributes()) })
	if md.ResourceMetrics().Len() == 0 {
		return md, processorhelper.ErrSkipProcessingData
	}
	return md, nil
}
