// Copyright The otelcol-rum Authors
// SPDX-License-Identifier: Apache-2.0

//go:build faults

package fault

import (
	"context"
	"fmt"
	"path/filepath"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
	"github.com/twmb/franz-go/pkg/kgo"
	"go.opentelemetry.io/collector/pdata/pcommon"
	"go.opentelemetry.io/collector/pdata/plog"
	"go.opentelemetry.io/collector/pdata/pmetric"
	"go.opentelemetry.io/collector/pdata/ptrace"

	"github.com/otelcol-rum/otelcol-rum/test/internal/harness"
)

// sessionTierUnderTest goes on top of deploy/config/session.yaml: everything the tier
// exports goes to the test's sink, its own telemetry (where the kafka receivers and the
// session processor count what they skipped and failed) is served on a port of its own,
// and sessions end after a short inactivity so that a test sees their session.end.
const sessionTierUnderTest = `
exporters:
  otlp_http/sink:
    endpoint: %s
processors:
  session:
    inactivity_timeout: %s
service:
  telemetry:
    metrics:
      level: detailed
      readers:
        - pull:
            exporter:
              prometheus: {host: 127.0.0.1, port: %d}
  pipelines:
    traces:
      exporters: [otlp_http/sink]
    logs:
      exporters: [otlp_http/sink]
    metrics:
      exporters: [otlp_http/sink]
`

// testInactivity is the session tier's inactivity_timeout in these tests.
const testInactivity = 3 * time.Second

// sessionsStayOpen keeps the sessions of a test open for its whole run, so that a second
// session.start can only be a split.
const sessionsStayOpen = `
processors:
  session:
    inactivity_timeout: 5m
`

// sessionPod is one collector of the session tier, with the same name, ports and storage
// at every start, as a StatefulSet pod has.
type sessionPod struct {
	name       string
	env        []string
	args       []string
	healthURL  string
	metricsURL string
}

// newSessionPod prepares a session-tier collector named name (its POD_NAME) exporting to
// sinkURL; extra YAML documents go on top.
func newSessionPod(t *testing.T, brokerAddr, sinkURL, name string, extra ...string) *sessionPod {
	t.Helper()
	health, telemetry := harness.FreeAddr(t), harness.FreePort(t)
	pod := &sessionPod{
		name: name,
		env: []string{
			"POD_NAME=" + name, "KAFKA_BROKERS=" + brokerAddr, "HEALTH_CHECK_ENDPOINT=" + health,
			"PROMETHEUS_ENDPOINT=" + harness.FreeAddr(t), "RUM_STORAGE_DIR=" + filepath.Join(t.TempDir(), "storage"),
		},
		healthURL:  "http://" + health + "/",
		metricsURL: fmt.Sprintf("http://%s/metrics", harness.Loopback(telemetry)),
	}
	pod.args = []string{"--config", sessionTierConfig(t, harness.RepoRoot(t)),
		"--config", writeOverlay(t, fmt.Sprintf(sessionTierUnderTest, sinkURL, testInactivity, telemetry))}
	for _, e := range extra {
		pod.args = append(pod.args, "--config", writeOverlay(t, e))
	}
	return pod
}

// start runs the collector and waits until it is healthy.
func (s *sessionPod) start(t *testing.T) *harness.Proc {
	t.Helper()
	p := harness.StartProc(t, t.TempDir(), s.env, harness.CollectorBinary(t), s.args...)
	harness.WaitHTTP(t, p, s.healthURL)
	time.Sleep(signalHandlerWindow)
	return p
}

// metric is the sum of the series of name in the collector's own telemetry (0 when it
// has none yet: counters appear at their first increment).
func (s *sessionPod) metric(t *testing.T, name string, labels ...string) float64 {
	t.Helper()
	v, _, err := harness.ScrapeSum(s.metricsURL, name, labels...)
	require.NoError(t, err, "scrape %s", s.metricsURL)
	return v
}

// Self-telemetry of the session tier that the Kafka fault tests read: the kafka
// receivers' records that did not decode, one series per signal, and the session
// processor's writes to the hand-over store.
var unmarshalFailed = map[string]string{
	"rum_traces":  "otelcol_kafka_receiver_unmarshal_failed_spans",
	"rum_logs":    "otelcol_kafka_receiver_unmarshal_failed_log_records",
	"rum_metrics": "otelcol_kafka_receiver_unmarshal_failed_metric_points",
}

const handoverWrites = "otelcol_processor_session_handover_writes"

// tierProducer writes records to chosen partitions of the data topics, as the intake tier
// does (key and header = the session), or anything else a test needs there.
type tierProducer struct{ cl *kgo.Client }

