// Copyright The otelcol-rum Authors
// SPDX-License-Identifier: Apache-2.0

package sessionprocessor

import (
	"context"
	"fmt"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"go.opentelemetry.io/collector/client"
	"go.opentelemetry.io/collector/component/componenttest"
	"go.opentelemetry.io/collector/pdata/pcommon"
	"go.opentelemetry.io/collector/pdata/plog"
	"go.opentelemetry.io/otel/sdk/metric/metricdata"

	"github.com/otelcol-rum/otelcol-rum/processor/sessionprocessor/internal/metadatatest"
)

var navTrace = pcommon.TraceID{0xaa, 0xbb, 1}

func TestSessionLifecycleAndSummary(t *testing.T) {
	p := startPipeline(t, testConfig(), newFakeClock(), nil)
	p.sendLogs(sessionLogs("s1",
		logRecordSpec{event: "faro.performance.navigation", navID: "n1", traceID: navTrace, url: "https://shop/product/42"},
		logRecordSpec{event: "exception", severity: plog.SeverityNumberError},
		logRecordSpec{event: "faro.user.action"},
	))
	p.clock.Advance(2 * time.Minute)
	// The vital arrives in a later payload, without trace context.
	p.sendLogs(sessionLogs("s1", logRecordSpec{event: "browser.web_vital", vitalName: "lcp", navID: "n1", url: "https://shop/product/42"}))

	starts := p.events("session.start")
	require.Len(t, starts, 1)
	assert.Equal(t, "s1", attr(t, starts[0].Attributes(), "session.id").Str())
	vitals := p.events("browser.web_vital")
	require.Len(t, vitals, 1)
	assert.Equal(t, navTrace, vitals[0].TraceID(), "the vital got its navigation's trace")

	p.expireAfter(14 * time.Minute)
	assert.Empty(t, p.events("session.end"), "14 minutes idle is not yet a timeout")
	p.expireAfter(time.Minute)
	ends := p.events("session.end")
	require.Len(t, ends, 1)
	a := ends[0].Attributes()
	assert.Equal(t, map[string]any{
		"session.id": "s1", "session.end_reason": "timeout", "session.duration": 120.0,
		"session.page_views": int64(1), "session.errors": int64(1), "session.user_actions": int64(1),
		"session.views": int64(1), "session.soft_views": int64(0), "session.path": []any{"/product/42"},
		"session.spans": int64(0), "session.bounce": true, "session.frustrated": false, "session.frustrations": int64(0),
		"session.entry_page": "https://shop/product/42", "session.exit_page": "https://shop/product/42",
	}, a.AsRaw())
	res := p.logs.AllLogs()[len(p.logs.AllLogs())-1].ResourceLogs().At(0).Resource().Attributes()
	assert.Equal(t, "shop-web", attr(t, res, "service.name").Str())
	assert.Equal(t, "u-7", attr(t, res, "user.id").Str())

	// Late data of the ended session passes on but does not reopen it.
	p.clock.Advance(time.Minute)
	p.sendLogs(sessionLogs("s1", logRecordSpec{event: "add_to_cart"}))
	assert.Len(t, p.events("session.start"), 1)
	assert.Len(t, p.events("add_to_cart"), 1)
}

