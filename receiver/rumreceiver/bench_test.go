// Copyright The otelcol-rum Authors
// SPDX-License-Identifier: Apache-2.0

package rumreceiver

import (
	"bytes"
	"context"
	"io"
	"net"
	"net/http"
	"os"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
	"go.opentelemetry.io/collector/component"
	"go.opentelemetry.io/collector/component/componenttest"
	"go.opentelemetry.io/collector/config/configgrpc"
	"go.opentelemetry.io/collector/config/confighttp"
	"go.opentelemetry.io/collector/config/configoptional"
	"go.opentelemetry.io/collector/consumer"
	"go.opentelemetry.io/collector/consumer/consumertest"
	"go.opentelemetry.io/collector/receiver/otlpreceiver"
	"go.opentelemetry.io/collector/receiver/receivertest"

	"github.com/otelcol-rum/otelcol-rum/internal/sharedcomponent"
)

// Benchmark payloads: a real Faro batch from the SDK captures, a single web-vitals beacon
// and the OTel web SDK's OTLP/JSON trace export.
const (
	benchFaroFile   = "testdata/sdk/faro-01-collect.json"
	benchVitalsFile = "testdata/sdk/vitals-03-lcp.json"
	benchOTLPFile   = "testdata/sdk/otel-01-v1-traces.json"
	// benchOTLPProtoFile and benchOTLPLogsFile: the protobuf trace export and the OTLP/JSON
	// log export (two web vitals) of the same SDK.
	benchOTLPProtoFile = "testdata/sdk/otel-proto-01-v1-traces.binpb"
	benchOTLPLogsFile  = "testdata/sdk/otel-02-v1-logs.json"
)

// readBench reads a capture; a missing one fails the benchmark rather than measuring
// another payload under its name.
func readBench(tb testing.TB, file string) []byte {
	body, err := os.ReadFile(file)
	require.NoError(tb, err)
	return body
}

// bareServer is the baseline: a net/http handler that only reads the body.
func bareServer(b *testing.B) string {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	require.NoError(b, err)
	srv := &http.Server{Handler: http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		_, _ = io.Copy(io.Discard, r.Body)
		w.WriteHeader(http.StatusAccepted)
	})}
	go func() { _ = srv.Serve(ln) }()
	b.Cleanup(func() { _ = srv.Close() })
	return "http://" + ln.Addr().String()
}

// stackServer is confighttp's server with the receiver's default settings around a handler
// that only reads the body: what the collector's HTTP stack (otelhttp, CORS,
// decompression, body limits, timeouts) costs before the receiver does anything.
func stackServer(b *testing.B) string {
	cfg := createDefaultConfig().(*Config)
	cfg.NetAddr.Endpoint = freeLoopbackAddr(b)
	srv, err := cfg.ServerConfig.ToServer(context.Background(), nil, componenttest.NewNopTelemetrySettings(),
		http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			_, _ = io.Copy(io.Discard, r.Body)
			w.WriteHeader(http.StatusAccepted)
		}))
	require.NoError(b, err)
	ln, err := cfg.ServerConfig.ToListener(context.Background())
	require.NoError(b, err)
	go func() { _ = srv.Serve(ln) }()
	b.Cleanup(func() { _ = srv.Close() })
	return "http://" + cfg.NetAddr.Endpoint
}

// rumServer runs the receiver with nop consumers and no rate limits, which would
// otherwise (correctly) refuse a benchmark's flood; sessionMetadata turns on
// session_metadata, as on the intake tier in front of Kafka.
func rumServer(b *testing.B, sessionMetadata bool) string {
	cfg := createDefaultConfig().(*Config)
	cfg.NetAddr.Endpoint = freeLoopbackAddr(b)
	cfg.RateLimit = RateLimitConfig{}
	cfg.SessionMetadata.Enabled = sessionMetadata
	startBenchReceiver(b, cfg, consumertest.NewNop(), consumertest.NewNop(), consumertest.NewNop())
	return "http://" + cfg.NetAddr.Endpoint
}

// startBenchReceiver starts the receiver of cfg in front of the given consumers and
// returns it; it is shut down when the benchmark ends.
func startBenchReceiver(b *testing.B, cfg *Config, traces consumer.Traces, logs consumer.Logs, metrics consumer.Metrics) *rumReceiver {
	set := receivertest.NewNopSettings(NewFactory().Type())
	ctx := context.Background()
	f := NewFactory()
	tr, err := f.CreateTraces(ctx, set, cfg, traces)
	require.NoError(b, err)
	lg, err := f.CreateLogs(ctx, set, cfg, logs)
	require.NoError(b, err)
	mt, err := f.CreateMetrics(ctx, set, cfg, metrics)
	require.NoError(b, err)
	// The captures are replayed at the time they were recorded, as in the golden test, so
	// that their timestamps are not corrected.
	rcv := tr.(*sharedcomponent.Component[*rumReceiver]).Unwrap()
	rcv.now = func() time.Time { return goldenNow }
	for _, c := range []component.Component{tr, lg, mt} {
		require.NoError(b, c.Start(ctx, componenttest.NewNopHost()))
	}
	b.Cleanup(func() {
		for _, c := range []component.Component{tr, lg, mt} {
			_ = c.Shutdown(ctx)
		}
	})
	return rcv
}

