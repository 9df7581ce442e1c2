// Copyright The otelcol-rum Authors
// SPDX-License-Identifier: Apache-2.0

package sessionprocessor

// Benchmarks for the goals of the session processor: under 1 µs of added work per record
// on one core at 100k active sessions, and under 1 KiB per active session (1M sessions in
// under 1 GiB). They only run with -bench; see docs/benchmarks.md, session processor, for
// the commands and the figures.
//
// Every per-record benchmark has a baseline that does the same pdata work (copy a batch
// shaped like the rum receiver's output, stamp it with the session it belongs to) and
// passes it through a no-op, without session state. The difference in ns/record between
// a processor run and its baseline is the work the processor adds, the garbage collection
// of its allocations and of its 100k sessions included; process-ns/record is the time
// inside the processor's call alone.

import (
	"context"
	"fmt"
	"runtime"
	"strconv"
	"testing"
	"time"

	"go.opentelemetry.io/collector/component/componenttest"
	"go.opentelemetry.io/collector/consumer/consumertest"
	"go.opentelemetry.io/collector/pdata/pcommon"
	"go.opentelemetry.io/collector/pdata/plog"
	"go.opentelemetry.io/collector/pdata/pmetric"
	"go.opentelemetry.io/collector/pdata/ptrace"
	"go.opentelemetry.io/collector/processor"
	"go.opentelemetry.io/collector/processor/processortest"
)

// benchActiveSessions is the load point of the per-record goal.
const benchActiveSessions = 100_000

// benchStride visits the sessions in a scattered order (it is coprime with the session
// counts used here), so that consecutive batches do not find their session in cache.
const benchStride = 7919

// benchSession is what the batches of one session carry: its id, and the navigation id
// and URL of its current page.
type benchSession struct {
	id, nav, url string
}

// Realistic identifiers: Faro session and navigation ids are 10 characters, URLs about 60.
func benchSessionID(i int) string { return fmt.Sprintf("S%09d", i) }
func benchNavID(i, page int) string {
	return fmt.Sprintf("N%07d-%d", i, page)
}
func benchURL(i, page int) string {
	return fmt.Sprintf("https://shop.example.com/product/%06d?ref=home&utm=summer", (i*7+page)%1_000_000)
}

// benchPages is how many page views session i has: 1 to 3.
func benchPages(i int) int { return 1 + i%3 }

// putRUMResource sets the resource attributes the rum receiver sends for a Faro session.
func putRUMResource(res pcommon.Map, sessionID string) {
	res.EnsureCapacity(14)
	res.PutStr("service.name", "shop-web")
	res.PutStr("service.version", "1.4.2")
	res.PutStr("deployment.environment.name", "production")
	res.PutStr("telemetry.sdk.name", "faro-web")
	res.PutStr("telemetry.sdk.version", "2.12.1")
	res.PutStr("telemetry.sdk.language", "webjs")
	res.PutStr("browser.name", "Chrome")
	res.PutStr("browser.version", "156.0.0.0")
	res.PutStr("browser.platform", "Linux")
	res.PutBool("browser.mobile", false)
	res.PutStr("browser.language", "en-US")
	res.PutStr("user_agent.original", "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/156.0.0.0 Safari/537.36")
	res.PutStr("user.id", "user-"+sessionID[1:])
	res.PutStr("session.id", sessionID)
}

// openSessionsBatch returns one payload per session in [from, to): the page views of a
// session, each a faro.performance.navigation event with its navigation id, URL and the
// backend trace of its document, as the rum receiver makes of a Faro navigation.
func openSessionsBatch(from, to int) plog.Logs {
	ld := plog.NewLogs()
	for i := from; i < to; i++ {
		rl := ld.ResourceLogs().AppendEmpty()
		putRUMResource(rl.Resource().Attributes(), benchSessionID(i))
		sl := rl.ScopeLogs().AppendEmpty()
		for p := range benchPages(i) {
			lr := sl.LogRecords().AppendEmpty()
			lr.SetEventName("faro.performance.navigation")
			lr.SetSeverityNumber(plog.SeverityNumberInfo)
			lr.SetTraceID(pcommon.TraceID{0xaa, byte(i), byte(i >> 8), byte(i >> 16), byte(p)})
			lr.SetSpanID(pcommon.SpanID{0xbb, byte(i), byte(p)})
			a := lr.Attributes()
			a.PutStr("url.full", benchURL(i, p))
			a.PutStr("faro.event.domain", "browser")
			a.PutStr("faroNavigationId", benchNavID(i, p))
			a.PutStr("rum.navigation.id", benchNavID(i, p))
		}
	}
	return ld
}

