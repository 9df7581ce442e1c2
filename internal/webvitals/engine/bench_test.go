// Copyright The otelcol-rum Authors
// SPDX-License-Identifier: Apache-2.0

package engine

import (
	"fmt"
	"strconv"
	"testing"

	"go.opentelemetry.io/collector/pdata/pcommon"
	"go.opentelemetry.io/collector/pdata/plog"
	"go.opentelemetry.io/collector/pdata/pmetric"
	"go.opentelemetry.io/collector/pdata/ptrace"
	"go.uber.org/zap"
)

// BenchmarkConsumeTracesWithoutPageLoads is what the processor costs a traces pipeline
// whose batches hold no documentLoad and no vitals (backend spans through the same
// pipeline): 3 resources of 10 spans.
func BenchmarkConsumeTracesWithoutPageLoads(b *testing.B) {
	e, _ := newTestEngine(&testing.T{}, false)
	td := ptrace.NewTraces()
	for range 3 {
		rs := td.ResourceSpans().AppendEmpty()
		rs.Resource().Attributes().PutStr("service.name", "shop-backend")
		spans := rs.ScopeSpans().AppendEmpty().Spans()
		for range 10 {
			span := spans.AppendEmpty()
			span.SetName("GET /api/products/{id}")
			span.Attributes().PutStr("http.request.method", "GET")
		}
	}
	b.ReportAllocs()
	for b.Loop() {
		e.ConsumeTraces(td)
	}
}

// BenchmarkConsumeMetrics is the webvitals processor's whole metrics path: the rum
// receiver's measurement points (pdata) in, route templating, the id bookkeeping,
// aggregation. One batch holds 50 measurements of 5 vitals over 20 URLs; run with -cpu 1
// for the one-core figure. The goal is over 1M measurements per second.
func BenchmarkConsumeMetrics(b *testing.B) { benchmarkConsumeMetrics(b, true) }

// BenchmarkConsumeMetricsIDRewriteOnly is the benchmark's own work alone (writing a fresh
// id into every point of the batch): subtract it from BenchmarkConsumeMetrics for the
// engine's share.
func BenchmarkConsumeMetricsIDRewriteOnly(b *testing.B) { benchmarkConsumeMetrics(b, false) }

func benchmarkConsumeMetrics(b *testing.B, consume bool) {
	e, err := New(Settings{Aggregation: NewDefaultAggregationConfig(), Logger: zap.NewNop(), Telemetry: nopTelemetry{}, Source: SourceMetricPoints, ScopeName: "bench"})
	if err != nil {
		b.Fatal(err)
	}
	const perBatch = 50
	batch := pmetric.NewMetrics()
	rm := batch.ResourceMetrics().AppendEmpty()
	rm.Resource().Attributes().PutStr("service.name", "shop-web")
	rm.Resource().Attributes().PutStr("deployment.environment.name", "prod")
	rm.Resource().Attributes().PutStr("browser.name", "Chrome")
	rm.Resource().Attributes().PutBool("browser.mobile", false)
	metrics := rm.ScopeMetrics().AppendEmpty().Metrics()
	var points []pmetric.NumberDataPoint
	for i, v := range []string{"lcp", "inp", "cls", "fcp", "ttfb"} {
		m := metrics.AppendEmpty()
		m.SetName("browser.web_vital." + v + ".measurement")
		gauge := m.SetEmptyGauge().DataPoints()
		for j := range perBatch / 5 {
			dp := gauge.AppendEmpty()
			dp.SetDoubleValue(float64(100 + 37*(i+j)))
			dp.Attributes().PutStr("url.full", fmt.Sprintf("https://shop.example/product/%d?ref=mail", (i*7+j)%20))
			dp.Attributes().PutStr("browser.web_vital.rating", "good")
			ex := dp.Exemplars().AppendEmpty()
			ex.SetTraceID(pcommon.TraceID{byte(i), byte(j)})
			points = append(points, dp)
		}
	}
	// Every measurement gets its own id, so each is counted. The batch is reused (kept,
	// as with keep_measurements) and its ids rewritten in the timed loop, which counts
	// that pdata work against the engine: a conservative figure.
	b.ReportAllocs()
	n := 0
	buf := make([]byte, 0, 24)
	for i := 0; i < b.N; i++ {
		for _, dp := range points {
			buf = strconv.AppendInt(append(buf[:0], "v6-"...), int64(n), 10)
			dp.Attributes().PutStr("browser.web_vital.id", string(buf))
			n++
		}
		if !consume {
			continue
		}
		e.ConsumeMetrics(batch, true)
		if i%100 == 99 {
			// What the emit interval does: count what is due.
			e.mu.Lock()
			e.agg.Commit(e.now().UnixNano(), true)
			e.mu.Unlock()
		}
	}
	b.ReportMetric(float64(b.N*perBatch)/b.Elapsed().Seconds()/1e6, "M-measurements/s")
	b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N*perBatch), "ns/measurement")
	if got := e.agg.Stats().Counted; consume && got < int64((b.N/100)*100*perBatch) {
		b.Fatalf("counted %d measurements, want every one", got)
	}
}

// BenchmarkConsumeLogsBeacon is the processor's logs path for one web-vitals beacon as
// the rum receiver writes it (a resource of 5 attributes, one browser.web_vital record
// of 6): annotating the record with its route. The url.template written by the previous
// iteration is removed first, so that every iteration annotates; that removal is counted
// against the engine.
func BenchmarkConsumeLogsBeacon(b *testing.B) {
	e, err := New(Settings{Aggregation: NewDefaultAggregationConfig(), Logger: zap.NewNop(), Telemetry: nopTelemetry{}, Source: SourceMetricPoints, ScopeName: "bench"})
	if err != nil {
		b.Fatal(err)
	}
	ld := plog.NewLogs()
	rl := ld.ResourceLogs().AppendEmpty()
	res := rl.Resource().Attributes()
	res.PutStr("service.name", "shop-web")
	res.PutStr("telemetry.sdk.name", "web-vitals")
	res.PutStr("telemetry.sdk.language", "webjs")
	res.PutStr("user_agent.original", "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) HeadlessChrome/156.0.0.0 Safari/537.36")
	res.PutStr("session.id", "lt-s1")
	lr := rl.ScopeLogs().AppendEmpty().LogRecords().AppendEmpty()
	lr.SetEventName("browser.web_vital")
	attrs := lr.Attributes()
	attrs.PutStr("browser.web_vital.name", "fcp")
	attrs.PutDouble("browser.web_vital.value", 124)
	attrs.PutDouble("browser.web_vital.delta", 124)
	attrs.PutStr("browser.web_vital.id", "v6-1795258414315-4174186691446")
	attrs.PutStr("browser.web_vital.rating", "good")
	attrs.PutStr("browser.web_vital.navigation_type", "navigate")
	b.ReportAllocs()
	for b.Loop() {
		attrs.Remove("url.template")
		e.ConsumeLogs(ld)
	}
	if _, ok := attrs.Get("url.template"); !ok {
		b.Fatal("the record was not annotated")
	}
}
