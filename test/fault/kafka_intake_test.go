// Copyright The otelcol-rum Authors
// SPDX-License-Identifier: Apache-2.0

//go:build faults

package fault

import (
	"context"
	"fmt"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"github.com/twmb/franz-go/pkg/kgo"
	"go.opentelemetry.io/collector/pdata/pcommon"
	"go.opentelemetry.io/collector/pdata/plog"
	"go.opentelemetry.io/collector/pdata/pmetric"

	"github.com/otelcol-rum/otelcol-rum/test/internal/harness"
)

// The intake tier's topics, and the record header and key that name a session.
var intakeTopics = []string{"rum_traces", "rum_logs", "rum_metrics"}

const sessionHeader = "rum.session.key"

const (
	// intakeBeacon is one LCP measurement: a log record and a metric point per request,
	// each named by the session_id of its query string.
	intakeBeacon = `{"name":"LCP","value":1234.5,"rating":"good","delta":1234.5,"id":"v5-1","navigationType":"navigate","entries":[]}`
	// intakeAnswerWait bounds how long a test client waits for an answer. The intake waits
	// up to its exporters' timeout (2s) for Kafka, longer for records already in flight
	// to a broker that stopped answering: a browser gives up too.
	intakeAnswerWait = 4 * time.Second
	// kafkaReadWait bounds the wait for every accepted record to be read back.
	kafkaReadWait = 30 * time.Second
)

// intakeOverlay lifts the per-client rate limit (every request of the test comes from
// 127.0.0.1) on top of the shipped deploy/config/intake.yaml.
const intakeOverlay = `
receivers:
  rum:
    rate_limit:
      per_client: {rate: 0}
`

// TestIntakeLosesNothingItAcceptsWhenKafkaIsDown runs the intake tier against the test
// broker: Kafka down when the intake starts, then up, then frozen (SIGSTOP: it keeps its
// connections and its data, and answers nothing) in the middle of the run, then back.
// Every request the intake acknowledged must be in Kafka, its log record and metric point
// both, keyed and headed by its session, on the same partition number of both topics.
//
// As shipped, the intake acknowledges only what Kafka took: while Kafka cannot take data
// it answers 429 with Retry-After, or nothing until the client gives up. With the disk
// queue overlay it acknowledges what it queued on disk, and the queue keeps each
// request's session key until Kafka takes the records.
func TestIntakeLosesNothingItAcceptsWhenKafkaIsDown(t *testing.T) {
	t.Run("as shipped", func(t *testing.T) { testIntakeKafkaDown(t, false) })
	t.Run("disk queue overlay", func(t *testing.T) { testIntakeKafkaDown(t, true) })
}