// benchSessionList is what the later batches of sessions [0, n) carry.
func benchSessionList(n int) []benchSession {
	sessions := make([]benchSession, n)
	for i := range sessions {
		last := benchPages(i) - 1
		sessions[i] = benchSession{id: benchSessionID(i), nav: benchNavID(i, last), url: benchURL(i, last)}
	}
	return sessions
}

// openSessions opens sessions [0, n) in c, 64 per batch, and returns the time spent in
// the processor (building the batches excluded).
func openSessions(tb testing.TB, c *sessionProcessor, n int) time.Duration {
	return openSessionsFrom(tb, c, n, func(int) context.Context { return context.Background() })
}

// openSessionsFrom is openSessions with the context of each batch, by its number.
func openSessionsFrom(tb testing.TB, c *sessionProcessor, n int, contextOf func(batch int) context.Context) time.Duration {
	const perBatch = 64
	var spent time.Duration
	for from := 0; from < n; from += perBatch {
		ld := openSessionsBatch(from, min(from+perBatch, n))
		ctx := contextOf(from / perBatch)
		start := time.Now()
		if _, err := c.processLogs(ctx, ld); err != nil {
			tb.Fatal(err)
		}
		spent += time.Since(start)
	}
	if got := c.store.Len(); got != n {
		tb.Fatalf("%d sessions open, want %d", got, n)
	}
	return spent
}

// benchProcessor is a session state like the one a processor ID shares between its
// pipelines, with lifecycle events going to a no-op consumer and no ticker.
func benchProcessor(tb testing.TB, maxSessions int) *sessionProcessor {
	cfg := createDefaultConfig().(*Config)
	cfg.MaxSessions = maxSessions
	c, err := newSessionProcessor(cfg, processortest.NewNopSettings(NewFactory().Type()))
	if err != nil {
		tb.Fatal(err)
	}
	c.setEventConsumer(consumertest.NewNop())
	return c
}

// Record kinds of the logs batches, in this order, repeated.
const (
	kindWebVital = iota
	kindPlainLog
	kindException
	kindCount
)

// rumLogsTemplate is one request's logs as the rum receiver makes them: a web vital that
// has no trace context of its own (it is joined to its page's navigation), a plain console
// log and an exception, repeated to make n records. With n=1 it is a web-vitals beacon.
func rumLogsTemplate(n int) plog.Logs {
	ld := plog.NewLogs()
	rl := ld.ResourceLogs().AppendEmpty()
	putRUMResource(rl.Resource().Attributes(), benchSessionID(0))
	sl := rl.ScopeLogs().AppendEmpty()
	ts := pcommon.NewTimestampFromTime(time.Date(2026, 11, 21, 8, 0, 0, 0, time.UTC))
	for i := range n {
		lr := sl.LogRecords().AppendEmpty()
		lr.SetTimestamp(ts)
		lr.SetObservedTimestamp(ts)
		a := lr.Attributes()
		a.PutStr("url.full", benchURL(0, 0))
		switch i % kindCount {
		case kindPlainLog:
			lr.SetSeverityNumber(plog.SeverityNumberInfo)
			lr.SetSeverityText("info")
			lr.Body().SetStr("cart rendered with 3 items")
		case kindException:
			lr.SetEventName("exception")
			lr.SetSeverityNumber(plog.SeverityNumberError)
			lr.SetSeverityText("error")
			lr.Body().SetStr("Error: payment widget failed to load")
			a.PutStr("exception.type", "Error")
			a.PutStr("exception.message", "payment widget failed to load")
			a.PutStr("exception.stacktrace", "Error: payment widget failed to load\n    at steps (https://shop.example.com/static/app.js:12:7)\n    at main (https://shop.example.com/static/app.js:40:3)")
		case kindWebVital:
			lr.SetEventName("browser.web_vital")
			lr.SetSeverityNumber(plog.SeverityNumberInfo)
			a.PutStr("browser.web_vital.name", "lcp")
			a.PutDouble("browser.web_vital.value", 1834.5)
			a.PutDouble("browser.web_vital.delta", 1834.5)
			a.PutStr("browser.web_vital.id", "v6-1795258396755-2260618076168")
			a.PutStr("browser.web_vital.rating", "good")
			a.PutStr("browser.web_vital.navigation_type", "navigate")
			a.PutStr("rum.navigation.id", benchNavID(0, 0))
		}
	}
	return ld
}

