// Copyright The otelcol-rum Authors
// SPDX-License-Identifier: Apache-2.0

package sessionprocessor

import (
	"context"
	"slices"
	"strconv"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"go.opentelemetry.io/collector/client"
	"go.opentelemetry.io/collector/component"
	"go.opentelemetry.io/collector/component/componenttest"
	"go.opentelemetry.io/collector/pdata/pcommon"
	"go.opentelemetry.io/collector/pdata/plog"
	"go.opentelemetry.io/collector/pdata/ptrace"
	"go.opentelemetry.io/collector/processor/processortest"
	"go.opentelemetry.io/otel/sdk/metric/metricdata"

	"github.com/otelcol-rum/otelcol-rum/internal/rumconv"
	"github.com/otelcol-rum/otelcol-rum/processor/sessionprocessor/internal/metadata"
	"github.com/otelcol-rum/otelcol-rum/processor/sessionprocessor/internal/metadatatest"
)

// Topics of the session tier, as the deployment names them.
const (
	logsTopic   = "rum_logs"
	tracesTopic = "rum_traces"
)

// tier is one collector of a session tier: a session processor with handover, whose
// store reaches the shared checkpoint topic.
type tier struct {
	*pipeline
	client *checkpointClient
	tel    *componenttest.Telemetry
}

func startTier(t *testing.T, topic *checkpointTopic, name string, clock *fakeClock) *tier {
	t.Helper()
	cfg := testConfig()
	cfg.Handover = &handoverID
	cfg.CheckpointInterval = time.Hour // the tests write checkpoints themselves
	tel := componenttest.NewTelemetry()
	t.Cleanup(func() { require.NoError(t, tel.Shutdown(context.Background())) })
	client := topic.client(name)
	p := startPipelineWith(t, cfg, clock, handoverHost(client), metadatatest.NewSettings(tel))
	return &tier{pipeline: p, client: client, tel: tel}
}

// fromKafka is the context kafkareceiver calls the pipeline with for one record.
func fromKafka(topic string, partition int32, offset int64) context.Context {
	return client.NewContext(context.Background(), client.Info{Metadata: client.NewMetadata(map[string][]string{
		"kafka.topic": {topic}, "kafka.partition": {strconv.Itoa(int(partition))}, "kafka.offset": {strconv.FormatInt(offset, 10)},
	})})
}

func (tr *tier) consumeLogs(partition int32, offset int64, ld plog.Logs) {
	tr.t.Helper()
	require.NoError(tr.t, tr.lp.ConsumeLogs(fromKafka(logsTopic, partition, offset), ld))
}

func (tr *tier) consumeTraces(partition int32, offset int64, td ptrace.Traces) {
	tr.t.Helper()
	require.NoError(tr.t, tr.tp.ConsumeTraces(fromKafka(tracesTopic, partition, offset), td))
}

// checkpoint does what the checkpoint_interval ticker does.
func (tr *tier) checkpoint() { tr.proc.handover.checkpoint(context.Background(), tr.proc) }

func (tr *tier) counter(name string) int64 {
	tr.t.Helper()
	return counter(tr.t, tr.tel, "otelcol_processor_session_"+name)
}

// acquisitions are the partitions the tier acquired, by acquired_from.
func (tr *tier) acquisitions() map[string]int64 {
	tr.t.Helper()
	m, err := tr.tel.GetMetric("otelcol_processor_session_handover_partitions")
	require.NoError(tr.t, err)
	out := map[string]int64{}
	for _, dp := range m.Data.(metricdata.Sum[int64]).DataPoints {
		v, _ := dp.Attributes.Value("acquired_from")
		out[v.AsString()] += dp.Value
	}
	return out
}

// eventsOf returns the events named name of session id.
func (tr *tier) eventsOf(name, id string) []plog.LogRecord {
	return slices.DeleteFunc(tr.events(name), func(lr plog.LogRecord) bool {
		v, _ := lr.Attributes().Get(rumconv.AttrSessionID)
		return v.Str() != id
	})
}

