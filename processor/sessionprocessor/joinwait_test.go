// Copyright The otelcol-rum Authors
// SPDX-License-Identifier: Apache-2.0

package sessionprocessor

import (
	"context"
	"fmt"
	"sync/atomic"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"go.opentelemetry.io/collector/client"
	"go.opentelemetry.io/collector/component/componenttest"
	"go.opentelemetry.io/collector/pdata/pcommon"
	"go.opentelemetry.io/collector/pdata/plog"
	"go.opentelemetry.io/collector/pdata/ptrace"
	"go.opentelemetry.io/otel/attribute"
	"go.opentelemetry.io/otel/sdk/metric/metricdata"

	"github.com/otelcol-rum/otelcol-rum/processor/sessionprocessor/internal/metadatatest"
	"github.com/otelcol-rum/otelcol-rum/processor/sessionprocessor/internal/store"
)

// waitingPipeline is a pipeline with join_wait, and its telemetry.
type waitingPipeline struct {
	*pipeline
	tel *componenttest.Telemetry
}

func startWaiting(t *testing.T, maxHeld int) *waitingPipeline {
	t.Helper()
	cfg := testConfig()
	cfg.JoinWait = 5 * time.Second
	cfg.MaxHeldVitals = maxHeld
	tel := componenttest.NewTelemetry()
	t.Cleanup(func() { require.NoError(t, tel.Shutdown(context.Background())) })
	return &waitingPipeline{pipeline: startPipelineWith(t, cfg, newFakeClock(), nil, metadatatest.NewSettings(tel)), tel: tel}
}

// otelVital is a web vital of the OTel web SDK as the rum receiver forwards it: no trace
// context, no page, only the session.
func otelVital(sessionID string) plog.Logs {
	return sessionLogs(sessionID, logRecordSpec{event: "browser.web_vital", vitalName: "lcp"})
}

// documentLoad is the OTel web SDK's page view of session id: its parent is the backend
// span of the page (what a vital links to).
func documentLoad(sessionID string, trace pcommon.TraceID, backend pcommon.SpanID) ptrace.Traces {
	td := spanFor(sessionID)
	span := td.ResourceSpans().At(0).ScopeSpans().At(0).Spans().At(0)
	span.SetName("documentLoad")
	span.SetTraceID(trace)
	span.SetSpanID(pcommon.SpanID{0xd0})
	span.SetParentSpanID(backend)
	span.SetStartTimestamp(pcommon.NewTimestampFromTime(time.Date(2026, 11, 21, 8, 0, 0, 0, time.UTC)))
	span.Attributes().PutStr("url.full", "https://shop.example/cart")
	return td
}

func (p *waitingPipeline) sendTraces(td ptrace.Traces) {
	p.t.Helper()
	require.NoError(p.t, p.tp.ConsumeTraces(context.Background(), td))
}

// vitalsOut are the vital log records forwarded, by the session.id of their resource.
func (p *waitingPipeline) vitalsOut() map[string][]plog.LogRecord {
	out := map[string][]plog.LogRecord{}
	for _, ld := range p.logs.AllLogs() {
		for _, rl := range ld.ResourceLogs().All() {
			for _, sl := range rl.ScopeLogs().All() {
				for _, lr := range sl.LogRecords().All() {
					if lr.EventName() == "browser.web_vital" {
						id := attr(p.t, rl.Resource().Attributes(), "session.id").Str()
						out[id] = append(out[id], lr)
					}
				}
			}
		}
	}
	return out
}

func (p *waitingPipeline) vitalCount() int {
	n := 0
	for _, lrs := range p.vitalsOut() {
		n += len(lrs)
	}
	return n
}

// released is processor_session_released_vitals of one release reason.
func (p *waitingPipeline) released(reason string) int64 {
	p.t.Helper()
	return counterWithAttr(p.t, p.tel, "otelcol_processor_session_released_vitals", attribute.String("release", reason))
}

// settle gives the forwarding goroutine time to send what it would (for assertions that
// nothing more arrives).
func settle() { time.Sleep(50 * time.Millisecond) }

const eventually = 5 * time.Second