// stampLogs makes a copy of the template the payload of session s.
func stampLogs(tmpl plog.Logs, s *benchSession) plog.Logs {
	ld := plog.NewLogs()
	tmpl.CopyTo(ld)
	rl := ld.ResourceLogs().At(0)
	rl.Resource().Attributes().PutStr("session.id", s.id)
	for _, lr := range rl.ScopeLogs().At(0).LogRecords().All() {
		a := lr.Attributes()
		a.PutStr("url.full", s.url)
		if lr.EventName() == "browser.web_vital" {
			a.PutStr("rum.navigation.id", s.nav)
		}
	}
	return ld
}

// noop stands for the processor in the baselines; it is called through a function value,
// like the processor, so the call is not optimised away.
func noop[T any](_ context.Context, batch T) (T, error) { return batch, nil }

// benchBatches runs one per-record benchmark: each iteration stamps a copy of a template
// batch with the next session (in a scattered order) and passes it to process. check, if
// set, makes sure the last batch was processed as the benchmark claims.
func benchBatches[T any](b *testing.B, name string, records int, sessions []benchSession,
	stamp func(*benchSession) T, process func(context.Context, T) (T, error), check func(*testing.B, T),
) {
	b.Run(name, func(b *testing.B) {
		b.ReportAllocs()
		ctx := context.Background()
		j := 0
		var inProcess time.Duration
		var out T
		for b.Loop() {
			j = (j + benchStride) % len(sessions)
			in := stamp(&sessions[j])
			start := time.Now()
			var err error
			out, err = process(ctx, in)
			inProcess += time.Since(start)
			if err != nil {
				b.Fatal(err)
			}
		}
		reportPerRecord(b, records, inProcess)
		if check != nil {
			check(b, out)
		}
	})
}

// reportPerRecord reports the whole loop per record (ns/record: copy, stamp and process)
// and the time inside the process call alone per record (process-ns/record). The latter
// includes the garbage collection that runs meanwhile, on one core in proportion to time.
func reportPerRecord(b *testing.B, records int, inProcess time.Duration) {
	n := float64(b.N * records)
	b.ReportMetric(float64(b.Elapsed().Nanoseconds())/n, "ns/record")
	b.ReportMetric(float64(inProcess.Nanoseconds())/n, "process-ns/record")
}

// BenchmarkLogs measures a logs batch at 100k open sessions, each batch of another
// session, with 1 (a web-vitals beacon), 3 and 30 records. Run with -cpu 1 for the
// one-core figure.
//
//   - baseline: copy and stamp the batch, pass it through a no-op; no session state;
//   - processor: the same, through the processor's processLogs, with 100k sessions open;
//   - component: the same, through the processor as the collector runs it
//     (processorhelper with no-op telemetry, then a no-op consumer).
func BenchmarkLogs(b *testing.B) {
	sessions := benchSessionList(benchActiveSessions)
	sizes := []int{1, 3, 30}
	run := func(records int, name string, sessions []benchSession, process func(context.Context, plog.Logs) (plog.Logs, error)) {
		tmpl := rumLogsTemplate(records)
		stamp := func(s *benchSession) plog.Logs { return stampLogs(tmpl, s) }
		check := checkJoined
		if name == "baseline" {
			check = nil
		}
		benchBatches(b, fmt.Sprintf("records=%d/%s", records, name), records, sessions, stamp, process, check)
	}
	for _, records := range sizes {
		run(records, "baseline", sessions, noop[plog.Logs])
	}

	c := benchProcessor(b, defaultMaxSessions)
	openSessions(b, c, benchActiveSessions)
	comp := benchLogsComponent(b, c)
	for _, records := range sizes {
		run(records, "processor", sessions, c.processLogs)
		run(records, "component", sessions, func(ctx context.Context, ld plog.Logs) (plog.Logs, error) {
			return ld, comp.ConsumeLogs(ctx, ld)
		})
	}

	// The same with 1k sessions, whose state stays in the CPU caches: the difference to
	// processor is what 100k sessions cost in cache misses.
	few := benchProcessor(b, defaultMaxSessions)
	openSessions(b, few, 1000)
	run(3, "processor-1k-sessions", sessions[:1000], few.processLogs)
}

