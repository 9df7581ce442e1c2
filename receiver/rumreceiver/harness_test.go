// Copyright The otelcol-rum Authors
// SPDX-License-Identifier: Apache-2.0

package rumreceiver

import (
	"bytes"
	"compress/gzip"
	"context"
	"net"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
	"go.opentelemetry.io/collector/component"
	"go.opentelemetry.io/collector/component/componenttest"
	"go.opentelemetry.io/collector/consumer"
	"go.opentelemetry.io/collector/consumer/consumertest"
	"go.opentelemetry.io/otel/attribute"
	sdkmetric "go.opentelemetry.io/otel/sdk/metric"
	"go.opentelemetry.io/otel/sdk/metric/metricdata"
	"go.opentelemetry.io/otel/sdk/metric/metricdata/metricdatatest"
	tracenoop "go.opentelemetry.io/otel/trace/noop"

	"github.com/otelcol-rum/otelcol-rum/internal/sharedcomponent"
	"github.com/otelcol-rum/otelcol-rum/receiver/rumreceiver/internal/metadatatest"
)

// harness runs a receiver on a free loopback port with sinks on all three signals.
type harness struct {
	t       *testing.T
	url     string
	traces  *consumertest.TracesSink
	logs    *consumertest.LogsSink
	metrics *consumertest.MetricsSink
	tel     *componenttest.Telemetry
	rcv     *rumReceiver
	// pipelines are the receiver as the traces, logs and metrics pipelines hold it, in the
	// order the harness shuts them down; stopped counts those already shut down.
	pipelines []component.Component
	stopped   int
}

type harnessOption func(*Config, *harnessConsumers)

type harnessConsumers struct {
	traces  consumer.Traces
	logs    consumer.Logs
	metrics consumer.Metrics
	// defaultLevel gives the receiver the telemetry of a collector at the default metrics
	// level without internal traces, where the direct route applies (direct.go); without
	// it every metric and span is kept, as in componenttest.
	defaultLevel bool
}

func withConfig(f func(*Config)) harnessOption {
	return func(c *Config, _ *harnessConsumers) { f(c) }
}

// withDefaultTelemetryLevel runs the receiver as under the collector's default telemetry
// settings: otelhttp's metrics dropped by the service's views, internal traces off.
func withDefaultTelemetryLevel() harnessOption {
	return func(_ *Config, hc *harnessConsumers) { hc.defaultLevel = true }
}

func withLogsConsumer(c consumer.Logs) harnessOption {
	return func(_ *Config, hc *harnessConsumers) { hc.logs = c }
}

func freeLoopbackAddr(t testing.TB) string {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	require.NoError(t, err)
	addr := ln.Addr().String()
	require.NoError(t, ln.Close())
	return addr
}

func startHarness(t *testing.T, opts ...harnessOption) *harness {
	t.Helper()
	h := &harness{
		t:       t,
		traces:  new(consumertest.TracesSink),
		logs:    new(consumertest.LogsSink),
		metrics: new(consumertest.MetricsSink),
		tel:     componenttest.NewTelemetry(),
	}
	cfg := createDefaultConfig().(*Config)
	cfg.NetAddr.Endpoint = freeLoopbackAddr(t)
	hc := harnessConsumers{traces: h.traces, logs: h.logs, metrics: h.metrics}
	for _, o := range opts {
		o(cfg, &hc)
	}
	require.NoError(t, cfg.Validate())
	if hc.defaultLevel {
		h.tel = componenttest.NewTelemetry(componenttest.WithMetricOptions(sdkmetric.WithView(dropOtelhttpView)))
	}
	set := metadatatest.NewSettings(h.tel)
	if hc.defaultLevel {
		set.TracerProvider = tracenoop.NewTracerProvider()
	}
	f := NewFactory()
	ctx := context.Background()
	tr, err := f.CreateTraces(ctx, set, cfg, hc.traces)
	require.NoError(t, err)
	lg, err := f.CreateLogs(ctx, set, cfg, hc.logs)
	require.NoError(t, err)
	mt, err := f.CreateMetrics(ctx, set, cfg, hc.metrics)
	require.NoError(t, err)
	host := componenttest.NewNopHost()
	require.NoError(t, tr.Start(ctx, host))
	require.NoError(t, lg.Start(ctx, host))
	require.NoError(t, mt.Start(ctx, host))
	h.rcv = tr.(*sharedcomponent.Component[*rumReceiver]).Unwrap()
	h.pipelines = []component.Component{tr, lg, mt}
	t.Cleanup(func() {
		for h.stopped < len(h.pipelines) {
			require.NoError(t, h.shutdownNext(ctx))
		}
		require.NoError(t, h.tel.Shutdown(ctx))
	})
	h.url = "http://" + cfg.NetAddr.Endpoint
	return h
}

// shutdownNext shuts the receiver down in the next pipeline, as the collector does one
// pipeline after the other.
func (h *harness) shutdownNext(ctx context.Context) error {
	h.stopped++
	return h.pipelines[h.stopped-1].Shutdown(ctx)
}

// addr is the receiver's host:port.
func (h *harness) addr() string { return strings.TrimPrefix(h.url, "http://") }

// post sends body to path with the given headers and returns the response.
func (h *harness) post(path string, body []byte, headers ...string) *http.Response {
	h.t.Helper()
	return h.do(http.MethodPost, path, body, headers...)
}

func (h *harness) do(method, path string, body []byte, headers ...string) *http.Response {
	h.t.Helper()
	req, err := http.NewRequest(method, h.url+path, bytes.NewReader(body))
	require.NoError(h.t, err)
	for i := 0; i+1 < len(headers); i += 2 {
		req.Header.Set(headers[i], headers[i+1])
	}
	client := &http.Client{Timeout: 10 * time.Second}
	resp, err := client.Do(req)
	require.NoError(h.t, err)
	h.t.Cleanup(func() { resp.Body.Close() })
	return resp
}

// assertRefused checks the refusal counter by reason.
func (h *harness) assertRefused(counts map[string]int64) {
	h.t.Helper()
	if len(counts) == 0 {
		_, err := h.tel.GetMetric("otelcol_receiver_rum_requests_refused")
		require.Error(h.t, err, "no request should have been refused")
		return
	}
	var dps []metricdata.DataPoint[int64]
	for reason, n := range counts {
		dps = append(dps, metricdata.DataPoint[int64]{Attributes: attribute.NewSet(attribute.String("reason", reason)), Value: n})
	}
	metadatatest.AssertEqualReceiverRumRequestsRefused(h.t, h.tel, dps, metricdatatest.IgnoreTimestamp(), metricdatatest.IgnoreExemplars())
}

// dropOtelhttpView drops otelhttp's metrics, as the service's views do below the detailed
// level.
func dropOtelhttpView(i sdkmetric.Instrument) (sdkmetric.Stream, bool) {
	if i.Scope.Name == otelhttpScope {
		return sdkmetric.Stream{Aggregation: sdkmetric.AggregationDrop{}}, true
	}
	return sdkmetric.Stream{}, false
}

func gzipBytes(t *testing.T, b []byte) []byte {
	t.Helper()
	var buf bytes.Buffer
	zw := gzip.NewWriter(&buf)
	_, err := zw.Write(b)
	require.NoError(t, err)
	require.NoError(t, zw.Close())
	return buf.Bytes()
}
