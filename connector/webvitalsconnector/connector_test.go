// Copyright The otelcol-rum Authors
// SPDX-License-Identifier: Apache-2.0

package webvitalsconnector

import (
	"context"
	"flag"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/open-telemetry/opentelemetry-collector-contrib/pkg/pdatatest/plogtest"
	"github.com/open-telemetry/opentelemetry-collector-contrib/pkg/pdatatest/pmetrictest"
	"github.com/open-telemetry/opentelemetry-collector-contrib/pkg/pdatatest/ptracetest"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"go.opentelemetry.io/collector/component"
	"go.opentelemetry.io/collector/component/componenttest"
	"go.opentelemetry.io/collector/connector"
	"go.opentelemetry.io/collector/connector/connectortest"
	"go.opentelemetry.io/collector/consumer/consumertest"
	"go.opentelemetry.io/collector/pdata/plog"
	"go.opentelemetry.io/collector/pdata/pmetric"
	"go.opentelemetry.io/collector/pdata/ptrace"
	"go.opentelemetry.io/collector/processor/processortest"

	"github.com/otelcol-rum/otelcol-rum/internal/clientinfotest"
	"github.com/otelcol-rum/otelcol-rum/internal/goldenfile"
	"github.com/otelcol-rum/otelcol-rum/internal/rumtest"
	"github.com/otelcol-rum/otelcol-rum/internal/sdkcaptures"
	"github.com/otelcol-rum/otelcol-rum/internal/webvitals/histtest"
	"github.com/otelcol-rum/otelcol-rum/processor/sessionprocessor"
)

var update = flag.Bool("update", false, "rewrite the golden files under testdata/golden from the current output")

// connectors are the two directions of one connector ID, feeding one metrics sink.
type connectors struct {
	logs    connector.Logs
	traces  connector.Traces
	all     []component.Component
	metrics *consumertest.MetricsSink
}

func startConnectors(t *testing.T) *connectors {
	ctx := context.Background()
	f := NewFactory()
	cfg := f.CreateDefaultConfig().(*Config)
	cfg.EmitInterval = time.Hour // the tests flush at shutdown
	cfg.Dimensions = histtest.GoldenDimensions()
	set := connectortest.NewNopSettings(f.Type())
	c := &connectors{metrics: new(consumertest.MetricsSink)}
	l2m, err := f.CreateLogsToMetrics(ctx, set, cfg, c.metrics)
	require.NoError(t, err)
	t2m, err := f.CreateTracesToMetrics(ctx, set, cfg, c.metrics)
	require.NoError(t, err)
	c.logs, c.traces, c.all = l2m, t2m, []component.Component{l2m, t2m}
	for _, comp := range c.all {
		require.NoError(t, comp.Start(ctx, componenttest.NewNopHost()))
	}
	return c
}

func (c *connectors) stop(t *testing.T) {
	for _, comp := range c.all {
		require.NoError(t, comp.Shutdown(context.Background()))
	}
}

func readCapture(t *testing.T, name string) []byte {
	raw, err := os.ReadFile(filepath.Join(sdkcaptures.Dir(t), name))
	require.NoError(t, err)
	return raw
}

