// Copyright The otelcol-rum Authors
// SPDX-License-Identifier: Apache-2.0

package kafkahandoverextension

import (
	"context"
	"fmt"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"github.com/twmb/franz-go/pkg/kerr"
	"github.com/twmb/franz-go/pkg/kfake"
	"github.com/twmb/franz-go/pkg/kgo"
	"github.com/twmb/franz-go/pkg/kmsg"
)

func TestCreatesACompactedTopic(t *testing.T) {
	c := newTestCluster(t)
	cfg := testConfig(c)
	cfg.CreateTopic.Partitions = 6
	a := startInstance(t, cfg)
	a.acquire(t, 5)

	cl, err := kgo.NewClient(kgo.SeedBrokers(c.ListenAddrs()...))
	require.NoError(t, err)
	defer cl.Close()
	n, err := topicPartitions(context.Background(), cl, cfg.Topic)
	require.NoError(t, err)
	assert.Equal(t, int32(6), n)
	require.NoError(t, checkCompacted(context.Background(), cl, cfg.Topic))
}

func TestRefusesATopicThatIsNotCompacted(t *testing.T) {
	c := newTestCluster(t, kfake.SeedTopics(testPartitions, "plain"))
	cfg := testConfig(c)
	cfg.Topic = "plain"
	a := startInstance(t, cfg)
	_, err := a.st.Acquire(context.Background(), 0)
	assert.ErrorContains(t, err, `topic "plain" is not compacted`)
}

func TestMissingTopicWithoutCreateTopic(t *testing.T) {
	c := newTestCluster(t)
	cfg := testConfig(c)
	cfg.CreateTopic.Enabled = false
	a := startInstance(t, cfg)
	_, err := a.st.Acquire(context.Background(), 0)
	assert.ErrorContains(t, err, "checkpoint topic does not exist")
}

// TestPartitionBeyondTheCheckpointTopic: a data partition the checkpoint topic has no
// partition for is an error that says what to fix, not a write to the wrong place.
func TestPartitionBeyondTheCheckpointTopic(t *testing.T) {
	c := newTestCluster(t)
	a := startInstance(t, testConfig(c))
	_, err := a.st.Acquire(context.Background(), testPartitions)
	assert.ErrorContains(t, err, "data partition 4 has no checkpoint partition")
	_, err = a.st.Acquire(context.Background(), -1)
	assert.ErrorContains(t, err, "invalid partition -1")
}

// TestAcquireAfterTheTopicGrew: the checkpoint topic gains partitions while the collector
// runs (the data topics grew, docs/scaling.md). The first Acquire of a new partition
// must write there, not fail until the producer's own metadata refresh (minutes) learns
// of the new partitions.
func TestAcquireAfterTheTopicGrew(t *testing.T) {
	c := newTestCluster(t)
	a := startInstance(t, testConfig(c))
	a.acquire(t, 0)
	a.write(t, 0, 1, session("s0", "v0"))

	admin, err := kgo.NewClient(kgo.SeedBrokers(c.ListenAddrs()...))
	require.NoError(t, err)
	defer admin.Close()
	req := kmsg.NewPtrCreatePartitionsRequest()
	rt := kmsg.NewCreatePartitionsRequestTopic()
	rt.Topic, rt.Count = defaultTopic, 2*testPartitions
	req.Topics = append(req.Topics, rt)
	resp, err := req.RequestWith(context.Background(), admin)
	require.NoError(t, err)
	require.Len(t, resp.Topics, 1)
	require.NoError(t, kerr.ErrorForCode(resp.Topics[0].ErrorCode))

	for p := int32(testPartitions); p < 2*testPartitions; p++ {
		claim := a.acquire(t, p)
		assert.Empty(t, claim.Sessions, "partition %d is new", p)
		a.write(t, p, 1, session(fmt.Sprintf("s%d", p), "v"))
	}
}