// pageView is a Faro page load of session id at a record time.
func pageView(id, nav, url string, at time.Time) plog.Logs {
	ld := sessionLogs(id, logRecordSpec{event: rumconv.EventFaroNavigation, navID: nav, traceID: pcommon.TraceID{0xaa, byte(len(nav))}, url: url})
	ld.ResourceLogs().At(0).ScopeLogs().At(0).LogRecords().At(0).SetTimestamp(pcommon.NewTimestampFromTime(at))
	return ld
}

// jsError is an exception of session id on a page at a record time.
func jsError(id, url string, at time.Time) plog.Logs {
	ld := sessionLogs(id, logRecordSpec{event: "exception", severity: plog.SeverityNumberError, url: url})
	ld.ResourceLogs().At(0).ScopeLogs().At(0).LogRecords().At(0).SetTimestamp(pcommon.NewTimestampFromTime(at))
	return ld
}

func sessionSpan(id string) ptrace.Traces {
	td := ptrace.NewTraces()
	rs := td.ResourceSpans().AppendEmpty()
	rs.Resource().Attributes().PutStr(rumconv.AttrSessionID, id)
	rs.ScopeSpans().AppendEmpty().Spans().AppendEmpty().SetName("fetch")
	return td
}

// viewURLs are the url.full of the rum.view events of session id, in the order sent.
func viewURLs(id string, tiers ...*tier) []string {
	var out []string
	for _, tr := range tiers {
		for _, lr := range tr.eventsOf(rumconv.EventRUMView, id) {
			v, _ := lr.Attributes().Get(rumconv.AttrURLFull)
			out = append(out, v.Str())
		}
	}
	return out
}

// TestHandoverOnRequest: a session's records go to collector A, then (the partition
// moved) to collector B, whose first record of the partition asks A for it. The session
// starts once at A, ends once at B, and its end counts the page views, errors and spans
// of both; every view gets one rum.view, wherever it ended. Records B receives again
// below the watermarks A left (by topic) are dropped and counted; the others are not.
func TestHandoverOnRequest(t *testing.T) {
	topic := newCheckpointTopic(time.Minute)
	clock := newFakeClock()
	a := startTier(t, topic, "a", clock)
	b := startTier(t, topic, "b", clock)
	t0 := clock.Now()

	a.consumeLogs(3, 0, pageView("s1", "n1", "https://shop/a", t0))
	a.consumeTraces(3, 0, sessionSpan("s1"))
	a.consumeLogs(3, 1, pageView("s1", "n2", "https://shop/b", t0.Add(30*time.Second)))
	a.consumeLogs(3, 2, jsError("s1", "https://shop/b", t0.Add(45*time.Second)))
	a.sendLogs(sessionLogs("local", logRecordSpec{event: "click"})) // not from Kafka
	a.checkpoint()
	saved := topic.saved(3)
	require.Contains(t, saved, "s1")
	require.Contains(t, saved, offsetsKey)
	assert.NotContains(t, saved, "local", "data without a partition stays out of the hand-over")
	require.Len(t, a.eventsOf("session.start", "s1"), 1)
	assert.Equal(t, []string{"https://shop/a"}, viewURLs("s1", a), "the first view ended at A")

	clock.Advance(time.Minute)
	b.consumeLogs(3, 3, pageView("s1", "n3", "https://shop/c", t0.Add(90*time.Second)))
	assert.Empty(t, b.eventsOf("session.start", "s1"), "the session continues at B")
	assert.Equal(t, int64(1), a.counter("handed_over"))
	assert.Equal(t, map[string]int64{acquiredNew: 1}, a.acquisitions())
	assert.Equal(t, map[string]int64{acquiredReleased: 1}, b.acquisitions())
	b.consumeLogs(3, 2, jsError("s1", "https://shop/b", t0.Add(45*time.Second))) // again: below the watermark
	b.consumeTraces(3, 0, sessionSpan("s1"))                                     // again: below the traces watermark
	b.consumeTraces(3, 1, sessionSpan("s1"))                                     // new: traces count on their own
	assert.Equal(t, int64(2), b.counter("handover_skipped_records"))
	assert.Len(t, b.dataRecords(), 1, "the records below the watermark are dropped, not forwarded")
	assert.Equal(t, 1, b.traces.SpanCount(), "one span forwarded")

	b.expireAfter(16 * time.Minute)
	a.expireAfter(0)
	ends := append(a.eventsOf("session.end", "s1"), b.eventsOf("session.end", "s1")...)
	require.Len(t, ends, 1, "one end, at B")
	require.Len(t, b.eventsOf("session.end", "s1"), 1)
	e := ends[0].Attributes()
	assert.Equal(t, int64(3), attr(t, e, "session.page_views").Int())
	assert.Equal(t, int64(3), attr(t, e, "session.views").Int())
	assert.Equal(t, int64(1), attr(t, e, "session.errors").Int())
	assert.Equal(t, int64(2), attr(t, e, "session.spans").Int())
	assert.Equal(t, "timeout", attr(t, e, "session.end_reason").Str())
	assert.Equal(t, []string{"https://shop/a", "https://shop/b", "https://shop/c"}, viewURLs("s1", a, b), "each view once")

	require.Len(t, a.eventsOf("session.end", "local"), 1, "data without a partition stays and ends at A, as before")
	a.stop()
	assert.Empty(t, a.eventsOf("session.end", "s1"))
}

