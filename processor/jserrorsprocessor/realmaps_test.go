// Copyright The otelcol-rum Authors
// SPDX-License-Identifier: Apache-2.0

package jserrorsprocessor

import (
	"context"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"go.opentelemetry.io/collector/component/componenttest"
	"go.opentelemetry.io/collector/pdata/pcommon"
	"go.opentelemetry.io/collector/pdata/plog"
	"go.opentelemetry.io/otel/attribute"
	"go.opentelemetry.io/otel/sdk/metric/metricdata"
	"go.opentelemetry.io/otel/sdk/metric/metricdata/metricdatatest"

	"github.com/otelcol-rum/otelcol-rum/processor/jserrorsprocessor/internal/metadatatest"
)

// releaseError is an exception of the esbuild bundle's bug, in release of shop-web.
func releaseError(t *testing.T, release string) plog.Logs {
	t.Helper()
	res := pcommon.NewResource()
	res.Attributes().PutStr("service.name", "shop-web")
	res.Attributes().PutStr("service.version", release)
	res.Attributes().PutStr("telemetry.sdk.language", "webjs")
	stack := v8Stack(recordedFrames(t)["esbuild"])
	return logsOf(res, exception(func(m pcommon.Map) { m.PutStr("exception.stacktrace", stack) }))
}

// TestRealMapsTelemetry: with the real store, the self-telemetry says where maps came
// from, how the caches answered, what became of the frames, and why a map was missing;
// a missing map is looked for once, then remembered.
func TestRealMapsTelemetry(t *testing.T) {
	tel := componenttest.NewTelemetry()
	t.Cleanup(func() { require.NoError(t, tel.Shutdown(context.Background())) })
	cfg := testConfig()
	cfg.Sourcemaps.Directory = deployMaps(t)
	cfg.Timeout = 30 * time.Second // generous: a local directory
	h := newHarness(t, cfg, metadatatest.NewSettings(tel), productionParts(cfg))
	ctx := context.Background()
	for _, release := range []string{"1.4.2", "1.4.2", "9.9.9", "9.9.9"} {
		require.NoError(t, h.lp.ConsumeLogs(ctx, releaseError(t, release)))
	}

	statuses := []string{}
	for _, lr := range logRecords(h.logs) {
		statuses = append(statuses, str(t, lr, "rum.exception.symbolication"))
	}
	assert.Equal(t, []string{"symbolicated", "symbolicated", "unresolved", "unresolved"}, statuses)

	opts := []metricdatatest.Option{metricdatatest.IgnoreTimestamp()}
	metadatatest.AssertEqualProcessorJserrorsMapsLoaded(t, tel, []metricdata.DataPoint[int64]{
		{Value: 1, Attributes: attribute.NewSet(attribute.String("source", "directory"))},
	}, opts...)
	metadatatest.AssertEqualProcessorJserrorsMapFetchFailures(t, tel, []metricdata.DataPoint[int64]{
		{Value: 1, Attributes: attribute.NewSet(attribute.String("reason", "not_found"))},
	}, opts...)
	metadatatest.AssertEqualProcessorJserrorsCacheLookups(t, tel, []metricdata.DataPoint[int64]{
		{Value: 2, Attributes: attribute.NewSet(attribute.String("result", "miss"))},
		{Value: 1, Attributes: attribute.NewSet(attribute.String("result", "hit"))},
		{Value: 1, Attributes: attribute.NewSet(attribute.String("result", "negative_hit"))},
	}, opts...)
	metadatatest.AssertEqualProcessorJserrorsFrames(t, tel, []metricdata.DataPoint[int64]{
		{Value: 6, Attributes: attribute.NewSet(attribute.String("outcome", "symbolicated"))},
		{Value: 6, Attributes: attribute.NewSet(attribute.String("outcome", "unresolved"))},
	}, opts...)
	metadatatest.AssertEqualProcessorJserrorsCacheMaps(t, tel, []metricdata.DataPoint[int64]{{Value: 1}}, opts...)
	bytes, err := tel.GetMetric("otelcol_processor_jserrors_cache_bytes")
	require.NoError(t, err)
	cached := bytes.Data.(metricdata.Sum[int64]).DataPoints
	require.Len(t, cached, 1)
	assert.Positive(t, cached[0].Value, "the parsed map weighs something")
	metadatatest.AssertEqualProcessorJserrorsErrors(t, tel, []metricdata.DataPoint[int64]{
		{Value: 2, Attributes: attribute.NewSet(attribute.String("symbolication", "symbolicated"))},
		{Value: 2, Attributes: attribute.NewSet(attribute.String("symbolication", "unresolved"))},
	}, opts...)
}

// TestSlowMapServerNeverHoldsThePipeline: with the real store and a base_url server that
// holds its answer, an error goes on within timeout, marked timeout, unsymbolicated; the
// load goes on, and once the map is in, the next error of the release is symbolicated.
func TestSlowMapServerNeverHoldsThePipeline(t *testing.T) {
	mapBytes, err := os.ReadFile(filepath.Join(bundlesDir(t), "dist", "esbuild", "app.js.map"))
	require.NoError(t, err)
	release := make(chan struct{})
	var requests atomic.Int64
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		requests.Add(1)
		if r.URL.Path != "/maps/shop-web/1.4.2/esbuild/app.js.map" {
			http.NotFound(w, r)
			return
		}
		select {
		case <-release:
		case <-r.Context().Done():
			return
		}
		_, _ = w.Write(mapBytes)
	}))
	t.Cleanup(srv.Close)
	var once sync.Once
	t.Cleanup(func() { once.Do(func() { close(release) }) })

	cfg := testConfig()
	cfg.Sourcemaps.BaseURL = srv.URL + "/maps"
	cfg.Sourcemaps.FetchTimeout = time.Minute
	cfg.Timeout = 50 * time.Millisecond
	h := newHarness(t, cfg, nopSettings(), productionParts(cfg))
	ctx := context.Background()

	done := make(chan error, 1)
	go func() { done <- h.lp.ConsumeLogs(ctx, releaseError(t, "1.4.2")) }()
	select {
	case err := <-done:
		require.NoError(t, err)
	case <-time.After(30 * time.Second): // generous; the budget is 50ms
		t.Fatal("the batch waited for the map server")
	}
	first := logRecords(h.logs)[0]
	assert.Equal(t, "timeout", str(t, first, "rum.exception.symbolication"))
	assert.Contains(t, str(t, first, "exception.stacktrace"), "esbuild/app.js:1:39", "forwarded as it came")

	once.Do(func() { close(release) })
	require.Eventually(t, func() bool {
		require.NoError(t, h.lp.ConsumeLogs(ctx, releaseError(t, "1.4.2")))
		records := logRecords(h.logs)
		return str(t, records[len(records)-1], "rum.exception.symbolication") == "symbolicated"
	}, 30*time.Second, 20*time.Millisecond, "the load went on and serves the next error")
	assert.Equal(t, int64(1), requests.Load(), "one request for the map, however many errors waited")
}
