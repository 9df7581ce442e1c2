// Copyright The otelcol-rum Authors
// SPDX-License-Identifier: Apache-2.0

package sessionprocessor

import (
	"context"
	"math"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
	"go.opentelemetry.io/collector/component"
	"go.opentelemetry.io/collector/component/componenttest"
	"go.opentelemetry.io/collector/consumer/consumertest"
	"go.opentelemetry.io/collector/pdata/pcommon"
	"go.opentelemetry.io/collector/pdata/plog"
	"go.opentelemetry.io/collector/processor"
	"go.opentelemetry.io/collector/processor/processortest"

	"github.com/otelcol-rum/otelcol-rum/processor/sessionprocessor/internal/store"
)

// fakeClock is the processor's clock in tests: lifecycle decisions follow it alone.
type fakeClock struct {
	mu  sync.Mutex
	now time.Time
}

func newFakeClock() *fakeClock {
	return &fakeClock{now: time.Date(2026, 11, 21, 8, 0, 0, 0, time.UTC)}
}

func (c *fakeClock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.now
}

func (c *fakeClock) Advance(d time.Duration) time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.now = c.now.Add(d)
	return c.now
}

// pipeline is one session processor ID in a traces, a logs and a metrics pipeline, each
// ending in a sink. Lifecycle events arrive in the logs sink, after the data.
type pipeline struct {
	t       *testing.T
	cfg     *Config
	clock   *fakeClock
	proc    *sessionProcessor
	traces  *consumertest.TracesSink
	logs    *consumertest.LogsSink
	metrics *consumertest.MetricsSink
	tp      processor.Traces
	lp      processor.Logs
	mp      processor.Metrics
	stopped bool
}

func testConfig() *Config {
	cfg := createDefaultConfig().(*Config)
	// Tests move time themselves; the ticker must not interfere.
	cfg.CheckInterval = time.Hour
	return cfg
}

func startPipeline(t *testing.T, cfg *Config, clock *fakeClock, host component.Host) *pipeline {
	t.Helper()
	return startPipelineWith(t, cfg, clock, host, processortest.NewNopSettings(NewFactory().Type()))
}

// startPipelineWith is startPipeline with the processor's settings (its telemetry).
func startPipelineWith(t *testing.T, cfg *Config, clock *fakeClock, host component.Host, set processor.Settings) *pipeline {
	t.Helper()
	p := &pipeline{t: t, cfg: cfg, clock: clock, traces: new(consumertest.TracesSink), logs: new(consumertest.LogsSink), metrics: new(consumertest.MetricsSink)}
	ctx := context.Background()
	var err error
	p.tp, err = NewFactory().CreateTraces(ctx, set, cfg, p.traces)
	require.NoError(t, err)
	p.lp, err = NewFactory().CreateLogs(ctx, set, cfg, p.logs)
	require.NoError(t, err)
	p.mp, err = NewFactory().CreateMetrics(ctx, set, cfg, p.metrics)
	require.NoError(t, err)
	shared, err := processors.LoadOrStore(cfg, func() (*sessionProcessor, error) { t.Fatal("the processor should exist"); return nil, nil })
	require.NoError(t, err)
	p.proc = shared.Unwrap()
	require.NoError(t, shared.Shutdown(ctx)) // only gives back the reference just taken
	p.proc.now = clock.Now
	if host == nil {
		host = componenttest.NewNopHost()
	}
	for _, c := range []component.Component{p.tp, p.lp, p.mp} {
		require.NoError(t, c.Start(ctx, host))
	}
	t.Cleanup(p.stop)
	return p
}

func (p *pipeline) stop() {
	if p.stopped {
		return
	}
	p.stopped = true
	for _, c := range []component.Component{p.tp, p.lp, p.mp} {
		require.NoError(p.t, c.Shutdown(context.Background()))
	}
}

func (p *pipeline) sendLogs(ld plog.Logs) {
	p.t.Helper()
	require.NoError(p.t, p.lp.ConsumeLogs(context.Background(), ld))
}

// expireAfter moves the clock and lets the processor end what is due.
func (p *pipeline) expireAfter(d time.Duration) {
	p.proc.expire(p.clock.Advance(d))
}

// events returns the lifecycle events that reached the logs sink, by name.
func (p *pipeline) events(name string) []plog.LogRecord {
	return eventsNamed(p.logs, name)
}

// dataRecords returns the forwarded log records that are not lifecycle events.
func (p *pipeline) dataRecords() []plog.LogRecord {
	var out []plog.LogRecord
	for _, ld := range p.logs.AllLogs() {
		for _, rl := range ld.ResourceLogs().All() {
			for _, sl := range rl.ScopeLogs().All() {
				if sl.Scope().Name() == "github.com/otelcol-rum/otelcol-rum/processor/sessionprocessor" {
					continue
				}
				for _, lr := range sl.LogRecords().All() {
					out = append(out, lr)
				}
			}
		}
	}
	return out
}

// sessionLogs builds logs of one session as the rum receiver shapes them.
type logRecordSpec struct {
	event      string
	navID      string
	traceID    pcommon.TraceID
	severity   plog.SeverityNumber
	vitalName  string
	url        string
	sessionRec string // session.id on the record instead of the resource
}

func sessionLogs(sessionID string, records ...logRecordSpec) plog.Logs {
	ld := plog.NewLogs()
	rl := ld.ResourceLogs().AppendEmpty()
	res := rl.Resource().Attributes()
	res.PutStr("service.name", "shop-web")
	res.PutStr("deployment.environment.name", "test")
	res.PutStr("user.id", "u-7")
	res.PutStr("browser.name", "Chrome")
	if sessionID != "" {
		res.PutStr("session.id", sessionID)
	}
	sl := rl.ScopeLogs().AppendEmpty()
	for _, r := range records {
		lr := sl.LogRecords().AppendEmpty()
		lr.SetEventName(r.event)
		lr.SetSeverityNumber(r.severity)
		lr.SetTraceID(r.traceID)
		if !r.traceID.IsEmpty() {
			lr.SetSpanID(pcommon.SpanID{1, 2, 3})
		}
		a := lr.Attributes()
		if r.navID != "" {
			a.PutStr("rum.navigation.id", r.navID)
		}
		if r.vitalName != "" {
			a.PutStr("browser.web_vital.name", r.vitalName)
		}
		if r.url != "" {
			a.PutStr("url.full", r.url)
		}
		if r.sessionRec != "" {
			a.PutStr("session.id", r.sessionRec)
		}
	}
	return ld
}

func attr(t *testing.T, m pcommon.Map, key string) pcommon.Value {
	t.Helper()
	v, ok := m.Get(key)
	require.True(t, ok, "missing %s in %v", key, m.AsRaw())
	return v
}

// openRecords is every open session of p, copied as the journal's snapshots copy them.
func openRecords(p *sessionProcessor) []store.Record {
	var recs []store.Record
	p.withStore(func(st *store.Store) { recs, _, _ = st.SnapshotChunk(0, math.MaxInt) })
	return recs
}

// tombstonesOf is every tombstone of p, by key, as the journal's snapshots copy them.
func tombstonesOf(p *sessionProcessor) map[string]store.Tombstone {
	var gone []store.Gone
	p.withStore(func(st *store.Store) { gone, _, _ = st.SnapshotTombstones(0, math.MaxInt) })
	out := make(map[string]store.Tombstone, len(gone))
	for _, g := range gone {
		out[g.Key] = g.Tombstone
	}
	return out
}