func TestMaxDurationChainsSessions(t *testing.T) {
	p := startPipeline(t, testConfig(), newFakeClock(), nil)
	for range 24 { // a record every 10 minutes for 4 hours
		p.sendLogs(sessionLogs("s1", logRecordSpec{event: "click"}))
		p.expireAfter(10 * time.Minute)
	}
	ends := p.events("session.end")
	require.Len(t, ends, 1)
	assert.Equal(t, "max_duration", attr(t, ends[0].Attributes(), "session.end_reason").Str())

	p.sendLogs(sessionLogs("s1", logRecordSpec{event: "click"}))
	starts := p.events("session.start")
	require.Len(t, starts, 2)
	assert.Equal(t, "s1-2", attr(t, starts[1].Attributes(), "session.id").Str())
	assert.Equal(t, "s1", attr(t, starts[1].Attributes(), "session.previous_id").Str())
	// The data itself now names the continuing session.
	last := p.dataRecords()
	require.NotEmpty(t, last)
	all := p.logs.AllLogs()
	var res pcommon.Map
	for i := len(all) - 1; i >= 0; i-- {
		if all[i].ResourceLogs().At(0).ScopeLogs().At(0).Scope().Name() != "github.com/otelcol-rum/otelcol-rum/processor/sessionprocessor" {
			res = all[i].ResourceLogs().At(0).Resource().Attributes()
			break
		}
	}
	assert.Equal(t, "s1-2", attr(t, res, "session.id").Str())
	assert.Equal(t, "s1", attr(t, res, "session.previous_id").Str())
}

func TestEvictionEmitsSummary(t *testing.T) {
	cfg := testConfig()
	cfg.MaxSessions = 2
	p := startPipeline(t, cfg, newFakeClock(), nil)
	for i := range 3 {
		p.sendLogs(sessionLogs(fmt.Sprint("s", i), logRecordSpec{event: "click"}))
		p.clock.Advance(time.Second)
	}
	ends := p.events("session.end")
	require.Len(t, ends, 1)
	assert.Equal(t, "s0", attr(t, ends[0].Attributes(), "session.id").Str())
	assert.Equal(t, "evicted", attr(t, ends[0].Attributes(), "session.end_reason").Str())
}

func TestShutdownWithoutStorageEndsSessions(t *testing.T) {
	p := startPipeline(t, testConfig(), newFakeClock(), nil)
	p.sendLogs(sessionLogs("a", logRecordSpec{event: "click"}))
	p.sendLogs(sessionLogs("b", logRecordSpec{event: "click"}))
	p.stop()
	ends := p.events("session.end")
	require.Len(t, ends, 2)
	for _, e := range ends {
		assert.Equal(t, "shutdown", attr(t, e.Attributes(), "session.end_reason").Str())
	}
}

func TestEnrichmentOfRecordLevelSessions(t *testing.T) {
	p := startPipeline(t, testConfig(), newFakeClock(), nil)
	// Plain OTLP from the OTel web SDK may carry session.id on the record only.
	p.sendLogs(sessionLogs("", logRecordSpec{event: "click", sessionRec: "otel-1"}))
	recs := p.dataRecords()
	require.Len(t, recs, 1)
	assert.Equal(t, "u-7", attr(t, recs[0].Attributes(), "user.id").Str())
	require.Len(t, p.events("session.start"), 1)
}

func TestUnknownSessionsPassOrAssign(t *testing.T) {
	p := startPipeline(t, testConfig(), newFakeClock(), nil)
	p.sendLogs(sessionLogs("", logRecordSpec{event: "click"}))
	assert.Empty(t, p.events("session.start"), "pass: no session made up")
	_, has := p.logs.AllLogs()[0].ResourceLogs().At(0).Resource().Attributes().Get("session.id")
	assert.False(t, has)

	cfg := testConfig()
	cfg.UnknownSessions = UnknownAssign
	a := startPipeline(t, cfg, newFakeClock(), nil)
	withUA := func(ua string) plog.Logs {
		ld := sessionLogs("", logRecordSpec{event: "click"})
		ld.ResourceLogs().At(0).Resource().Attributes().PutStr("user_agent.original", ua)
		return ld
	}
	ids := func() []string {
		var out []string
		for _, ld := range a.logs.AllLogs() {
			rl := ld.ResourceLogs().At(0)
			if rl.ScopeLogs().At(0).Scope().Name() == "github.com/otelcol-rum/otelcol-rum/processor/sessionprocessor" {
				continue
			}
			out = append(out, attr(t, rl.Resource().Attributes(), "session.id").Str())
		}
		return out
	}
	a.sendLogs(withUA("Firefox/121"))
	a.sendLogs(withUA("Firefox/121"))
	a.sendLogs(withUA("Chrome/156"))
	got := ids()
	require.Len(t, got, 3)
	assert.Equal(t, got[0], got[1], "same client, same session")
	assert.NotEqual(t, got[0], got[2], "another browser, another session")
	assert.Regexp(t, `^srv-`, got[0])

	a.expireAfter(16 * time.Minute)
	a.sendLogs(withUA("Firefox/121"))
	got = ids()
	assert.NotEqual(t, got[0], got[3], "a returning client after the timeout is a new visit")
}

