// Copyright The otelcol-rum Authors
// SPDX-License-Identifier: Apache-2.0

//go:build faults

package fault

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

const (
	// sessionGroup is the session tier's consumer group in deploy/config/session.yaml.
	sessionGroup = "rum-sessions"
	// assignmentWait bounds the wait for the group to settle: a static member that left
	// is replaced only when its session times out (10s, the kafka receiver's default).
	assignmentWait = 60 * time.Second
)

// sessionTierOverlay keeps a session-tier collector's own telemetry off its default port,
// where two collectors on one machine would collide.
const sessionTierOverlay = `
service:
  telemetry:
    metrics:
      level: none
`

// TestSessionTierOwnsOnePartitionNumberOnEveryTopic runs session-tier collectors with the
// shipped deploy/config/session.yaml against the test broker (4 partitions per topic) and
// reads the group's assignment from the broker: each collector's three kafka receivers,
// static members of one group balanced by range, must own the same partition numbers of
// rum_traces, rum_logs and rum_metrics, and together every partition once. Checked with
// two collectors, after a third joins, and after one of them stops.
func TestSessionTierOwnsOnePartitionNumberOnEveryTopic(t *testing.T) {
	root := harness.RepoRoot(t)
	brokerAddr := harness.FreeAddr(t)
	startBroker(t, buildBroker(t, root), brokerAddr)
	config := sessionTierConfig(t, root)

	pods := map[string]*harness.Proc{}
	start := func(name string) {
		env := []string{
			"POD_NAME=" + name, "KAFKA_BROKERS=" + brokerAddr,
			"HEALTH_CHECK_ENDPOINT=" + harness.FreeAddr(t), "PROMETHEUS_ENDPOINT=" + harness.FreeAddr(t),
			// Nothing listens there: the exporters queue on disk, which this test does not read.
			"OTLP_ENDPOINT=" + harness.FreeAddr(t), "RUM_STORAGE_DIR=" + filepath.Join(t.TempDir(), "storage"),
		}
		pods[name] = harness.StartProc(t, t.TempDir(), env, harness.CollectorBinary(t), "--config", config, "--config", writeOverlay(t, sessionTierOverlay))
	}
	check := func(want ...string) {
		t.Helper()
		owned := waitForAssignment(t, brokerAddr, 4, want)
		t.Logf("collectors %v own partitions %v", want, owned)
	}

	start("session-0")
	start("session-1")
	check("session-0", "session-1")
	start("session-2")
	check("session-0", "session-1", "session-2")
	require.NoError(t, pods["session-1"].Stop(t))
	check("session-0", "session-2")
}

// sessionTierConfig is deploy/config/session.yaml, without its kafka_handover extension
// while the build does not have it (as scripts/validate-presets.sh validates it).
func sessionTierConfig(t *testing.T, root string) string {
	t.Helper()
	shipped := filepath.Join(root, "deploy", "config", "session.yaml")
	out, err := exec.Command(harness.CollectorBinary(t), "components").Output()
	require.NoError(t, err)
	if strings.Contains(string(out), "name: kafka_handover\n") {
		return shipped
	}
	data, err := os.ReadFile(shipped)
	require.NoError(t, err)
	var kept []string
	inBlock := false
	for line := range strings.SplitSeq(string(data), "\n") {
		switch {
		case line == "  kafka_handover:":
			inBlock = true
			continue
		case inBlock && strings.HasPrefix(line, "    "):
			continue
		case line == "    handover: kafka_handover":
			continue
		}
		inBlock = false
		kept = append(kept, strings.Replace(line, ", kafka_handover]", "]", 1))
	}
	path := filepath.Join(t.TempDir(), "session.yaml")
	require.NoError(t, os.WriteFile(path, []byte(strings.Join(kept, "\n")), 0o600))
	return path
}

func writeOverlay(t *testing.T, yaml string) string {
	t.Helper()
	path := filepath.Join(t.TempDir(), "overlay.yaml")
	require.NoError(t, os.WriteFile(path, []byte(yaml), 0o600))
	return path
}

// waitForAssignment polls the group until its members are exactly the three receivers of
// each of pods, each pod owns the same partitions of the three topics and the pods
// together own each of the topics' partitions (numbered 0 to partitions-1) once. It
// returns each pod's partitions.
func waitForAssignment(t *testing.T, brokerAddr string, partitions int, pods []string) map[string][]int32 {
	t.Helper()
	cl, err := kgo.NewClient(kgo.SeedBrokers(brokerAddr))
	require.NoError(t, err)
	defer cl.Close()
	deadline := time.Now().Add(assignmentWait)
	var last string
	for time.Now().Before(deadline) {
		owned, problem := describeAssignment(cl, partitions, pods)
		if problem == "" {
			return owned
		}
		last = problem
		time.Sleep(500 * time.Millisecond)
	}
	t.Fatalf("the group did not settle within %s: %s", assignmentWait, last)
	return nil
}

// describeAssignment reads the group from the broker and says what is wrong with it, if
// anything.
func describeAssignment(cl *kgo.Client, partitions int, pods []string) (map[string][]int32, string) {
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	req := kmsg.NewPtrDescribeGroupsRequest()
	req.Groups = []string{sessionGroup}
	resp, err := req.RequestWith(ctx, cl)
	if err != nil {
		return nil, err.Error()
	}
	if len(resp.Groups) != 1 || resp.Groups[0].State != "Stable" {
		return nil, fmt.Sprintf("group not stable: %+v", resp.Groups)
	}
	// byMember: instance id -> topic -> partitions.
	byMember := map[string]map[string][]int32{}
	for _, m := range resp.Groups[0].Members {
		if m.InstanceID == nil {
			return nil, "a member without an instance id: " + m.MemberID
		}
		var a kmsg.ConsumerMemberAssignment
		if err := a.ReadFrom(m.MemberAssignment); err != nil {
			return nil, fmt.Sprintf("assignment of %s: %v", *m.InstanceID, err)
		}
		topics := map[string][]int32{}
		for _, tp := range a.Topics {
			topics[tp.Topic] = slices.Sorted(slices.Values(tp.Partitions))
		}
		byMember[*m.InstanceID] = topics
	}
	if len(byMember) != 3*len(pods) {
		return nil, fmt.Sprintf("%d members, want %d: %v", len(byMember), 3*len(pods), byMember)
	}
	owned := map[string][]int32{}
	seen := map[int32]string{}
	for _, pod := range pods {
		var first []int32
		for i, signal := range []string{"traces", "logs", "metrics"} {
			topics, ok := byMember[pod+"-"+signal]
			if !ok {
				return nil, fmt.Sprintf("no member %s-%s: %v", pod, signal, byMember)
			}
			if len(topics) > 1 {
				return nil, fmt.Sprintf("%s-%s owns partitions of several topics: %v", pod, signal, topics)
			}
			parts := topics["rum_"+signal]
			if i == 0 {
				first = parts
			} else if !slices.Equal(first, parts) {
				return nil, fmt.Sprintf("%s owns partitions %v of rum_traces but %v of rum_%s", pod, first, parts, signal)
			}
		}
		for _, p := range first {
			if other, dup := seen[p]; dup {
				return nil, fmt.Sprintf("partition %d owned by %s and %s", p, other, pod)
			}
			seen[p] = pod
		}
		owned[pod] = first
	}
	if len(seen) != partitions {
		return nil, fmt.Sprintf("%d of %d partitions owned: %v", len(seen), partitions, owned)
	}
	return owned, ""
}