func testIntakeKafkaDown(t *testing.T, diskQueue bool) {
	root := harness.RepoRoot(t)
	brokerBin := buildBroker(t, root)
	brokerAddr, rumAddr, healthAddr := harness.FreeAddr(t), harness.FreeAddr(t), harness.FreeAddr(t)
	overlay := filepath.Join(t.TempDir(), "overlay.yaml")
	require.NoError(t, os.WriteFile(overlay, []byte(intakeOverlay), 0o600))
	args := []string{"--config", filepath.Join(root, "deploy", "config", "intake.yaml"), "--config", overlay}
	if diskQueue {
		args = append(args, "--config", filepath.Join(root, "deploy", "config", "overlays", "intake-disk-queue.yaml"))
	}
	env := []string{"KAFKA_BROKERS=" + brokerAddr, "RUM_ENDPOINT=" + rumAddr, "HEALTH_CHECK_ENDPOINT=" + healthAddr,
		"RUM_STORAGE_DIR=" + filepath.Join(t.TempDir(), "storage")}
	col := harness.StartProc(t, t.TempDir(), env, harness.CollectorBinary(t), args...)
	harness.WaitHTTP(t, col, "http://"+healthAddr+"/")
	post := beaconPoster("http://" + rumAddr)
	var accepted []beaconOutcome
	acceptedWhileDown := func(outcomes []beaconOutcome) {
		for _, o := range outcomes {
			if diskQueue {
				assert.Equal(t, http.StatusAccepted, o.status, "%s: queued on disk (%v)", o.session, o.err)
			} else if o.err == nil {
				assert.Equal(t, http.StatusTooManyRequests, o.status, "%s: the intake acknowledged data Kafka did not take", o.session)
				assert.Equal(t, "5", o.retryAfter, "%s: Retry-After", o.session)
			}
			if o.status == http.StatusAccepted {
				accepted = append(accepted, o)
			}
		}
	}

	// Kafka down at start: the intake runs, and refuses or queues.
	down := post.concurrently("down-at-start", 4)
	acceptedWhileDown(down)

	broker := startBroker(t, brokerBin, brokerAddr)
	// The first request after the broker came up waits for the client's first metadata.
	accepted = append(accepted, post.untilAccepted(t, "first-up", 30*time.Second))
	for _, o := range post.sequentially("up", 20) {
		require.Equal(t, http.StatusAccepted, o.status, "%s: %v", o.session, o.err)
		accepted = append(accepted, o)
	}

	// Kafka frozen mid-run.
	require.NoError(t, syscall.Kill(broker.Pid(), syscall.SIGSTOP))
	frozen := post.concurrently("frozen", 8)
	require.NoError(t, syscall.Kill(broker.Pid(), syscall.SIGCONT))
	acceptedWhileDown(frozen)

	accepted = append(accepted, post.untilAccepted(t, "back", 30*time.Second))
	for _, o := range post.sequentially("after", 10) {
		require.Equal(t, http.StatusAccepted, o.status, "%s: %v", o.session, o.err)
		accepted = append(accepted, o)
	}

	found := readSessions(t, brokerAddr, accepted)
	for _, o := range accepted {
		f := found[o.session]
		if !assert.True(t, f.logs && f.metrics, "%s was acknowledged but its records are not all in Kafka (log: %v, metric: %v)", o.session, f.logs, f.metrics) {
			continue
		}
		assert.Equal(t, f.logsPartition, f.metricsPartition, "%s: the log record and the metric point of one session on one partition number", o.session)
	}
	late := 0
	for _, o := range append(down, frozen...) {
		if f := found[o.session]; o.status != http.StatusAccepted && (f.logs || f.metrics) {
			late++
		}
	}
	t.Logf("Kafka down at start: %d requests, %s; frozen: %d requests, %s (client timeout %s); %d acknowledged in all, all in Kafka; "+
		"%d not acknowledged but written after all (a browser's retry duplicates them)",
		len(down), statuses(down), len(frozen), statuses(frozen), intakeAnswerWait, len(accepted), late)
}

// buildBroker builds the test broker (test/kafka/broker) into a temporary directory.
func buildBroker(t *testing.T, root string) string {
	t.Helper()
	bin := filepath.Join(t.TempDir(), "broker")
	ctx, cancel := context.WithTimeout(context.Background(), 3*time.Minute)
	defer cancel()
	cmd := exec.CommandContext(ctx, "go", "build", "-o", bin, "./test/kafka/broker")
	cmd.Dir = root
	out, err := cmd.CombinedOutput()
	require.NoError(t, err, "build the test broker: %s", out)
	return bin
}

// startBroker runs the test broker with the intake's topics and the session tier's
// compacted checkpoint topic, all of 4 partitions, and waits for its ready line.
func startBroker(t *testing.T, bin, addr string) *harness.Proc {
	t.Helper()
	p := harness.StartProc(t, t.TempDir(), nil, bin, "-addr", addr, "-topics", strings.Join(intakeTopics, ","), "-partitions", "4")
	deadline := time.Now().Add(30 * time.Second)
	for !strings.Contains(p.Output(), "broker ready") {
		select {
		case <-p.Exited():
			t.Fatalf("the broker exited: %v\n%s", p.Err(), p.Output())
		default:
		}
		require.True(t, time.Now().Before(deadline), "the broker did not start within 30s:\n%s", p.Output())
		time.Sleep(50 * time.Millisecond)
	}
	createCompactedTopic(t, addr, checkpointTopic, 4)
	return p
}

// beaconOutcome is the answer to one beacon of its own session.
type beaconOutcome struct {
	session    string
	status     int
	retryAfter string
	err        error // no answer within intakeAnswerWait
}

type beaconPoster string

func (url beaconPoster) one(session string) beaconOutcome {
	o := beaconOutcome{session: session}
	client := http.Client{Timeout: intakeAnswerWait}
	resp, err := client.Post(string(url)+"/vitals?session_id="+session, "text/plain", strings.NewReader(intakeBeacon))
	if err != nil {
		o.err = err
		return o
	}
	defer resp.Body.Close()
	o.status, o.retryAfter = resp.StatusCode, resp.Header.Get("Retry-After")
	return o
}

