// Copyright The otelcol-rum Authors
// SPDX-License-Identifier: Apache-2.0

package kubernetes

import (
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"go.yaml.in/yaml/v3"
)

// topicsJob is the part of kafka-topics-job.yaml the test reads.
type topicsJob struct {
	Spec struct {
		Template struct {
			Spec struct {
				Containers []struct {
					Command []string `yaml:"command"`
					Args    []string `yaml:"args"`
					Env     []struct {
						Name  string `yaml:"name"`
						Value string `yaml:"value"`
					} `yaml:"env"`
				} `yaml:"containers"`
			} `yaml:"spec"`
		} `yaml:"template"`
	} `yaml:"spec"`
}

// fakeTopics stands in for kafka-topics.sh: it appends its arguments to $CALLS and, for
// --describe, prints the line the real tool prints, with the partition count of
// $COUNT_<topic> (or $PARTITIONS).
const fakeTopics = `#!/bin/sh
echo "$*" >>"$CALLS"
case "$*" in
*--describe*)
  topic=$(echo "$*" | sed -n 's/.*--topic \([^ ]*\).*/\1/p')
  eval "count=\${COUNT_$topic:-$PARTITIONS}"
  printf 'Topic: %s\tTopicId: x\tPartitionCount: %s\tReplicationFactor: 3\tConfigs: \n' "$topic" "$count"
  printf '\tTopic: %s\tPartition: 0\tLeader: 1\tReplicas: 1,2,3\tIsr: 1,2,3\n' "$topic"
  ;;
esac
`

// runTopicsJob runs the Job's script with the fake tool and the Job's own environment,
// plus extra variables, and returns its output, the calls it made, the Job's environment
// and the script's error.
func runTopicsJob(t *testing.T, extra ...string) (string, []string, map[string]string, error) {
	t.Helper()
	raw, err := os.ReadFile(filepath.Join(manifestsDir, "kafka-topics-job.yaml"))
	require.NoError(t, err)
	var job topicsJob
	require.NoError(t, yaml.Unmarshal(raw, &job))
	require.Len(t, job.Spec.Template.Spec.Containers, 1)
	c := job.Spec.Template.Spec.Containers[0]
	require.Equal(t, []string{"/bin/sh", "-c"}, c.Command)
	require.Len(t, c.Args, 1)

	dir := t.TempDir()
	fake := filepath.Join(dir, "kafka-topics.sh")
	require.NoError(t, os.WriteFile(fake, []byte(fakeTopics), 0o700))
	calls := filepath.Join(dir, "calls")

	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	cmd := exec.CommandContext(ctx, "/bin/sh", "-c", c.Args[0])
	cmd.Env = []string{"PATH=" + os.Getenv("PATH"), "KAFKA_TOPICS_SH=" + fake, "CALLS=" + calls}
	env := map[string]string{}
	for _, e := range c.Env {
		cmd.Env = append(cmd.Env, e.Name+"="+e.Value)
		env[e.Name] = e.Value
	}
	cmd.Env = append(cmd.Env, extra...)
	out, runErr := cmd.CombinedOutput()
	recorded, err := os.ReadFile(calls)
	require.NoError(t, err)
	return string(out), strings.Split(strings.TrimSpace(string(recorded)), "\n"), env, runErr
}

func TestTopicsJobCreatesFourTopicsAlike(t *testing.T) {
	out, calls, env, err := runTopicsJob(t)
	require.NoError(t, err, out)
	partitions := env["PARTITIONS"]
	require.NotEmpty(t, partitions)

	creates := map[string]string{}
	for _, call := range calls {
		if strings.Contains(call, "--create") {
			topic := strings.Fields(call[strings.Index(call, "--topic "):])[1]
			creates[topic] = call
		}
	}
	require.ElementsMatch(t, []string{"rum_traces", "rum_logs", "rum_metrics", "rum_session_checkpoints"}, topicNames(creates))
	for topic, call := range creates {
		assert.Contains(t, call, "--if-not-exists", topic)
		assert.Contains(t, call, "--partitions "+partitions, topic)
		assert.Contains(t, call, "--replication-factor "+env["REPLICATION_FACTOR"], topic)
		assert.Contains(t, call, "--config min.insync.replicas=2", topic)
		if topic == "rum_session_checkpoints" {
			assert.Contains(t, call, "--config cleanup.policy=compact", topic)
			assert.NotContains(t, call, "--config retention.ms=", topic, "a compacted topic keeps the latest value of every key, however old")
		} else {
			assert.Contains(t, call, "--config cleanup.policy=delete", topic)
			assert.Contains(t, call, "--config retention.ms="+env["DATA_RETENTION_MS"], topic)
		}
		assert.Contains(t, out, topic+": "+partitions+" partitions")
	}
}

func TestTopicsJobRefusesAnotherPartitionCount(t *testing.T) {
	out, _, env, err := runTopicsJob(t, "COUNT_rum_logs=7")
	require.Error(t, err, "a topic with 7 partitions must fail the Job")
	assert.Contains(t, out, "rum_logs has 7 partitions, want "+env["PARTITIONS"])
}

func topicNames(m map[string]string) []string {
	topics := make([]string, 0, len(m))
	for k := range m {
		topics = append(topics, k)
	}
	return topics
}
