// Copyright The otelcol-rum Authors
// SPDX-License-Identifier: Apache-2.0

package main

import (
	"bufio"
	"context"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"github.com/twmb/franz-go/pkg/kgo"
	"github.com/twmb/franz-go/pkg/kmsg"
)

// The deadlines are generous: the machine is shared and the broker is a separate process.
const (
	startTimeout = 30 * time.Second
	ioTimeout    = 30 * time.Second
)

var seeded = []string{"otlp_spans", "otlp_logs", "otlp_metrics"}

// startBroker builds the program and runs it as a process, the way the end-to-end tests
// will, so the test covers the flags, the ready line and the signal handling too.
func startBroker(t *testing.T, args ...string) string {
	t.Helper()
	bin := filepath.Join(t.TempDir(), "broker")
	build := exec.Command("go", "build", "-o", bin, ".")
	out, err := build.CombinedOutput()
	require.NoError(t, err, "go build: %s", out)

	cmd := exec.Command(bin, append([]string{"-addr", "127.0.0.1:0"}, args...)...)
	stdout, err := cmd.StdoutPipe()
	require.NoError(t, err)
	var stderr strings.Builder
	cmd.Stderr = &stderr
	require.NoError(t, cmd.Start())

	exited := make(chan error, 1)
	stopped := false
	t.Cleanup(func() {
		if stopped {
			return
		}
		// Only reached when the test failed before a graceful stop; the kill's error is
		// expected, the point is that no broker outlives the test.
		_ = cmd.Process.Kill()
		t.Logf("broker killed: %v", <-exited)
	})

	ready := make(chan string, 1)
	go func() {
		sc := bufio.NewScanner(stdout)
		for sc.Scan() {
			if addr, ok := strings.CutPrefix(sc.Text(), "broker ready "); ok {
				ready <- addr
			}
		}
		exited <- cmd.Wait()
	}()

	select {
	case addr := <-ready:
		// Registered after the kill cleanup, so it runs first: a graceful stop must end
		// the process with status 0, which is what the end-to-end tests rely on.
		t.Cleanup(func() {
			require.NoError(t, cmd.Process.Signal(syscall.SIGTERM))
			select {
			case err := <-exited:
				stopped = true
				assert.NoError(t, err, "broker exit; stderr: %s", stderr.String())
			case <-time.After(startTimeout):
				t.Errorf("broker did not stop within %v after SIGTERM", startTimeout)
			}
		})
		return addr
	case err := <-exited:
		t.Fatalf("broker exited before ready: %v; stderr: %s", err, stderr.String())
	case <-time.After(startTimeout):
		t.Fatalf("broker not ready within %v; stderr: %s", startTimeout, stderr.String())
	}
	return ""
}

func newClient(t *testing.T, addr string, opts ...kgo.Opt) *kgo.Client {
	t.Helper()
	cl, err := kgo.NewClient(append([]kgo.Opt{kgo.SeedBrokers(addr)}, opts...)...)
	require.NoError(t, err)
	t.Cleanup(cl.Close)
	return cl
}

// partitionCounts asks the broker for topic metadata over the protocol; asking for an
// unknown topic with auto-creation on creates it, as a producer's first write would.
func partitionCounts(t *testing.T, cl *kgo.Client, topics ...string) map[string]int {
	t.Helper()
	req := kmsg.NewPtrMetadataRequest()
	req.AllowAutoTopicCreation = true
	for _, name := range topics {
		rt := kmsg.NewMetadataRequestTopic()
		rt.Topic = kmsg.StringPtr(name)
		req.Topics = append(req.Topics, rt)
	}
	ctx, cancel := context.WithTimeout(context.Background(), ioTimeout)
	defer cancel()
	resp, err := req.RequestWith(ctx, cl)
	require.NoError(t, err)
	counts := map[string]int{}
	for _, rt := range resp.Topics {
		require.Zero(t, rt.ErrorCode, "metadata of %v", rt.Topic)
		counts[*rt.Topic] = len(rt.Partitions)
	}
	return counts
}

func TestBrokerPartitions(t *testing.T) {
	addr := startBroker(t, "-topics", strings.Join(seeded, ","), "-partitions", "3")
	cl := newClient(t, addr)

	want := map[string]int{"otlp_spans": 3, "otlp_logs": 3, "otlp_metrics": 3, "auto_created": 3}
	assert.Equal(t, want, partitionCounts(t, cl, "otlp_spans", "otlp_logs", "otlp_metrics", "auto_created"))
}

