// Copyright The otelcol-rum Authors
// SPDX-License-Identifier: Apache-2.0

//go:build e2e

package e2e

import (
	"context"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
	"github.com/twmb/franz-go/pkg/kgo"
	"github.com/twmb/franz-go/pkg/kmsg"

	"github.com/otelcol-rum/otelcol-rum/test/internal/harness"
)

// Issue 15's two tiers on loopback: the kfake broker of test/kafka/broker as a process of
// its own, two intake collectors (rum -> kafka) and two session-tier collectors (kafka ->
// session -> webvitals -> otlp_http), all the built binary, and an OTLP sink in the test.

// The shipped configurations of the tiers (docs/scaling.md), run as they are with the
// test's overlays on top.
var (
	intakeConfig  = filepath.Join("deploy", "config", "intake.yaml")
	sessionConfig = filepath.Join("deploy", "config", "session.yaml")
)

const (
	tierPartitions = 4
	// The collectors of the session tier.
	tierSessionCollectors = 2
	consumerGroup         = "rum-sessions"
	// kfake's smallest session timeout: a session-tier collector that stops (a static
	// member sends no LeaveGroup) or dies gives up its partitions this long after.
	tierKafkaSessionTimeout = 6 * time.Second
	// How long a session may go without data before it ends. It must outlast a
	// partition's move: the session timeout above, plus the hand-over wait after a crash.
	tierInactivity = 20 * time.Second
	// The hand-over's wait for a crashed owner's release.
	tierHandoverWait = 5 * time.Second
	// How often the session processor checkpoints to the hand-over store.
	tierCheckpointInterval = time.Second
)

// The data topics, created with the broker as the intake's configuration expects
// (it creates none); kafka_handover creates its compacted checkpoint topic itself.
var tierTopics = []string{"rum_traces", "rum_logs", "rum_metrics"}

// The test's settings over the session tier's configuration: the short timeouts that
// keep a run within a few minutes, histograms that come out every second, everything
// exported to the test's sink, and the checkpoint topic created compacted (the test
// broker cannot make one; a real deployment creates it beforehand).
const sessionTierOverlay = `
receivers:
  kafka/traces: {session_timeout: %[1]s, heartbeat_interval: 1s}
  kafka/logs: {session_timeout: %[1]s, heartbeat_interval: 1s}
  kafka/metrics: {session_timeout: %[1]s, heartbeat_interval: 1s}
processors:
  session:
    inactivity_timeout: %[2]s
    check_interval: 1s
    checkpoint_interval: %[3]s
  webvitals:
    emit_interval: 1s
    measurement_hold: 1s
  batch:
    timeout: 200ms
extensions:
  kafka_handover:
    handover_wait: %[4]s
    create_topic:
      enabled: true
      partitions: %[5]d
exporters:
  otlp_http/sink:
    endpoint: %[6]s
service:
  telemetry:
    metrics:
      level: none
  pipelines:
    traces:
      exporters: [otlp_http/sink]
    logs:
      exporters: [otlp_http/sink]
    metrics:
      exporters: [otlp_http/sink]
`

// The intake tier's settings: the per-client rate limit is off, every request of the
// test comes from 127.0.0.1.
const intakeTierOverlay = `
receivers:
  rum:
    rate_limit:
      per_client: {rate: 0}
service:
  telemetry:
    metrics:
      level: none
`

// tierCollector is one collector of either tier.
type tierCollector struct {
	pod    string // POD_NAME
	proc   *harness.Proc
	rumURL string // the intake's rum receiver
}

// twoTier is the running deployment.
type twoTier struct {
	root, bin  string
	brokerAddr string
	sink       *harness.Sink
	intakes    []*tierCollector
	sessions   []*tierCollector
}

func startTwoTier(t *testing.T) *twoTier {
	root := harness.RepoRoot(t)
	d := &twoTier{root: root, bin: harness.CollectorBinary(t), sink: harness.StartSink(t, true)}
	requireComponentKind(t, d.bin, "receivers", "kafka")
	requireComponentKind(t, d.bin, "exporters", "kafka")
	requireComponentKind(t, d.bin, "extensions", "kafka_handover")
	d.brokerAddr = startTierBroker(t)

	for i := range tierSessionCollectors {
		d.sessions = append(d.sessions, d.startSessionCollector(t, fmt.Sprintf("session-%d", i)))
	}
	d.waitAssigned(t, d.sessions)
	for i := range 2 {
		d.intakes = append(d.intakes, d.startIntake(t, fmt.Sprintf("intake-%d", i)))
	}
	return d
}

// startTierBroker builds test/kafka/broker and runs it with the tiers' topics.
func startTierBroker(t *testing.T) string {
	bin := filepath.Join(t.TempDir(), "broker")
	build := exec.Command("go", "build", "-o", bin, "./test/kafka/broker")
	build.Dir = harness.RepoRoot(t)
	out, err := build.CombinedOutput()
	require.NoError(t, err, "go build ./test/kafka/broker: %s", out)
	addr := harness.FreeAddr(t)
	p := harness.StartProc(t, "", nil, bin, "-addr", addr, "-partitions", fmt.Sprint(tierPartitions),
		"-topics", strings.Join(tierTopics, ","))
	deadline := time.Now().Add(30 * time.Second)
	for !strings.Contains(p.Output(), "broker ready "+addr) {
		select {
		case <-p.Exited():
			t.Fatalf("broker exited before ready (%v):\n%s", p.Err(), p.Output())
		default:
		}
		require.False(t, time.Now().After(deadline), "broker not ready within 30s:\n%s", p.Output())
		time.Sleep(50 * time.Millisecond)
	}
	return addr
}