// TestHandoverAtShutdown: a graceful shutdown hands every partition over: no session
// ends at A; B acquires the released partitions without waiting and ends each session
// once.
func TestHandoverAtShutdown(t *testing.T) {
	topic := newCheckpointTopic(time.Hour) // a wait would hang the test
	clock := newFakeClock()
	a := startTier(t, topic, "a", clock)
	t0 := clock.Now()
	a.consumeLogs(1, 0, pageView("s1", "n1", "https://shop/a", t0))
	a.consumeLogs(2, 0, pageView("s2", "n1", "https://shop/x", t0))
	a.consumeLogs(1, 1, pageView("s1", "n2", "https://shop/b", t0.Add(time.Minute)))
	a.stop()
	assert.Empty(t, a.events("session.end"), "shutdown hands the sessions over instead of ending them")
	assert.Equal(t, int64(2), a.counter("handed_over"))

	b := startTier(t, topic, "b", clock)
	clock.Advance(2 * time.Minute)
	b.consumeLogs(1, 2, pageView("s1", "n3", "https://shop/c", t0.Add(2*time.Minute)))
	b.consumeLogs(2, 1, jsError("s2", "https://shop/x", t0.Add(2*time.Minute)))
	assert.Empty(t, b.events("session.start"))
	assert.Equal(t, map[string]int64{acquiredReleased: 2}, b.acquisitions())

	b.expireAfter(16 * time.Minute)
	ends := b.events("session.end")
	require.Len(t, ends, 2)
	byID := map[string]pcommon.Map{}
	for _, e := range ends {
		byID[attr(t, e.Attributes(), "session.id").Str()] = e.Attributes()
	}
	assert.Equal(t, int64(3), attr(t, byID["s1"], "session.page_views").Int())
	assert.Equal(t, int64(1), attr(t, byID["s2"], "session.page_views").Int())
	assert.Equal(t, int64(1), attr(t, byID["s2"], "session.errors").Int())
	assert.Equal(t, []string{"https://shop/a", "https://shop/b", "https://shop/c"}, viewURLs("s1", a, b))
}