// TestBrokerProduceConsumeInGroup goes through a consumer group, because the session tier
// reads as one group and its hand-over depends on the broker running rebalances.
func TestBrokerProduceConsumeInGroup(t *testing.T) {
	addr := startBroker(t, "-topics", strings.Join(seeded, ","), "-partitions", "2")
	ctx, cancel := context.WithTimeout(context.Background(), ioTimeout)
	defer cancel()

	producer := newClient(t, addr, kgo.DefaultProduceTopic("otlp_spans"))
	sent := &kgo.Record{Key: []byte("session-1"), Value: []byte("payload")}
	require.NoError(t, producer.ProduceSync(ctx, sent).FirstErr())

	consumer := newClient(t, addr,
		kgo.ConsumeTopics("otlp_spans"),
		kgo.ConsumerGroup("session-tier"),
		kgo.ConsumeResetOffset(kgo.NewOffset().AtStart()),
	)
	got := pollOne(ctx, t, consumer)
	assert.Equal(t, "session-1", string(got.Key))
	assert.Equal(t, "payload", string(got.Value))
	assert.Equal(t, sent.Partition, got.Partition, "the consumer must read the partition the producer wrote")
	require.NoError(t, consumer.CommitUncommittedOffsets(ctx))
}

// TestBrokerCompactsCompactedTopics checks the property the session checkpoints rely on:
// a topic created with cleanup.policy=compact keeps only the latest record of each key.
func TestBrokerCompactsCompactedTopics(t *testing.T) {
	addr := startBroker(t, "-partitions", "1", "-cleaner-interval", "100ms")
	ctx, cancel := context.WithTimeout(context.Background(), ioTimeout)
	defer cancel()
	cl := newClient(t, addr, kgo.DefaultProduceTopic("checkpoints"))

	create := kmsg.NewPtrCreateTopicsRequest()
	ct := kmsg.NewCreateTopicsRequestTopic()
	ct.Topic, ct.NumPartitions, ct.ReplicationFactor = "checkpoints", 1, 1
	cfg := kmsg.NewCreateTopicsRequestTopicConfig()
	cfg.Name, cfg.Value = "cleanup.policy", kmsg.StringPtr("compact")
	ct.Configs = append(ct.Configs, cfg)
	create.Topics = append(create.Topics, ct)
	resp, err := create.RequestWith(ctx, cl)
	require.NoError(t, err)
	require.Zero(t, resp.Topics[0].ErrorCode)

	// One ProduceSync per record so each lands in its own batch: kfake, like Kafka, never
	// compacts the active (last) segment, which for kfake is the last batch.
	for _, v := range []string{"v1", "v2", "other"} {
		key := "session-1"
		if v == "other" {
			key = "session-2"
		}
		require.NoError(t, cl.ProduceSync(ctx, &kgo.Record{Key: []byte(key), Value: []byte(v)}).FirstErr())
	}

	// Compaction runs on the broker's timer; reread from the start until session-1's
	// superseded value is gone, or fail at the deadline.
	require.EventuallyWithT(t, func(c *assert.CollectT) {
		// A fresh client each try, so every read starts at the log start again.
		reader, err := kgo.NewClient(kgo.SeedBrokers(addr),
			kgo.ConsumeTopics("checkpoints"),
			kgo.ConsumeResetOffset(kgo.NewOffset().AtStart()),
		)
		if !assert.NoError(c, err) {
			return
		}
		defer reader.Close()
		readCtx, readCancel := context.WithTimeout(ctx, 2*time.Second)
		defer readCancel()
		var values []string
		for len(values) < 3 {
			fetches := reader.PollFetches(readCtx)
			if readCtx.Err() != nil {
				break
			}
			fetches.EachRecord(func(r *kgo.Record) { values = append(values, string(r.Value)) })
		}
		assert.Equal(c, []string{"v2", "other"}, values)
	}, ioTimeout, 200*time.Millisecond)
}

func pollOne(ctx context.Context, t *testing.T, cl *kgo.Client) *kgo.Record {
	t.Helper()
	for {
		fetches := cl.PollFetches(ctx)
		require.NoError(t, ctx.Err(), "no record before the deadline")
		for _, fe := range fetches.Errors() {
			require.NoError(t, fe.Err, "fetch %s/%d", fe.Topic, fe.Partition)
		}
		if recs := fetches.Records(); len(recs) > 0 {
			return recs[0]
		}
	}
}