func (d *twoTier) startIntake(t *testing.T, pod string) *tierCollector {
	rum := harness.FreeAddr(t)
	c := d.startCollector(t, pod, []string{"RUM_ENDPOINT=" + rum}, intakeConfig, intakeTierOverlay)
	c.rumURL = "http://" + rum
	return c
}

func (d *twoTier) startSessionCollector(t *testing.T, pod string) *tierCollector {
	overlay := fmt.Sprintf(sessionTierOverlay, tierKafkaSessionTimeout, tierInactivity, tierCheckpointInterval,
		tierHandoverWait, tierPartitions, d.sink.URL())
	env := []string{
		// Unused: the overlay sends everything to the sink.
		"PROMETHEUS_ENDPOINT=" + harness.FreeAddr(t), "OTLP_ENDPOINT=" + harness.FreeAddr(t),
		"RUM_STORAGE_DIR=" + filepath.Join(t.TempDir(), "storage"),
	}
	return d.startCollector(t, pod, env, sessionConfig, overlay)
}

// startCollector runs the binary with a tier's configuration and the test's overlay, and
// waits until it is healthy.
func (d *twoTier) startCollector(t *testing.T, pod string, env []string, config, overlay string) *tierCollector {
	dir := t.TempDir()
	overlayPath := filepath.Join(dir, "overlay.yaml")
	require.NoError(t, os.WriteFile(overlayPath, []byte(overlay), 0o600))
	health := harness.FreeAddr(t)
	env = append(env, "POD_NAME="+pod, "KAFKA_BROKERS="+d.brokerAddr, "HEALTH_CHECK_ENDPOINT="+health)
	c := &tierCollector{pod: pod}
	c.proc = harness.StartProc(t, dir, env, d.bin, "--config", filepath.Join(d.root, config), "--config", overlayPath)
	c.proc.Name = pod
	harness.WaitHTTP(t, c.proc, "http://"+health+"/")
	// The collector subscribes to SIGTERM only once it has started, a moment after the
	// health check answers (see test/fault): a stop in that window would be no shutdown.
	time.Sleep(250 * time.Millisecond)
	return c
}

// waitAssigned waits until the consumer group is stable with the kafka receivers of
// exactly the given session-tier collectors as members and every partition of the data
// topics assigned: load sent before would wait for a rebalance, and the test would
// measure the group's start instead of the tiers.
func (d *twoTier) waitAssigned(t *testing.T, up []*tierCollector) {
	t.Helper()
	cl, err := kgo.NewClient(kgo.SeedBrokers(d.brokerAddr))
	require.NoError(t, err)
	defer cl.Close()
	var want []string
	for _, c := range up {
		for _, signal := range []string{"traces", "logs", "metrics"} {
			want = append(want, c.pod+"-"+signal)
		}
	}
	slices.Sort(want)
	var last string
	deadline := time.Now().Add(3*tierKafkaSessionTimeout + 30*time.Second)
	for {
		members, assigned, state, err := describeGroup(cl)
		last = fmt.Sprintf("state %s, members %v, assigned partitions %v, err %v", state, members, assigned, err)
		if err == nil && state == "Stable" && slices.Equal(members, want) && assigned == tierPartitions*3 {
			return
		}
		require.False(t, time.Now().After(deadline), "consumer group %s never settled with %v: %s", consumerGroup, want, last)
		time.Sleep(250 * time.Millisecond)
	}
}

// describeGroup returns the instance ids of the group's members (sorted), how many
// partitions they hold in all, and the group's state.
func describeGroup(cl *kgo.Client) (members []string, assigned int, state string, err error) {
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	req := kmsg.NewPtrDescribeGroupsRequest()
	req.Groups = []string{consumerGroup}
	resp, err := req.RequestWith(ctx, cl)
	if err != nil {
		return nil, 0, "", err
	}
	if len(resp.Groups) != 1 {
		return nil, 0, "", fmt.Errorf("%d groups described", len(resp.Groups))
	}
	g := resp.Groups[0]
	for _, m := range g.Members {
		if m.InstanceID != nil {
			members = append(members, *m.InstanceID)
		}
		var a kmsg.ConsumerMemberAssignment
		if err := a.ReadFrom(m.MemberAssignment); err != nil {
			continue // no assignment yet
		}
		for _, topic := range a.Topics {
			assigned += len(topic.Partitions)
		}
	}
	slices.Sort(members)
	return members, assigned, g.State, nil
}

// hasComponent reports whether the binary has a component of a kind ("receivers",
// "extensions", ...).
func hasComponent(t *testing.T, bin, kind, name string) bool {
	t.Helper()
	out, err := exec.Command(bin, "components").Output()
	require.NoError(t, err, "%s components", bin)
	list := string(out)
	i := strings.Index(list, kind+":")
	if i < 0 {
		return false
	}
	list = list[i+len(kind)+1:]
	// The kind's list ends where the next top-level key starts.
	for _, next := range []string{"\nreceivers:", "\nprocessors:", "\nexporters:", "\nconnectors:", "\nextensions:", "\nproviders:", "\nconverters:"} {
		if j := strings.Index(list, next); j >= 0 {
			list = list[:j]
		}
	}
	return strings.Contains(list, "- name: "+name+"\n")
}

func requireComponentKind(t *testing.T, bin, kind, name string) {
	t.Helper()
	require.True(t, hasComponent(t, bin, kind, name), "this build has no %s %s, which the two-tier deployment needs (builder-config.yaml)", name, kind)
}