func (url beaconPoster) sequentially(prefix string, n int) []beaconOutcome {
	out := make([]beaconOutcome, n)
	for i := range out {
		out[i] = url.one(fmt.Sprintf("%s-%d", prefix, i))
	}
	return out
}

func (url beaconPoster) concurrently(prefix string, n int) []beaconOutcome {
	out := make([]beaconOutcome, n)
	var wg sync.WaitGroup
	for i := range out {
		wg.Go(func() { out[i] = url.one(fmt.Sprintf("%s-%d", prefix, i)) })
	}
	wg.Wait()
	return out
}

// untilAccepted sends beacons of new sessions until one is acknowledged, within limit.
func (url beaconPoster) untilAccepted(t *testing.T, prefix string, limit time.Duration) beaconOutcome {
	t.Helper()
	deadline := time.Now().Add(limit)
	for i := 0; ; i++ {
		o := url.one(fmt.Sprintf("%s-%d", prefix, i))
		if o.status == http.StatusAccepted {
			return o
		}
		require.True(t, time.Now().Before(deadline), "no beacon acknowledged within %s; last: %d %v", limit, o.status, o.err)
		time.Sleep(200 * time.Millisecond)
	}
}

func statuses(outcomes []beaconOutcome) string {
	counts := map[string]int{}
	for _, o := range outcomes {
		if o.err != nil {
			counts["no answer"]++
			continue
		}
		counts[fmt.Sprint(o.status)]++
	}
	return fmt.Sprint(counts)
}

// sessionRecords is what Kafka holds of one session.
type sessionRecords struct {
	logs, metrics                   bool
	logsPartition, metricsPartition int32
}

// readSessions reads the intake's topics from the start until every accepted session's
// log record and metric point are there, or kafkaReadWait passed, and a moment longer for
// records of refused requests that were written after all.
func readSessions(t *testing.T, brokerAddr string, accepted []beaconOutcome) map[string]sessionRecords {
	t.Helper()
	cl, err := kgo.NewClient(kgo.SeedBrokers(brokerAddr), kgo.ConsumeTopics(intakeTopics...),
		kgo.ConsumeResetOffset(kgo.NewOffset().AtStart()))
	require.NoError(t, err)
	defer cl.Close()
	found := map[string]sessionRecords{}
	complete := func() bool {
		for _, o := range accepted {
			if f := found[o.session]; !f.logs || !f.metrics {
				return false
			}
		}
		return true
	}
	deadline := time.Now().Add(kafkaReadWait)
	quietUntil := time.Time{}
	for time.Now().Before(deadline) && (quietUntil.IsZero() || time.Now().Before(quietUntil)) {
		ctx, cancel := context.WithTimeout(context.Background(), time.Second)
		fetches := cl.PollFetches(ctx)
		cancel()
		fetches.EachRecord(func(r *kgo.Record) { noteRecord(t, found, r) })
		if quietUntil.IsZero() && complete() {
			quietUntil = time.Now().Add(2 * time.Second)
		}
	}
	return found
}

// noteRecord files a record under the session of its data, and checks that its key and
// its header name that session.
func noteRecord(t *testing.T, found map[string]sessionRecords, r *kgo.Record) {
	t.Helper()
	var resource pcommon.Map
	switch r.Topic {
	case "rum_logs":
		ld, err := (&plog.ProtoUnmarshaler{}).UnmarshalLogs(r.Value)
		require.NoError(t, err, "a log record of the intake does not decode")
		resource = ld.ResourceLogs().At(0).Resource().Attributes()
	case "rum_metrics":
		md, err := (&pmetric.ProtoUnmarshaler{}).UnmarshalMetrics(r.Value)
		require.NoError(t, err, "a metric record of the intake does not decode")
		resource = md.ResourceMetrics().At(0).Resource().Attributes()
	default:
		return
	}
	id, ok := resource.Get("session.id")
	require.True(t, ok, "a record without session.id on %s", r.Topic)
	session := id.Str()
	assert.Equal(t, session, string(r.Key), "the record key is the session")
	var header string
	for _, h := range r.Headers {
		if h.Key == sessionHeader {
			header = string(h.Value)
		}
	}
	assert.Equal(t, session, header, "the %s header is the session", sessionHeader)
	f := found[session]
	if r.Topic == "rum_logs" {
		f.logs, f.logsPartition = true, r.Partition
	} else {
		f.metrics, f.metricsPartition = true, r.Partition
	}
	found[session] = f
}