// benchLogsComponent is the logs processor the factory makes, around the given state.
func benchLogsComponent(b *testing.B, c *sessionProcessor) processor.Logs {
	cfg := c.cfg
	cfg.CheckInterval = time.Hour // the benchmark must not race the ticker
	set := processortest.NewNopSettings(NewFactory().Type())
	ctx := context.Background()
	shared, err := processors.LoadOrStore(cfg, func() (*sessionProcessor, error) { return c, nil })
	if err != nil {
		b.Fatal(err)
	}
	lp, err := NewFactory().CreateLogs(ctx, set, cfg, consumertest.NewNop())
	if err != nil {
		b.Fatal(err)
	}
	// CreateLogs took a reference of its own; give back the one taken here.
	if err := shared.Shutdown(ctx); err != nil {
		b.Fatal(err)
	}
	if err := lp.Start(ctx, componenttest.NewNopHost()); err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() {
		if err := lp.Shutdown(context.Background()); err != nil {
			b.Error(err)
		}
	})
	return lp
}

// checkJoined makes sure the benchmark measured what it claims: the last batch's web
// vitals were joined to their navigation.
func checkJoined(b *testing.B, ld plog.Logs) {
	found := false
	for _, rl := range ld.ResourceLogs().All() {
		for _, sl := range rl.ScopeLogs().All() {
			for _, lr := range sl.LogRecords().All() {
				if lr.EventName() == "browser.web_vital" {
					found = true
					if lr.TraceID().IsEmpty() {
						b.Fatal("the web vital was not joined to its navigation")
					}
				}
			}
		}
	}
	if !found {
		b.Fatal("no web vital in the last batch")
	}
}

// rumTracesTemplate is one OTLP traces export of a page: a fetch to the backend, the
// resource fetch of a script and a user interaction.
func rumTracesTemplate() ptrace.Traces {
	td := ptrace.NewTraces()
	rs := td.ResourceSpans().AppendEmpty()
	putRUMResource(rs.Resource().Attributes(), benchSessionID(0))
	rs.Resource().Attributes().PutStr("telemetry.sdk.name", "opentelemetry")
	spans := rs.ScopeSpans().AppendEmpty().Spans()
	start := pcommon.NewTimestampFromTime(time.Date(2026, 11, 21, 8, 0, 0, 0, time.UTC))
	for i, name := range []string{"HTTP GET", "resourceFetch", "click"} {
		span := spans.AppendEmpty()
		span.SetName(name)
		span.SetTraceID(pcommon.TraceID{0xcc, byte(i)})
		span.SetSpanID(pcommon.SpanID{0xdd, byte(i)})
		span.SetStartTimestamp(start)
		span.SetEndTimestamp(start + 42_000_000)
		a := span.Attributes()
		a.PutStr("http.url", "https://shop.example.com/api/products/42")
		a.PutStr("http.method", "GET")
		a.PutInt("http.status_code", 200)
		a.PutStr("url.full", benchURL(0, 0))
	}
	return td
}

func stampTraces(tmpl ptrace.Traces, s *benchSession) ptrace.Traces {
	td := ptrace.NewTraces()
	tmpl.CopyTo(td)
	td.ResourceSpans().At(0).Resource().Attributes().PutStr("session.id", s.id)
	return td
}

// BenchmarkTraces measures a traces batch of 3 spans at 100k open sessions.
func BenchmarkTraces(b *testing.B) {
	sessions := benchSessionList(benchActiveSessions)
	tmpl := rumTracesTemplate()
	const records = 3
	stamp := func(s *benchSession) ptrace.Traces { return stampTraces(tmpl, s) }
	benchBatches(b, "spans=3/baseline", records, sessions, stamp, noop[ptrace.Traces], nil)
	c := benchProcessor(b, defaultMaxSessions)
	openSessions(b, c, benchActiveSessions)
	benchBatches(b, "spans=3/processor", records, sessions, stamp, c.processTraces, nil)
}

