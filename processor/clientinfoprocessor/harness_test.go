// Copyright The otelcol-rum Authors
// SPDX-License-Identifier: Apache-2.0

package clientinfoprocessor

import (
	"context"
	"errors"
	"net"
	"testing"

	"github.com/stretchr/testify/require"
	"go.opentelemetry.io/collector/client"
	"go.opentelemetry.io/collector/component"
	"go.opentelemetry.io/collector/component/componenttest"
	"go.opentelemetry.io/collector/consumer/consumertest"
	"go.opentelemetry.io/collector/pdata/pcommon"
	"go.opentelemetry.io/collector/pdata/plog"
	"go.opentelemetry.io/collector/pdata/pmetric"
	"go.opentelemetry.io/collector/pdata/ptrace"
	"go.opentelemetry.io/collector/processor"
	"go.opentelemetry.io/otel/sdk/metric/metricdata"
	"go.opentelemetry.io/otel/sdk/metric/metricdata/metricdatatest"
	"go.uber.org/zap"

	"github.com/otelcol-rum/otelcol-rum/processor/clientinfoprocessor/internal/metadatatest"
)

// User-Agent strings of the tests: a phone, a desktop and a crawler, as sent today.
const (
	samsungUA   = "Mozilla/5.0 (Linux; Android 14; SAMSUNG SM-S918B) AppleWebKit/537.36 (KHTML, like Gecko) SamsungBrowser/26.0 Chrome/122.0.0.0 Mobile Safari/537.36"
	firefoxUA   = "Mozilla/5.0 (Windows NT 10.0; Win64; x64; rv:133.0) Gecko/20100101 Firefox/133.0"
	googlebotUA = "Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)"
)

var ignoreTime = []metricdatatest.Option{metricdatatest.IgnoreTimestamp(), metricdatatest.IgnoreExemplars()}

// harness runs one processor, created by the factory like the collector does, for the
// three signals, into sinks.
type harness struct {
	t       *testing.T
	cfg     *Config
	tel     *componenttest.Telemetry
	logs    processor.Logs
	traces  processor.Traces
	metrics processor.Metrics
	logSink consumertest.LogsSink
	spans   consumertest.TracesSink
	points  consumertest.MetricsSink
}

func newHarness(t *testing.T, configure func(*Config)) *harness {
	t.Helper()
	return newLoggedHarness(t, configure, nil)
}

// newLoggedHarness is newHarness with the processor logging to logger (nil: nowhere).
func newLoggedHarness(t *testing.T, configure func(*Config), logger *zap.Logger) *harness {
	t.Helper()
	cfg := createDefaultConfig().(*Config)
	if configure != nil {
		configure(cfg)
	}
	h := &harness{t: t, cfg: cfg, tel: componenttest.NewTelemetry()}
	t.Cleanup(func() { require.NoError(t, h.tel.Shutdown(context.Background())) })
	f := NewFactory()
	set := metadatatest.NewSettings(h.tel)
	if logger != nil {
		set.Logger = logger
	}
	ctx := context.Background()
	var err error
	h.logs, err = f.CreateLogs(ctx, set, cfg, &h.logSink)
	require.NoError(t, err)
	h.traces, err = f.CreateTraces(ctx, set, cfg, &h.spans)
	require.NoError(t, err)
	h.metrics, err = f.CreateMetrics(ctx, set, cfg, &h.points)
	require.NoError(t, err)
	host := componenttest.NewNopHost()
	for _, c := range []interface {
		Start(context.Context, component.Host) error
	}{h.logs, h.traces, h.metrics} {
		require.NoError(t, c.Start(ctx, host))
	}
	t.Cleanup(func() {
		for _, c := range []interface{ Shutdown(context.Context) error }{h.logs, h.traces, h.metrics} {
			require.NoError(t, c.Shutdown(context.Background()))
		}
	})
	return h
}

// processor is the processor the harness's three signals share.
func (h *harness) processor() *clientInfoProcessor {
	h.t.Helper()
	shared, err := processors.LoadOrStore(h.cfg, func() (*clientInfoProcessor, error) {
		return nil, errors.New("the harness's processor is gone")
	})
	require.NoError(h.t, err)
	return shared.Unwrap()
}

// fromClient is the context a receiver passes on: the request's peer and, with
// include_metadata, its headers.
func fromClient(addr net.Addr, headers map[string][]string) context.Context {
	return client.NewContext(context.Background(), client.Info{Addr: addr, Metadata: client.NewMetadata(headers)})
}

// logsOf builds logs with one resource (and one record) per attribute map.
func logsOf(resources ...map[string]any) plog.Logs {
	ld := plog.NewLogs()
	for _, attrs := range resources {
		rl := ld.ResourceLogs().AppendEmpty()
		putRaw(rl.Resource().Attributes(), attrs)
		rl.ScopeLogs().AppendEmpty().LogRecords().AppendEmpty().Body().SetStr("event")
	}
	return ld
}

func tracesOf(attrs map[string]any) ptrace.Traces {
	td := ptrace.NewTraces()
	rs := td.ResourceSpans().AppendEmpty()
	putRaw(rs.Resource().Attributes(), attrs)
	rs.ScopeSpans().AppendEmpty().Spans().AppendEmpty().SetName("documentLoad")
	return td
}

func metricsOf(attrs map[string]any) pmetric.Metrics {
	md := pmetric.NewMetrics()
	rm := md.ResourceMetrics().AppendEmpty()
	putRaw(rm.Resource().Attributes(), attrs)
	rm.ScopeMetrics().AppendEmpty().Metrics().AppendEmpty().SetEmptySum().DataPoints().AppendEmpty().SetIntValue(1)
	return md
}

// sentLogs sends ld through the processor and returns the resources' attributes that
// came out, in order.
func (h *harness) sentLogs(ctx context.Context, ld plog.Logs) []map[string]any {
	h.t.Helper()
	h.logSink.Reset()
	require.NoError(h.t, h.logs.ConsumeLogs(ctx, ld))
	var out []map[string]any
	for _, got := range h.logSink.AllLogs() {
		for i := range got.ResourceLogs().Len() {
			out = append(out, got.ResourceLogs().At(i).Resource().Attributes().AsRaw())
		}
	}
	return out
}

func (h *harness) assertEnriched(want int64) {
	h.t.Helper()
	metadatatest.AssertEqualProcessorClientinfoResourcesEnriched(h.t, h.tel, []metricdata.DataPoint[int64]{{Value: want}}, ignoreTime...)
}

// putRaw fills m from the tests' literal maps, which hold only strings and numbers.
func putRaw(m pcommon.Map, attrs map[string]any) {
	if err := m.FromRaw(attrs); err != nil {
		panic(err)
	}
}
