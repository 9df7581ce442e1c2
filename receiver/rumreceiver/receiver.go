// Copyright The otelcol-rum Authors
// SPDX-License-Identifier: Apache-2.0

package rumreceiver // import "github.com/otelcol-rum/otelcol-rum/receiver/rumreceiver"

import (
	"context"
	"errors"
	"net/http"
	"sync"
	"time"

	"go.opentelemetry.io/collector/component"
	"go.opentelemetry.io/collector/component/componentstatus"
	"go.opentelemetry.io/collector/consumer"
	"go.opentelemetry.io/collector/receiver"
	"go.opentelemetry.io/collector/receiver/receiverhelper"
	"go.uber.org/zap"

	"github.com/otelcol-rum/otelcol-rum/receiver/rumreceiver/internal/clientaddr"
	"github.com/otelcol-rum/otelcol-rum/receiver/rumreceiver/internal/metadata"
	"github.com/otelcol-rum/otelcol-rum/receiver/rumreceiver/internal/ratelimit"
)

// rumReceiver is one HTTP server shared by the traces, logs and metrics pipelines that
// name the same rum receiver.
type rumReceiver struct {
	cfg *Config
	set receiver.Settings

	nextTraces  consumer.Traces
	nextLogs    consumer.Logs
	nextMetrics consumer.Metrics

	obsrep    *receiverhelper.ObsReport
	telemetry *metadata.TelemetryBuilder

	appsByKey     map[string]AppConfig
	appLimiter    *ratelimit.Limiter
	clientLimiter *ratelimit.Limiter
	clients       *clientaddr.Resolver
	origins       originPolicy
	inFlight      inFlight
	partials      *partials
	userAttrs     map[string]bool
	now           func() time.Time

	server *http.Server
	// direct is the route around confighttp's instrumentation, nil when every request
	// goes through confighttp (direct.go).
	direct *directRoute
	wg     sync.WaitGroup
	// stopping is closed when shutdown begins: requests that are offering the rest of
	// their data again give up, so that the drain is not spent waiting for them.
	stopping chan struct{}
	stopOnce sync.Once
}

func newRUMReceiver(cfg *Config, set receiver.Settings) (*rumReceiver, error) {
	obsrep, err := receiverhelper.NewObsReport(receiverhelper.ObsReportSettings{
		ReceiverID:             set.ID,
		Transport:              "http",
		ReceiverCreateSettings: set,
	})
	if err != nil {
		return nil, err
	}
	tb, err := metadata.NewTelemetryBuilder(set.TelemetrySettings)
	if err != nil {
		return nil, err
	}
	trusted, errs := cfg.trustedProxies()
	if len(errs) > 0 {
		return nil, errors.Join(errs...)
	}
	r := &rumReceiver{
		cfg:           cfg,
		set:           set,
		obsrep:        obsrep,
		telemetry:     tb,
		appsByKey:     make(map[string]AppConfig, len(cfg.Apps)),
		appLimiter:    ratelimit.New(cfg.RateLimit.PerApp.Rate, cfg.RateLimit.PerApp.Burst, len(cfg.Apps)+1),
		clientLimiter: ratelimit.New(cfg.RateLimit.PerClient.Rate, cfg.RateLimit.PerClient.Burst, cfg.RateLimit.MaxClients),
		clients:       clientaddr.NewResolver(trusted, cfg.ClientAddressHeader),
		origins:       newOriginPolicy(cfg),
		inFlight:      inFlight{max: int64(cfg.MaxConcurrentRequests)},
		partials:      newPartials(),
		userAttrs:     map[string]bool{},
		now:           time.Now,
		stopping:      make(chan struct{}),
	}
	for _, a := range cfg.Apps {
		r.appsByKey[string(a.APIKey)] = a
	}
	for _, a := range cfg.Privacy.UserAttributes {
		r.userAttrs[a] = true
	}
	return r, nil
}

// Start listens on the configured endpoint.
func (r *rumReceiver) Start(ctx context.Context, host component.Host) error {
	r.logUnwiredSignals()
	routes := r.routes()
	server, err := r.cfg.ServerConfig.ToServer(ctx, host.GetExtensions(), r.set.TelemetrySettings, routes, confighttpErrorHandler(r))
	if err != nil {
		return err
	}
	ln, err := r.cfg.ServerConfig.ToListener(ctx)
	if err != nil {
		return err
	}
	r.direct = newDirectRoute(&r.cfg.ServerConfig, r.set.TelemetrySettings, routes)
	server.Handler = r.guard(server.Handler, r.direct)
	r.server = server
	r.set.Logger.Info("Starting RUM HTTP server", zap.String("endpoint", ln.Addr().String()), zap.Int("apps", len(r.cfg.Apps)),
		zap.Bool("direct_route", r.direct != nil))
	r.wg.Go(func() {
		if err := server.Serve(ln); err != nil && !errors.Is(err, http.ErrServerClosed) {
			componentstatus.ReportStatus(host, componentstatus.NewFatalErrorEvent(err))
		}
	})
	return nil
}

// Shutdown stops accepting requests and waits up to drain_timeout for the ones in flight;
// then it closes their connections. It runs at the first pipeline's Shutdown (see the
// factory), when every component downstream still runs, so that a request in flight can
// finish: it never waits on a component that has stopped. A request cut off at the
// deadline gets no answer, so its client sends it again: nothing it was told was accepted
// is lost.
func (r *rumReceiver) Shutdown(ctx context.Context) error {
	r.stopOnce.Do(func() { close(r.stopping) })
	var err error
	if r.server != nil {
		err = r.drain(ctx)
	}
	r.wg.Wait()
	r.telemetry.Shutdown()
	return err
}

func (r *rumReceiver) drain(ctx context.Context) error {
	drainCtx, cancel := context.WithTimeout(ctx, r.cfg.DrainTimeout)
	defer cancel()
	err := r.server.Shutdown(drainCtx)
	if err == nil {
		return nil
	}
	r.set.Logger.Warn("requests still in flight at the end of drain_timeout; closing their connections unanswered",
		zap.Int64("requests", r.inFlight.n.Load()), zap.Duration("drain_timeout", r.cfg.DrainTimeout))
	if closeErr := r.server.Close(); closeErr != nil {
		return closeErr
	}
	// The requests were cut off on purpose; their clients retry. Shutdown itself worked.
	return nil
}

// logUnwiredSignals says once which signals have no pipeline, since their data is then
// dropped by design rather than by accident.
func (r *rumReceiver) logUnwiredSignals() {
	var missing []string
	if r.nextTraces == nil {
		missing = append(missing, "traces")
	}
	if r.nextLogs == nil {
		missing = append(missing, "logs")
	}
	if r.nextMetrics == nil {
		missing = append(missing, "metrics")
	}
	if len(missing) > 0 {
		r.set.Logger.Info("RUM receiver is not in a pipeline for these signals; their data will not be forwarded",
			zap.Strings("signals", missing))
	}
}