// TestHandoverAfterCrash: A dies without releasing. B waits out the store's wait and
// continues from A's last checkpoint: records B gets again below its watermark are
// dropped and counted, and what is lost is exactly the changes of the records between
// the watermark and the offset Kafka had committed (here the error at offset 3).
func TestHandoverAfterCrash(t *testing.T) {
	topic := newCheckpointTopic(200 * time.Millisecond)
	clock := newFakeClock()
	a := startTier(t, topic, "a", clock)
	t0 := clock.Now()
	a.consumeLogs(0, 0, pageView("s1", "n1", "https://shop/a", t0))
	a.consumeLogs(0, 1, jsError("s1", "https://shop/a", t0.Add(time.Second)))
	a.consumeLogs(0, 2, pageView("s1", "n2", "https://shop/b", t0.Add(20*time.Second)))
	a.checkpoint() // watermark 3
	a.consumeLogs(0, 3, jsError("s1", "https://shop/b", t0.Add(25*time.Second)))
	a.client.crash() // Kafka had committed up to offset 4
	require.Len(t, a.eventsOf("session.start", "s1"), 1)

	b := startTier(t, topic, "b", clock)
	clock.Advance(time.Minute)
	b.consumeLogs(0, 2, pageView("s1", "n2", "https://shop/b", t0.Add(20*time.Second))) // again
	b.consumeLogs(0, 4, pageView("s1", "n3", "https://shop/c", t0.Add(time.Minute)))
	assert.Equal(t, int64(1), b.counter("handover_skipped_records"))
	assert.Equal(t, map[string]int64{acquiredTakenOver: 1}, b.acquisitions())
	assert.Empty(t, b.eventsOf("session.start", "s1"), "the session continues at B")

	a.stop() // what a dead collector would have done: nothing reaches the topic
	assert.Empty(t, a.eventsOf("session.end", "s1"))
	b.expireAfter(16 * time.Minute)
	ends := b.eventsOf("session.end", "s1")
	require.Len(t, ends, 1)
	e := ends[0].Attributes()
	assert.Equal(t, int64(3), attr(t, e, "session.page_views").Int())
	assert.Equal(t, int64(1), attr(t, e, "session.errors").Int(), "the error at offset 3 came after the last checkpoint: lost")
}

// TestHandoverNeedsTheExtension: the handover key names what is wrong.
func TestHandoverNeedsTheExtension(t *testing.T) {
	cfg := testConfig()
	cfg.Handover = &handoverID
	c, err := newSessionProcessor(cfg, processortest.NewNopSettings(metadata.Type))
	require.NoError(t, err)
	assert.ErrorContains(t, c.Start(t.Context(), componenttest.NewNopHost()), `invalid handover: extension "kafka_handover" not found`)
	var other struct {
		component.StartFunc
		component.ShutdownFunc
	}
	host := storageHost{Host: componenttest.NewNopHost(), extensions: map[component.ID]component.Component{handoverID: other}}
	assert.ErrorContains(t, c.Start(t.Context(), host), `invalid handover: extension "kafka_handover" does not offer a hand-over store`)
}

// TestLateDataAfterHandover: a session that timed out at A leaves what its late data
// needs in the partition's checkpoints; its late data at B, after the partition moved,
// is late data there too, not a new session.
func TestLateDataAfterHandover(t *testing.T) {
	topic := newCheckpointTopic(time.Minute)
	clock := newFakeClock()
	a := startTier(t, topic, "a", clock)
	b := startTier(t, topic, "b", clock)
	a.consumeLogs(6, 0, pageView("s1", "n1", "https://shop/a", clock.Now()))
	a.expireAfter(16 * time.Minute)
	require.Len(t, a.eventsOf("session.end", "s1"), 1)

	clock.Advance(time.Minute)
	b.consumeLogs(6, 1, sessionLogs("s1", logRecordSpec{event: "click"}))
	assert.Empty(t, b.eventsOf("session.start", "s1"), "late data does not reopen the session")
	assert.Equal(t, int64(1), b.counter("late_records"))
	assert.Len(t, b.dataRecords(), 1, "late data is forwarded")

	clock.Advance(15 * time.Minute) // the tombstone runs out at B: the id may start again
	b.expireAfter(0)
	b.consumeLogs(6, 2, sessionLogs("s1", logRecordSpec{event: "click"}))
	assert.Len(t, b.eventsOf("session.start", "s1"), 1)
}