// rumMetricsTemplate is one request's web-vital measurement points as the rum receiver
// makes them: a gauge point per vital, without trace context (so without exemplar).
func rumMetricsTemplate() pmetric.Metrics {
	md := pmetric.NewMetrics()
	rm := md.ResourceMetrics().AppendEmpty()
	putRUMResource(rm.Resource().Attributes(), benchSessionID(0))
	ms := rm.ScopeMetrics().AppendEmpty().Metrics()
	ts := pcommon.NewTimestampFromTime(time.Date(2026, 11, 21, 8, 0, 0, 0, time.UTC))
	for _, v := range []struct {
		name  string
		value float64
	}{{"lcp", 1834.5}, {"fcp", 912}, {"ttfb", 120.4}} {
		m := ms.AppendEmpty()
		m.SetName("browser.web_vital." + v.name + ".measurement")
		m.SetUnit("ms")
		dp := m.SetEmptyGauge().DataPoints().AppendEmpty()
		dp.SetTimestamp(ts)
		dp.SetDoubleValue(v.value)
		a := dp.Attributes()
		a.PutStr("browser.web_vital.name", v.name)
		a.PutDouble("browser.web_vital.delta", v.value)
		a.PutStr("browser.web_vital.id", "v6-1795258396755-"+v.name)
		a.PutStr("browser.web_vital.rating", "good")
		a.PutStr("browser.web_vital.navigation_type", "navigate")
		a.PutStr("url.full", benchURL(0, 0))
		a.PutStr("rum.navigation.id", benchNavID(0, 0))
	}
	return md
}

func stampMetrics(tmpl pmetric.Metrics, s *benchSession) pmetric.Metrics {
	md := pmetric.NewMetrics()
	tmpl.CopyTo(md)
	rm := md.ResourceMetrics().At(0)
	rm.Resource().Attributes().PutStr("session.id", s.id)
	for _, m := range rm.ScopeMetrics().At(0).Metrics().All() {
		a := m.Gauge().DataPoints().At(0).Attributes()
		a.PutStr("url.full", s.url)
		a.PutStr("rum.navigation.id", s.nav)
	}
	return md
}

// BenchmarkMetrics measures a batch of 3 web-vital points at 100k open sessions; each is
// joined to its page's navigation and gets its trace as an exemplar.
func BenchmarkMetrics(b *testing.B) {
	sessions := benchSessionList(benchActiveSessions)
	tmpl := rumMetricsTemplate()
	const records = 3
	stamp := func(s *benchSession) pmetric.Metrics { return stampMetrics(tmpl, s) }
	benchBatches(b, "points=3/baseline", records, sessions, stamp, noop[pmetric.Metrics], nil)
	c := benchProcessor(b, defaultMaxSessions)
	openSessions(b, c, benchActiveSessions)
	benchBatches(b, "points=3/processor", records, sessions, stamp, c.processMetrics, checkExemplar)
}

// checkExemplar makes sure the last batch's first vital point was joined to its navigation.
func checkExemplar(b *testing.B, md pmetric.Metrics) {
	dp := md.ResourceMetrics().At(0).ScopeMetrics().At(0).Metrics().At(0).Gauge().DataPoints().At(0)
	if dp.Exemplars().Len() != 1 || dp.Exemplars().At(0).TraceID().IsEmpty() {
		b.Fatal("the vital point was not joined to its navigation")
	}

}

// BenchmarkSessionMemory measures the heap one open session holds in the processor:
// sessions with 1 to 3 page views (navigation id, URL of about 60 characters, trace),
// app, environment, browser and user id, opened through processLogs. It reports the live
// heap after a full GC, after minus before, per session (B/session), and the time the
// processor spends on the batches that open them, session.start events included
// (ns/session-open). Each iteration builds a fresh state; use -benchtime 1x.
func BenchmarkSessionMemory(b *testing.B) {
	for _, n := range []int{benchActiveSessions, 1_000_000} {
		b.Run("sessions="+strconv.Itoa(n), func(b *testing.B) {
			var bytes, nanos float64
			for range b.N {
				before := liveHeap()
				c := benchProcessor(b, n)
				spent := openSessions(b, c, n)
				nanos += float64(spent.Nanoseconds()) / float64(n)
				after := liveHeap()
				bytes += float64(after-before) / float64(n)
				runtime.KeepAlive(c)
			}
			b.ReportMetric(bytes/float64(b.N), "B/session")
			b.ReportMetric(nanos/float64(b.N), "ns/session-open")
			b.ReportMetric(0, "ns/op")
		})
	}
}

// liveHeap is the heap in use after a full collection.
func liveHeap() uint64 {
	runtime.GC()
	runtime.GC()
	var ms runtime.MemStats
	runtime.ReadMemStats(&ms)
	return ms.HeapAlloc
}
