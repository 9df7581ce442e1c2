// Copyright The otelcol-rum Authors
// SPDX-License-Identifier: Apache-2.0

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
	// defaultMaxTimestampAge lets through what an SDK buffered while the page was offline
	// for a while, and stops times that would be stored decades off.
	defaultMaxTimestampAge = 24 * time.Hour
	// defaultMaxConcurrentRequests is far above what a busy collector has in flight (a
	// request takes well under a millisecond) and bounds what slow or hostile clients can
	// hold: with max_request_body_size, 512 MiB at worst.
	defaultMaxConcurrentRequests = 512
	// A browser sends its headers in one go; the confighttp default of a minute lets a
	// slowloris client keep a connection for that long.
	defaultReadHeaderTimeout = 10 * time.Second
	// defaultReadTimeout bounds the whole request, body included: a 1 MiB body needs
	// 35 KB/s to make it.
	defaultReadTimeout = 30 * time.Second
	// defaultWriteTimeout counts, as net/http does, from the request's headers: it must
	// leave room for a body that took nearly read_timeout, the offers of its rest for up to
	// retry_after, and forwarding. An answer cut off after the data went on makes the
	// client send that data again. confighttp's own default is 30s, as read_timeout.
	defaultWriteTimeout = defaultReadTimeout + defaultRetryAfter + 10*time.Second
	// defaultMinBodyRate and defaultMinBodyRateGrace cut off a body that trickles in: a
	// 64 KiB beacon on a 2G connection (about 30 KB/s) is far above them.
	defaultMinBodyRate      = 1024
	defaultMinBodyRateGrace = 5 * time.Second
	// defaultDrainTimeout leaves most of an orchestrator's usual 30 s grace period to the
	// processors and exporters that shut down after the receiver.
	defaultDrainTimeout   = 5 * time.Second
	defaultPerAppRate     = 1000
	defaultPerAppBurst    = 2000
	defaultPerClientRate  = 10
	defaultPerClientBurst = 50
	defaultMaxClients     = 100_000
	defaultCORSMaxAge     = 7200
	// defaultSessionMetadataEnabled: only a collector that hands the data to another one
	// (the intake tier in front of Kafka) needs the session key in the client metadata; a
	// collector that runs the session processor itself would pay for reading every
	// record's session.id for nothing.
	defaultSessionMetadataEnabled = false
	// defaultClientAddressHeader reads the standard forwarding headers. With no trusted
	// proxies, the default, no header is read at all.
	defaultClientAddressHeader = ""
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
	server.ReadHeaderTimeout = defaultReadHeaderTimeout
	server.ReadTimeout = defaultReadTimeout
	server.WriteTimeout = defaultWriteTimeout
	server.CORS = configoptional.Some(confighttp.CORSConfig{
		AllowedOrigins: []string{"*"},
		AllowedHeaders: defaultCORSAllowedHeaders,
		ExposedHeaders: defaultCORSExposedHeaders,
		MaxAge:         defaultCORSMaxAge,
	})
	return &Config{
		ServerConfig:          server,
		RetryAfter:            defaultRetryAfter,
		MaxClockSkew:          defaultMaxClockSkew,
		MaxTimestampAge:       defaultMaxTimestampAge,
		MaxConcurrentRequests: defaultMaxConcurrentRequests,
		MinBodyRate:           MinBodyRateConfig{BytesPerSecond: defaultMinBodyRate, GracePeriod: defaultMinBodyRateGrace},
		DrainTimeout:          defaultDrainTimeout,
		ClientAddressHeader:   defaultClientAddressHeader,
		SessionMetadata:       SessionMetadataConfig{Enabled: defaultSessionMetadataEnabled},
		RateLimit: RateLimitConfig{
			PerApp:     LimitConfig{Rate: defaultPerAppRate, Burst: defaultPerAppBurst},
			PerClient:  LimitConfig{Rate: defaultPerClientRate, Burst: defaultPerClientBurst},
			MaxClients: defaultMaxClients,
		},
	}
}

// receivers holds one instance per configuration: the traces, logs and metrics pipelines
// that name the same rum receiver share its HTTP server. It stops at the first pipeline's
// Shutdown, while everything downstream of every pipeline still runs.
var receivers = sharedcomponent.NewMap[*Config, *rumReceiver](sharedcomponent.StopAtFirstShutdown())

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