func TestJoinWaitJoinsAVitalThatComesBeforeItsPageView(t *testing.T) {
	p := startWaiting(t, 100)
	p.sendLogs(otelVital("s1"))
	require.NoError(t, p.mp.ConsumeMetrics(context.Background(), pointFor("s1")))
	settle()
	assert.Zero(t, p.vitalCount(), "held until its page view comes")
	assert.Zero(t, p.metrics.DataPointCount())
	assert.Equal(t, int64(2), counter(t, p.tel, "otelcol_processor_session_held_vitals"))

	trace, backend := pcommon.TraceID{0xab, 1}, pcommon.SpanID{0xbe, 1}
	p.clock.Advance(2 * time.Second) // within join_wait
	p.sendTraces(documentLoad("s1", trace, backend))

	require.Eventually(t, func() bool { return p.vitalCount() == 1 && p.metrics.DataPointCount() == 1 }, eventually, time.Millisecond)
	lr := p.vitalsOut()["s1"][0]
	assert.Equal(t, trace, lr.TraceID(), "the page view's trace")
	assert.Equal(t, backend, lr.SpanID())
	assert.Equal(t, "https://shop.example/cart", attr(t, lr.Attributes(), "url.full").Str(), "the page view's page")
	dp := p.metrics.AllMetrics()[0].ResourceMetrics().At(0).ScopeMetrics().At(0).Metrics().At(0).Gauge().DataPoints().At(0)
	require.Equal(t, 1, dp.Exemplars().Len())
	assert.Equal(t, trace, dp.Exemplars().At(0).TraceID())
	assert.Equal(t, int64(2), p.released("joined"))
	assert.Equal(t, int64(2), counterWithAttr(t, p.tel, "otelcol_processor_session_joins", attribute.String("result", "made")))
	assert.Zero(t, counterWithAttr(t, p.tel, "otelcol_processor_session_joins", attribute.String("result", "missed")))

	p.expireAfter(time.Minute)
	p.stop()
	assert.Equal(t, 1, p.vitalCount(), "forwarded once")
	assert.Equal(t, 1, p.metrics.DataPointCount())
}

func TestJoinWaitForwardsUnjoinedWhenItPasses(t *testing.T) {
	p := startWaiting(t, 100)
	p.sendLogs(otelVital("s1"))
	p.expireAfter(4 * time.Second)
	settle()
	assert.Zero(t, p.vitalCount(), "join_wait has not passed")

	p.expireAfter(2 * time.Second)
	require.Eventually(t, func() bool { return p.vitalCount() == 1 }, eventually, time.Millisecond)
	assert.True(t, p.vitalsOut()["s1"][0].TraceID().IsEmpty(), "unjoined")
	assert.Equal(t, int64(1), p.released("timeout"))
	assert.Equal(t, int64(1), counterWithAttr(t, p.tel, "otelcol_processor_session_joins", attribute.String("result", "missed")))

	p.sendTraces(documentLoad("s1", pcommon.TraceID{1}, pcommon.SpanID{1}))
	p.stop()
	assert.Equal(t, 1, p.vitalCount(), "the page view after the wait does not send it again")
}

func TestJoinWaitBoundForwardsTheOldest(t *testing.T) {
	p := startWaiting(t, 2)
	for _, id := range []string{"s1", "s2", "s3"} {
		p.sendLogs(otelVital(id))
		p.clock.Advance(time.Millisecond)
	}
	require.Eventually(t, func() bool { return p.vitalCount() == 1 }, eventually, time.Millisecond)
	out := p.vitalsOut()
	require.Len(t, out["s1"], 1, "the oldest goes out")
	assert.True(t, out["s1"][0].TraceID().IsEmpty())
	assert.Equal(t, int64(1), p.released("full"))

	for i, id := range []string{"s1", "s2", "s3"} {
		p.sendTraces(documentLoad(id, pcommon.TraceID{byte(i + 1)}, pcommon.SpanID{byte(i + 1)}))
	}
	require.Eventually(t, func() bool { return p.vitalCount() == 3 }, eventually, time.Millisecond)
	p.stop()
	out = p.vitalsOut()
	for i, id := range []string{"s2", "s3"} {
		require.Len(t, out[id], 1, id)
		assert.Equal(t, pcommon.TraceID{byte(i + 2)}, out[id][0].TraceID(), id)
	}
	assert.Len(t, out["s1"], 1, "not sent again")
	assert.Equal(t, int64(2), p.released("joined"))
}