func newTierProducer(t *testing.T, brokerAddr string) tierProducer {
	return tierProducer{cl: adminClient(t, brokerAddr,
		kgo.RecordPartitioner(kgo.ManualPartitioner()),
		kgo.ProducerBatchMaxBytes(8<<20),
		kgo.ProduceRequestTimeout(adminWait))}
}

// produce writes one record and waits for the broker's acknowledgement.
func (tp tierProducer) produce(t *testing.T, topic string, partition int32, key string, value []byte) {
	t.Helper()
	r := &kgo.Record{Topic: topic, Partition: partition, Value: value}
	if key != "" {
		r.Key = []byte(key)
		r.Headers = []kgo.RecordHeader{{Key: sessionHeader, Value: []byte(key)}}
	}
	ctx, cancel := context.WithTimeout(context.Background(), adminWait)
	defer cancel()
	require.NoError(t, tp.cl.ProduceSync(ctx, r).FirstErr(), "produce to %s/%d", topic, partition)
}

// session writes one span, one log record and one metric point of session to partition
// p of the three data topics.
func (tp tierProducer) session(t *testing.T, p int32, session string) {
	t.Helper()
	for topic, value := range sessionValues(t, session) {
		tp.produce(t, topic, p, session, value)
	}
}

// sessionValues are the OTLP protobuf values of one span, one log record and one metric
// point of session, by topic.
func sessionValues(t *testing.T, session string) map[string][]byte {
	t.Helper()
	now := pcommon.NewTimestampFromTime(time.Now())
	resource := func(m pcommon.Map) {
		m.PutStr("service.name", "shop-web")
		m.PutStr("session.id", session)
	}

	td := ptrace.NewTraces()
	rs := td.ResourceSpans().AppendEmpty()
	resource(rs.Resource().Attributes())
	sp := rs.ScopeSpans().AppendEmpty().Spans().AppendEmpty()
	sp.SetName("fetch")
	sp.SetTraceID(pcommon.TraceID{1, 2, 3})
	sp.SetSpanID(pcommon.SpanID{4, 5, 6})
	sp.SetStartTimestamp(now)
	sp.SetEndTimestamp(now)

	ld := plog.NewLogs()
	rl := ld.ResourceLogs().AppendEmpty()
	resource(rl.Resource().Attributes())
	lr := rl.ScopeLogs().AppendEmpty().LogRecords().AppendEmpty()
	lr.SetTimestamp(now)
	lr.Body().SetStr("console message")

	md := pmetric.NewMetrics()
	rm := md.ResourceMetrics().AppendEmpty()
	resource(rm.Resource().Attributes())
	m := rm.ScopeMetrics().AppendEmpty().Metrics().AppendEmpty()
	m.SetName("app.cart.items")
	dp := m.SetEmptyGauge().DataPoints().AppendEmpty()
	dp.SetTimestamp(now)
	dp.SetIntValue(3)

	tb, err := (&ptrace.ProtoMarshaler{}).MarshalTraces(td)
	require.NoError(t, err)
	lb, err := (&plog.ProtoMarshaler{}).MarshalLogs(ld)
	require.NoError(t, err)
	mb, err := (&pmetric.ProtoMarshaler{}).MarshalMetrics(md)
	require.NoError(t, err)
	return map[string][]byte{"rum_traces": tb, "rum_logs": lb, "rum_metrics": mb}
}

// decodes says whether the session tier's kafka receiver for topic (encoding
// otlp_proto) decodes value.
func decodes(topic string, value []byte) bool {
	var err error
	switch topic {
	case "rum_traces":
		_, err = (&ptrace.ProtoUnmarshaler{}).UnmarshalTraces(value)
	case "rum_logs":
		_, err = (&plog.ProtoUnmarshaler{}).UnmarshalLogs(value)
	default:
		_, err = (&pmetric.ProtoUnmarshaler{}).UnmarshalMetrics(value)
	}
	return err == nil
}

// waitSink waits up to limit until done holds on the sink's index and says so.
func waitSink(sink *harness.Sink, limit time.Duration, done func(*harness.Index) bool) bool {
	deadline := time.Now().Add(limit)
	for {
		ok := false
		sink.Read(func(ix *harness.Index) { ok = done(ix) })
		if ok {
			return true
		}
		if time.Now().After(deadline) {
			return false
		}
		time.Sleep(250 * time.Millisecond)
	}
}

// alive fails the test if the collector exited.
func alive(t *testing.T, p *harness.Proc, when string) {
	t.Helper()
	select {
	case <-p.Exited():
		t.Fatalf("the session-tier collector exited %s: %v", when, p.Err())
	default:
	}
}
