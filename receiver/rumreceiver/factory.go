package rumreceiver // import "github.com/otelcol-rum/otelcol-rum/receiver/rumreceiver"

import (
	"context"
	"time"

	"go.opentelemetry.io/collector/component"
	"go.opentelemetry.io/collector/config/confighttp"
	"go.opentelemetry.io/collector/config/configoptional"
	"go.opentelemetry.io/collector/consumer"
	"go.opentelemetry.io/collector/receiver"

	"github.com/otelcol-rum/otelcol-rum/internal/sharedcomponent"
	"github.com/otelcol-rum/otelcol-rum/receiver/rumreceiver/internal/metadata"
)

const (
	// defaultEndpoint is Grafana Faro's customary collector port, clear of OTLP's 4317/4318.
	defaultEndpoint = "localhost:12347"
	// defaultMaxRequestBodySize is far above a browser beacon (sendBeacon caps at 64 KiB)
	// and far below what would hurt the collector.
	defaultMaxRequestBodySize = 1 << 20
	defaultRetryAfter         = 5 * time.Second
	defaultMaxClockSkew       = 5 * time.Minute
	defaultPerAppRate         = 1000
	defaultPerAppBurst        = 2000
	defaultPerClientRate      = 10
	defaultPerClientBurst     = 50
	defaultMaxClients         = 100_000
	defaultCORSMaxAge         = 7200
)

// defaultCORSAllowedHeaders are the request headers the browser SDKs send (Faro 2 adds
// idempotency-key to every request, seen in the captures under testdata/sdk).
var defaultCORSAllowedHeaders = []string{
	"content-type", "content-encoding", "idempotency-key", "traceparent", "tracestate", "x-api-key", "x-faro-session-id",
}

// defaultCORSExposedHeaders lets the SDKs read Retry-After on 429/503.
var defaultCORSExposedHeaders = []string{"Retry-After"}

// NewFactory creates the rum receiver factory.
func NewFactory() receiver.Factory {
	return receiver.NewFactory(
		metadata.Type,
		createDefaultConfig,
		receiver.WithTraces(createTraces, metadata.TracesStability),
		receiver.WithLogs(createLogs, metadata.LogsStability),
		receiver.WithMetrics(createMetrics, metadata.MetricsStability),
	)
}

func createDefaultConfig() component.Config {
	server := confighttp.NewDefaultServerConfig()
	server.NetAddr.Endpoint = defaultEndpoint
	server.MaxRequestBodySize = defaultMaxRequestBodySize
	server.CORS = configoptional.Some(confighttp.CORSConfig{
		AllowedOrigins: []string{"*"},
		AllowedHeaders: defaultCORSAllowedHeaders,
		ExposedHeaders: defaultCORSExposedHeaders,
		MaxAge:         defaultCORSMaxAge,
	})
	return &Config{
		ServerConfig: server,
		RetryAfter:   defaultRetryAfter,
		MaxClockSkew: defaultMaxClockSkew,
		RateLimit: RateLimitConfig{
			PerApp:     LimitConfig{Rate: defaultPerAppRate, Burst: defaultPerAppBurst},
			PerClient:  LimitConfig{Rate: defaultPerClientRate, Burst: defaultPerClientBurst},
			MaxClients: defaultMaxClients,
		},
	}
}

// receivers holds one instance per configuration: the traces, logs and metrics pipelines
// that name the same rum receiver share its HTTP server.
var receivers = sharedcomponent.NewMap[*Config, *rumReceiver]()

func sharedReceiver(set receiver.Settings, cfg component.Config) (*sharedcomponent.Component[*rumReceiver], error) {
	rCfg := cfg.(*Config)
	return receivers.LoadOrStore(rCfg, func() (*rumReceiver, error) {
		return newRUMReceiver(rCfg, set)
	})
}

func createTraces(_ context.Context, set receiver.Settings, cfg component.Config, next consumer.Traces) (receiver.Traces, error) {
	r, err := sharedReceiver(set, cfg)
	if err != nil {
		return nil, err
	}
	r.Unwrap().nextTraces = next
	return r, nil
}

func createLogs(_ context.Context, set receiver.Settings, cfg component.Config, next consumer.Logs) (receiver.Logs, error) {
	r, err := sharedReceiver(set, cfg)
	if err != nil {
		return nil, err
	}
	r.Unwrap().nextLogs = next
	return r, nil
}

func createMetrics(_ context.Context, set receiver.Settings, cfg component.Config, next consumer.Metrics) (receiver.Metrics, error) {
	r, err := sharedReceiver(set, cfg)
	if err != nil {
		return nil, err
	}
	r.Unwrap().nextMetrics = next
	return r, nil
}