// TestJoinWaitHoldsAtMostTheBound: however many vitals wait, the holding keeps at most
// max_held_vitals of them; the rest are forwarded, none lost.
func TestJoinWaitHoldsAtMostTheBound(t *testing.T) {
	const bound, sent = 5, 200
	p := startWaiting(t, bound)
	for i := range sent {
		p.sendLogs(otelVital(fmt.Sprintf("s%d", i)))
		var held int
		p.proc.withStore(func(*store.Store) { held = p.proc.held.live })
		require.LessOrEqual(t, held, bound)
		require.LessOrEqual(t, len(p.proc.held.order), 2*bound+64, "gone vitals are trimmed")
	}
	require.Eventually(t, func() bool { return p.vitalCount() == sent-bound }, eventually, time.Millisecond)
	p.stop()
	assert.Equal(t, sent, p.vitalCount(), "the held ones go out at shutdown")
	assert.Equal(t, int64(sent), counter(t, p.tel, "otelcol_processor_session_held_vitals"))
}

func TestJoinWaitShutdownForwardsHeld(t *testing.T) {
	p := startWaiting(t, 100)
	p.sendLogs(otelVital("s1"))
	require.NoError(t, p.mp.ConsumeMetrics(context.Background(), pointFor("s2")))
	settle()
	require.Zero(t, p.vitalCount())
	p.stop()
	assert.Equal(t, 1, p.vitalCount(), "forwarded before shutdown returns")
	assert.Equal(t, 1, p.metrics.DataPointCount())
	assert.Equal(t, int64(2), p.released("shutdown"))
}

// TestJoinWaitEachPipelinesShutdownForwardsHeld: the collector may stop the metrics
// pipeline's instance, and what follows it, before the logs pipeline's: its held points
// go out at its own shutdown.
func TestJoinWaitEachPipelinesShutdownForwardsHeld(t *testing.T) {
	p := startWaiting(t, 100)
	require.NoError(t, p.mp.ConsumeMetrics(context.Background(), pointFor("s1")))
	settle()
	require.Zero(t, p.metrics.DataPointCount())
	require.NoError(t, p.mp.Shutdown(context.Background()))
	assert.Equal(t, 1, p.metrics.DataPointCount(), "forwarded while the metrics pipeline runs")
	for _, c := range []interface{ Shutdown(context.Context) error }{p.tp, p.lp} {
		require.NoError(t, c.Shutdown(context.Background()))
	}
	p.stopped = true
	assert.Equal(t, 1, p.metrics.DataPointCount(), "once")
}

// TestJoinWaitZeroForwardsAtOnce: without join_wait a vital that misses its join goes
// on in its batch, as before.
func TestJoinWaitZeroForwardsAtOnce(t *testing.T) {
	p := startPipeline(t, testConfig(), newFakeClock(), nil)
	p.sendLogs(otelVital("s1"))
	assert.Len(t, p.dataRecords(), 1)
	assert.Nil(t, p.proc.held)
}

// TestJoinWaitDoesNotHoldBeacons: a web-vitals beacon reports no page view; its vitals
// go on at once, as without join_wait.
func TestJoinWaitDoesNotHoldBeacons(t *testing.T) {
	p := startWaiting(t, 100)
	ld := otelVital("s1")
	ld.ResourceLogs().At(0).Resource().Attributes().PutStr("telemetry.sdk.name", "web-vitals")
	p.sendLogs(ld)
	md := pointFor("s1")
	md.ResourceMetrics().At(0).Resource().Attributes().PutStr("telemetry.sdk.name", "web-vitals")
	require.NoError(t, p.mp.ConsumeMetrics(context.Background(), md))
	assert.Equal(t, 1, p.vitalCount(), "forwarded in its batch")
	assert.Equal(t, 1, p.metrics.DataPointCount())
	_, err := p.tel.GetMetric("otelcol_processor_session_held_vitals")
	assert.Error(t, err, "nothing held")
}