// TestAssignedKeyFromTheIntakeTier: on a session tier behind Kafka the request's address
// is unknown; the rum receiver of the intake tier assigned the key from it and named it in
// the client metadata (rum.session.key), which the processor takes as its own would-be
// key. An SDK's session id in the metadata is not an assigned key, and is not taken.
func TestAssignedKeyFromTheIntakeTier(t *testing.T) {
	cfg := testConfig()
	cfg.UnknownSessions = UnknownAssign
	a := startPipeline(t, cfg, newFakeClock(), nil)
	send := func(key string) string {
		ctx := client.NewContext(context.Background(), client.Info{Metadata: client.NewMetadata(map[string][]string{"rum.session.key": {key}})})
		ld := sessionLogs("", logRecordSpec{event: "click"})
		ld.ResourceLogs().At(0).Resource().Attributes().PutStr("user_agent.original", "Firefox/121")
		require.NoError(t, a.lp.ConsumeLogs(ctx, ld))
		all := a.logs.AllLogs()
		return attr(t, all[len(all)-1].ResourceLogs().At(0).Resource().Attributes(), "session.id").Str()
	}
	first := send("srv-1a2b")
	assert.Regexp(t, `^srv-1a2b-`, first, "the intake's key, continued with the start as for a key of its own")
	assert.Equal(t, first, send("srv-1a2b"), "the same client, the same session")
	other := send("srv-3c4d")
	assert.Regexp(t, `^srv-3c4d-`, other, "another client of the same browser and app is another session")
	assert.NotRegexp(t, `^sdk-session`, send("sdk-session"), "an SDK's id in the metadata is not an assigned key")
}

func TestSamplingKeepsOrDropsWholeSessions(t *testing.T) {
	cfg := testConfig()
	cfg.SamplingPercentage = 50
	p := startPipeline(t, cfg, newFakeClock(), nil)
	const n = 200
	for i := range n {
		id := fmt.Sprint("sess-", i)
		p.sendLogs(sessionLogs(id, logRecordSpec{event: "click"}))
		require.NoError(t, p.tp.ConsumeTraces(context.Background(), spanFor(id)))
		require.NoError(t, p.mp.ConsumeMetrics(context.Background(), pointFor(id)))
	}
	logsKept, spansKept, pointsKept := map[string]bool{}, map[string]bool{}, map[string]bool{}
	for _, r := range p.logs.AllLogs() {
		rl := r.ResourceLogs().At(0)
		if rl.ScopeLogs().At(0).Scope().Name() != "github.com/otelcol-rum/otelcol-rum/processor/sessionprocessor" {
			logsKept[attr(t, rl.Resource().Attributes(), "session.id").Str()] = true
		}
	}
	for _, td := range p.traces.AllTraces() {
		spansKept[attr(t, td.ResourceSpans().At(0).Resource().Attributes(), "session.id").Str()] = true
	}
	for _, md := range p.metrics.AllMetrics() {
		pointsKept[attr(t, md.ResourceMetrics().At(0).Resource().Attributes(), "session.id").Str()] = true
	}
	assert.Equal(t, logsKept, spansKept, "the same sessions kept in every signal")
	assert.Equal(t, logsKept, pointsKept)
	assert.InDelta(t, n/2, len(logsKept), n/5, "about half kept")
	assert.Len(t, p.events("session.start"), len(logsKept), "lifecycle events only for kept sessions")
}