// TestOTelWebSDKThroughStockOTLPReceiver feeds the OTel web SDK's real payloads the way
// the stock otlp receiver hands them on (decoded OTLP/JSON, nothing added): the vitals
// come from the browser.web_vital log records, the page load from documentLoad. The
// input is marked read-only, as a fan-out to several exporters may leave it: the connector
// must not write to it.
func TestOTelWebSDKThroughStockOTLPReceiver(t *testing.T) {
	c := startConnectors(t)
	var logsIn []plog.Logs
	var tracesIn []ptrace.Traces
	for _, capture := range sdkcaptures.Load(t).Of(t, "otel") {
		raw := readCapture(t, capture.File)
		switch {
		case strings.HasSuffix(capture.Path, "/v1/logs"):
			ld, err := (&plog.JSONUnmarshaler{}).UnmarshalLogs(raw)
			require.NoError(t, err)
			before := plog.NewLogs()
			ld.CopyTo(before)
			ld.MarkReadOnly()
			require.NoError(t, c.logs.ConsumeLogs(context.Background(), ld))
			require.NoError(t, plogtest.CompareLogs(before, ld), "input unchanged")
			logsIn = append(logsIn, ld)
		case strings.HasSuffix(capture.Path, "/v1/traces"):
			td, err := (&ptrace.JSONUnmarshaler{}).UnmarshalTraces(raw)
			require.NoError(t, err)
			before := ptrace.NewTraces()
			td.CopyTo(before)
			td.MarkReadOnly()
			require.NoError(t, c.traces.ConsumeTraces(context.Background(), td))
			require.NoError(t, ptracetest.CompareTraces(before, td), "input unchanged")
			tracesIn = append(tracesIn, td)
		}
	}
	require.NotEmpty(t, logsIn)
	require.NotEmpty(t, tracesIn)
	c.stop(t)

	counts := histtest.Counts(c.metrics.AllMetrics())
	for _, vital := range []string{"lcp", "inp", "cls", "fcp", "ttfb"} {
		assert.Equal(t, uint64(1), counts["browser.web_vital."+vital], vital)
	}
	assert.Equal(t, uint64(1), counts["browser.page_load.duration"], "one documentLoad")
	goldenfile.Metrics(t, filepath.Join("testdata", "golden", "otel-stock-otlp.metrics.json"), c.metrics.AllMetrics(), *update,
		pmetrictest.IgnoreTimestamp(), pmetrictest.IgnoreStartTimestamp())
}

// TestSameHistogramsAsTheProcessor runs the real Faro capture through rum receiver →
// session, then into the connector (from the logs and traces pipelines), and expects
// exactly the histograms the processor derives from the metrics pipeline
// (processor/webvitalsprocessor/testdata/golden/faro.metrics.json), exemplars included:
// the two components share one aggregation.
func TestSameHistogramsAsTheProcessor(t *testing.T) {
	c := startConnectors(t)
	ctx := context.Background()
	sf := sessionprocessor.NewFactory()
	sCfg := sf.CreateDefaultConfig()
	sSet := processortest.NewNopSettings(sf.Type())
	sTraces, err := sf.CreateTraces(ctx, sSet, sCfg, c.traces)
	require.NoError(t, err)
	sLogs, err := sf.CreateLogs(ctx, sSet, sCfg, c.logs)
	require.NoError(t, err)
	sMetrics, err := sf.CreateMetrics(ctx, sSet, sCfg, consumertest.NewNop())
	require.NoError(t, err)
	sessions := []component.Component{sTraces, sLogs, sMetrics}
	for _, s := range sessions {
		require.NoError(t, s.Start(ctx, componenttest.NewNopHost()))
	}
	ct, cl, cm := clientinfotest.Front(t, sTraces, sLogs, sMetrics)
	r := rumtest.Start(t, ct, cl, cm)
	sdkcaptures.Replay(t, r.URL, "faro")
	r.Shutdown(t)
	for _, s := range sessions {
		require.NoError(t, s.Shutdown(ctx))
	}
	c.stop(t)

	raw, err := os.ReadFile(filepath.Join("..", "..", "processor", "webvitalsprocessor", "testdata", "golden", "faro.metrics.json"))
	require.NoError(t, err)
	expected, err := (&pmetric.JSONUnmarshaler{}).UnmarshalMetrics(raw)
	require.NoError(t, err)
	actual := pmetric.NewMetrics()
	for _, md := range c.metrics.AllMetrics() {
		md.ResourceMetrics().MoveAndAppendTo(actual.ResourceMetrics())
	}
	require.Positive(t, actual.DataPointCount())
	// The one difference allowed: the scope names the component that emitted.
	for _, rm := range actual.ResourceMetrics().All() {
		for _, sm := range rm.ScopeMetrics().All() {
			require.Equal(t, "github.com/otelcol-rum/otelcol-rum/connector/webvitalsconnector", sm.Scope().Name())
			sm.Scope().SetName("github.com/otelcol-rum/otelcol-rum/processor/webvitalsprocessor")
		}
	}
	require.NoError(t, pmetrictest.CompareMetrics(expected, actual, pmetrictest.IgnoreTimestamp(), pmetrictest.IgnoreStartTimestamp()))
}