// TestJoinWaitKeepsClientMetadata: a held vital goes on with the client metadata of the
// request it came in.
func TestJoinWaitKeepsClientMetadata(t *testing.T) {
	p := startWaiting(t, 100)
	ctx := client.NewContext(context.Background(), client.Info{Metadata: client.NewMetadata(map[string][]string{"tenant": {"shop"}})})
	require.NoError(t, p.lp.ConsumeLogs(ctx, otelVital("s1")))
	p.stop()
	// consumertest keeps the contexts of what it received, the session events' too.
	tenants := 0
	for i, ld := range p.logs.AllLogs() {
		if ld.LogRecordCount() > 0 && ld.ResourceLogs().At(0).ScopeLogs().At(0).LogRecords().At(0).EventName() == "browser.web_vital" {
			assert.Equal(t, []string{"shop"}, client.FromContext(p.logs.Contexts()[i]).Metadata.Get("tenant"))
			tenants++
		}
	}
	assert.Equal(t, 1, tenants)
}

// releaseSpy is a collector's hand-over store that notes what the logs sink had received
// when the partition was released.
type releaseSpy struct {
	*checkpointClient
	atRelease func()
}

func (s *releaseSpy) Release(ctx context.Context, p int32, watermark int64) error {
	s.atRelease()
	return s.checkpointClient.Release(ctx, p, watermark)
}

// TestJoinWaitHandOverForwardsBeforeRelease: a vital held for a session of a partition
// that is handed over is forwarded (unjoined) before the partition is released, and the
// next owner, which gets the page view, does not get it again.
func TestJoinWaitHandOverForwardsBeforeRelease(t *testing.T) {
	topic := newCheckpointTopic(time.Minute)
	cfg := testConfig()
	cfg.Handover = &handoverID
	cfg.CheckpointInterval = time.Hour
	cfg.JoinWait = 5 * time.Second
	tel := componenttest.NewTelemetry()
	t.Cleanup(func() { require.NoError(t, tel.Shutdown(context.Background())) })
	var atRelease atomic.Int64
	a := &waitingPipeline{tel: tel}
	spy := &releaseSpy{checkpointClient: topic.client("a"), atRelease: func() { atRelease.Store(int64(a.vitalCount()) + 1) }}
	a.pipeline = startPipelineWith(t, cfg, newFakeClock(), handoverHost(spy), metadatatest.NewSettings(tel))
	require.NoError(t, a.lp.ConsumeLogs(fromKafka(logsTopic, 0, 7), otelVital("s1")))
	require.NoError(t, a.lp.ConsumeLogs(fromKafka(logsTopic, 1, 3), otelVital("s2")))
	settle()
	require.Zero(t, a.vitalCount())

	a.proc.handover.release(context.Background(), a.proc, 0)
	assert.Equal(t, int64(2), atRelease.Load(), "one vital forwarded when the release was produced")
	assert.Len(t, a.vitalsOut()["s1"], 1, "the handed-over partition's vital")
	assert.Empty(t, a.vitalsOut()["s2"], "another partition's vital still waits")
	assert.Equal(t, int64(1), a.released("handover"))

	b := startTier(t, topic, "b", newFakeClock())
	b.consumeTraces(0, 0, documentLoad("s1", pcommon.TraceID{1}, pcommon.SpanID{1}))
	a.stop()
	assert.Len(t, a.vitalsOut()["s1"], 1, "not sent again")
	assert.Len(t, a.vitalsOut()["s2"], 1, "forwarded at shutdown")
	assert.Empty(t, b.dataRecords())
}

func counterWithAttr(t *testing.T, tel *componenttest.Telemetry, name string, kv attribute.KeyValue) int64 {
	t.Helper()
	m, err := tel.GetMetric(name)
	if err != nil {
		return 0
	}
	want := attribute.NewSet(kv)
	for _, dp := range m.Data.(metricdata.Sum[int64]).DataPoints {
		if dp.Attributes.Equals(&want) {
			return dp.Value
		}
	}
	return 0
}