// telemetryProcessor is a session state whose self-telemetry the test reads with counter.
func telemetryProcessor(t *testing.T, cfg *Config) (*sessionProcessor, *fakeClock, *componenttest.Telemetry) {
	tel := componenttest.NewTelemetry()
	t.Cleanup(func() { require.NoError(t, tel.Shutdown(context.Background())) })
	c, err := newSessionProcessor(cfg, metadatatest.NewSettings(tel))
	require.NoError(t, err)
	clock := newFakeClock()
	c.now = clock.Now
	return c, clock, tel
}

// counter is the total of a counter over all its attribute sets.
func counter(t *testing.T, tel *componenttest.Telemetry, name string) int64 {
	t.Helper()
	m, err := tel.GetMetric(name)
	require.NoError(t, err)
	var n int64
	for _, dp := range m.Data.(metricdata.Sum[int64]).DataPoints {
		n += dp.Value
	}
	return n
}

func TestStartedAndEndedCountEverySession(t *testing.T) {
	cfg := testConfig()
	cfg.SamplingPercentage = 50
	c, clock, tel := telemetryProcessor(t, cfg)
	for i := range 40 {
		_, _ = c.processLogs(context.Background(), sessionLogs(fmt.Sprint("s", i), logRecordSpec{event: "click"}))
	}
	c.expire(clock.Advance(time.Hour))
	assert.Equal(t, int64(40), counter(t, tel, "otelcol_processor_session_started"), "sampled or not")
	assert.Equal(t, counter(t, tel, "otelcol_processor_session_started"), counter(t, tel, "otelcol_processor_session_ended"))
}

// TestLateRecordsAreCountedByRecord: processor_session_late_records counts records, like
// unsampled_records, whether the timed-out session is named by the resource or by each
// record, and whether its late data is forwarded or dropped.
func TestLateRecordsAreCountedByRecord(t *testing.T) {
	cfg := testConfig()
	cfg.SamplingPercentage = 50
	c, clock, tel := telemetryProcessor(t, cfg)
	var kept, dropped []string
	for i := 0; len(kept) < 2 || len(dropped) < 1; i++ {
		if id := fmt.Sprint("s", i); sampler(cfg.SamplingPercentage)(id) {
			kept = append(kept, id)
		} else {
			dropped = append(dropped, id)
		}
	}
	onResource, onRecords, outside := kept[0], kept[1], dropped[0]
	click := logRecordSpec{event: "click"}
	onRecord := logRecordSpec{event: "click", sessionRec: onRecords}
	ctx := context.Background()
	_, _ = c.processLogs(ctx, sessionLogs(onResource, click))
	_, _ = c.processLogs(ctx, sessionLogs("", onRecord))
	_, _ = c.processLogs(ctx, sessionLogs(outside, click))
	c.expire(clock.Advance(15 * time.Minute))
	require.Equal(t, int64(3), counter(t, tel, "otelcol_processor_session_ended"))
	require.Equal(t, int64(1), counter(t, tel, "otelcol_processor_session_unsampled_records"))

	clock.Advance(time.Minute)
	_, err := c.processLogs(ctx, sessionLogs(onResource, click, click, click))
	require.NoError(t, err, "forwarded untouched")
	_, err = c.processLogs(ctx, sessionLogs("", onRecord, onRecord))
	require.NoError(t, err, "forwarded untouched")
	_, _ = c.processLogs(ctx, sessionLogs(outside, click, click))
	assert.Equal(t, int64(3+2+2), counter(t, tel, "otelcol_processor_session_late_records"))
	assert.Equal(t, int64(1+2), counter(t, tel, "otelcol_processor_session_unsampled_records"), "late data of a session outside the sample is dropped")
	assert.Equal(t, int64(3), counter(t, tel, "otelcol_processor_session_started"), "late data does not reopen a session")
}