// otlpServer runs the stock otlp receiver's HTTP side, traces and logs, with nop consumers.
func otlpServer(b *testing.B) string {
	f := otlpreceiver.NewFactory()
	cfg := f.CreateDefaultConfig().(*otlpreceiver.Config)
	addr := freeLoopbackAddr(b)
	httpCfg := cfg.Protocols.HTTP.GetOrInsertDefault()
	httpCfg.ServerConfig = confighttp.NewDefaultServerConfig()
	httpCfg.ServerConfig.NetAddr.Endpoint = addr
	cfg.Protocols.GRPC = configoptional.None[configgrpc.ServerConfig]()
	set := receivertest.NewNopSettings(f.Type())
	tr, err := f.CreateTraces(context.Background(), set, cfg, consumertest.NewNop())
	require.NoError(b, err)
	lg, err := f.CreateLogs(context.Background(), set, cfg, consumertest.NewNop())
	require.NoError(b, err)
	for _, r := range []component.Component{tr, lg} {
		require.NoError(b, r.Start(context.Background(), componenttest.NewNopHost()))
		b.Cleanup(func() { _ = r.Shutdown(context.Background()) })
	}
	return "http://" + addr
}

func benchPost(b *testing.B, url, contentType string, body []byte, wantStatus int) {
	client := &http.Client{Transport: &http.Transport{MaxIdleConnsPerHost: 4}}
	b.SetBytes(int64(len(body)))
	b.ReportAllocs()
	b.ResetTimer()
	for b.Loop() {
		resp, err := client.Post(url, contentType, bytes.NewReader(body))
		if err != nil {
			b.Fatal(err)
		}
		_, _ = io.Copy(io.Discard, resp.Body)
		resp.Body.Close()
		if resp.StatusCode != wantStatus {
			b.Fatalf("status %d", resp.StatusCode)
		}
	}
}

// BenchmarkHTTP compares the whole receiver path with the bare baseline in one run, so the
// ratio holds on a noisy machine: see docs/benchmarks.md, rum receiver, for the figures.
func BenchmarkHTTP(b *testing.B) {
	faroBody := readBench(b, benchFaroFile)
	vitalsBody := readBench(b, benchVitalsFile)
	otlpBody := readBench(b, benchOTLPFile)
	otlpProtoBody := readBench(b, benchOTLPProtoFile)
	otlpLogsBody := readBench(b, benchOTLPLogsFile)
	bare, stack, rum, otlp := bareServer(b), stackServer(b), rumServer(b, false), otlpServer(b)
	// rum-sessions: the same receiver with session_metadata (the intake tier's setting).
	sessions := rumServer(b, true)

	b.Run("faro/bare", func(b *testing.B) { benchPost(b, bare+"/collect", "application/json", faroBody, http.StatusAccepted) })
	b.Run("faro/confighttp", func(b *testing.B) { benchPost(b, stack+"/collect", "application/json", faroBody, http.StatusAccepted) })
	b.Run("faro/rum", func(b *testing.B) { benchPost(b, rum+"/collect", "application/json", faroBody, http.StatusAccepted) })
	b.Run("faro/rum-sessions", func(b *testing.B) {
		benchPost(b, sessions+"/collect", "application/json", faroBody, http.StatusAccepted)
	})
	b.Run("vitals/bare", func(b *testing.B) { benchPost(b, bare+"/vitals", "text/plain", vitalsBody, http.StatusAccepted) })
	b.Run("vitals/confighttp", func(b *testing.B) { benchPost(b, stack+"/vitals", "text/plain", vitalsBody, http.StatusAccepted) })
	b.Run("vitals/rum", func(b *testing.B) { benchPost(b, rum+"/vitals", "text/plain", vitalsBody, http.StatusAccepted) })
	b.Run("vitals/rum-sessions", func(b *testing.B) { benchPost(b, sessions+"/vitals", "text/plain", vitalsBody, http.StatusAccepted) })
	b.Run("otlpjson/otlpreceiver", func(b *testing.B) { benchPost(b, otlp+"/v1/traces", "application/json", otlpBody, http.StatusOK) })
	b.Run("otlpjson/rum", func(b *testing.B) { benchPost(b, rum+"/v1/traces", "application/json", otlpBody, http.StatusOK) })
	b.Run("otlpjson/rum-sessions", func(b *testing.B) { benchPost(b, sessions+"/v1/traces", "application/json", otlpBody, http.StatusOK) })
	const protobuf = "application/x-protobuf"
	b.Run("otlpproto/otlpreceiver", func(b *testing.B) { benchPost(b, otlp+"/v1/traces", protobuf, otlpProtoBody, http.StatusOK) })
	b.Run("otlpproto/rum", func(b *testing.B) { benchPost(b, rum+"/v1/traces", protobuf, otlpProtoBody, http.StatusOK) })
	b.Run("otlplogs/otlpreceiver", func(b *testing.B) { benchPost(b, otlp+"/v1/logs", "application/json", otlpLogsBody, http.StatusOK) })
	b.Run("otlplogs/rum", func(b *testing.B) { benchPost(b, rum+"/v1/logs", "application/json", otlpLogsBody, http.StatusOK) })
	b.Run("otlplogs/rum-sessions", func(b *testing.B) { benchPost(b, sessions+"/v1/logs", "application/json", otlpLogsBody, http.StatusOK) })
}
