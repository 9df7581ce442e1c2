// Copyright The otelcol-rum Authors
// SPDX-License-Identifier: Apache-2.0

//go:build faults

package fault

import (
	"context"
	"fmt"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
	"github.com/twmb/franz-go/pkg/kerr"
	"github.com/twmb/franz-go/pkg/kgo"
	"github.com/twmb/franz-go/pkg/kmsg"
)

// checkpointTopic is the session tier's hand-over topic (deploy/config/session.yaml,
// kafka_handover::topic). The shipped configuration does not create it: an operator does
// (deploy/kubernetes/kafka-topics-job.yaml), compacted, with the data topics' partition
// count. startBroker makes it the same way.
const checkpointTopic = "rum_session_checkpoints"

// adminWait bounds one administrative request to the test broker.
const adminWait = 10 * time.Second

// adminClient is a Kafka client of the test for requests the collectors do not make.
func adminClient(t *testing.T, brokerAddr string, opts ...kgo.Opt) *kgo.Client {
	t.Helper()
	cl, err := kgo.NewClient(append([]kgo.Opt{kgo.SeedBrokers(brokerAddr)}, opts...)...)
	require.NoError(t, err)
	t.Cleanup(cl.Close)
	return cl
}

// createCompactedTopic creates topic with cleanup.policy=compact, as the topic Job does
// for the checkpoint topic.
func createCompactedTopic(t *testing.T, brokerAddr, topic string, partitions int32) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), adminWait)
	defer cancel()
	req := kmsg.NewPtrCreateTopicsRequest()
	rt := kmsg.NewCreateTopicsRequestTopic()
	rt.Topic, rt.NumPartitions, rt.ReplicationFactor = topic, partitions, 1
	cfg := kmsg.NewCreateTopicsRequestTopicConfig()
	cfg.Name, cfg.Value = "cleanup.policy", kmsg.StringPtr("compact")
	rt.Configs = append(rt.Configs, cfg)
	req.Topics = append(req.Topics, rt)
	resp, err := req.RequestWith(ctx, adminClient(t, brokerAddr))
	require.NoError(t, err, "create %s", topic)
	for _, r := range resp.Topics {
		require.NoError(t, kerr.ErrorForCode(r.ErrorCode), "create %s", r.Topic)
	}
}

// setTopicConfig sets one configuration of topic, as kafka-configs.sh --alter does.
func setTopicConfig(t *testing.T, brokerAddr, topic, name, value string) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), adminWait)
	defer cancel()
	req := kmsg.NewPtrIncrementalAlterConfigsRequest()
	res := kmsg.NewIncrementalAlterConfigsRequestResource()
	res.ResourceType, res.ResourceName = kmsg.ConfigResourceTypeTopic, topic
	c := kmsg.NewIncrementalAlterConfigsRequestResourceConfig()
	c.Name, c.Op, c.Value = name, kmsg.IncrementalAlterConfigOpSet, kmsg.StringPtr(value)
	res.Configs = append(res.Configs, c)
	req.Resources = append(req.Resources, res)
	resp, err := req.RequestWith(ctx, adminClient(t, brokerAddr))
	require.NoError(t, err, "alter %s of %s", name, topic)
	for _, r := range resp.Resources {
		require.NoError(t, kerr.ErrorForCode(r.ErrorCode), "alter %s of %s", name, topic)
	}
}

// growTopics raises the partition count of every topic to count with one CreatePartitions
// request, as kafka-topics.sh --alter --partitions does.
func growTopics(t *testing.T, brokerAddr string, count int32, topics ...string) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), adminWait)
	defer cancel()
	req := kmsg.NewPtrCreatePartitionsRequest()
	req.TimeoutMillis = int32(adminWait.Milliseconds())
	for _, topic := range topics {
		rt := kmsg.NewCreatePartitionsRequestTopic()
		rt.Topic, rt.Count = topic, count
		req.Topics = append(req.Topics, rt)
	}
	resp, err := req.RequestWith(ctx, adminClient(t, brokerAddr))
	require.NoError(t, err, "grow %v to %d partitions", topics, count)
	require.Len(t, resp.Topics, len(topics))
	for _, r := range resp.Topics {
		require.NoError(t, kerr.ErrorForCode(r.ErrorCode), "grow %s to %d partitions", r.Topic, count)
	}
	for _, topic := range topics {
		require.Equal(t, count, partitionCount(t, brokerAddr, topic), "partitions of %s after the change", topic)
	}
}

// partitionCount asks the broker how many partitions topic has.
func partitionCount(t *testing.T, brokerAddr, topic string) int32 {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), adminWait)
	defer cancel()
	req := kmsg.NewPtrMetadataRequest()
	rt := kmsg.NewMetadataRequestTopic()
	rt.Topic = kmsg.StringPtr(topic)
	req.Topics = append(req.Topics, rt)
	resp, err := req.RequestWith(ctx, adminClient(t, brokerAddr))
	require.NoError(t, err)
	require.Len(t, resp.Topics, 1)
	require.NoError(t, kerr.ErrorForCode(resp.Topics[0].ErrorCode), "metadata of %s", topic)
	return int32(len(resp.Topics[0].Partitions))
}

// partitionOffsets maps "topic/partition" to an offset.
type partitionOffsets map[string]int64

func partitionName(topic string, p int32) string { return fmt.Sprintf("%s/%d", topic, p) }

// endOffsets are the high-water marks of every partition of topics.
func endOffsets(t *testing.T, brokerAddr string, topics ...string) partitionOffsets {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), adminWait)
	defer cancel()
	req := kmsg.NewPtrListOffsetsRequest()
	req.ReplicaID = -1
	for _, topic := range topics {
		rt := kmsg.NewListOffsetsRequestTopic()
		rt.Topic = topic
		for p := range partitionCount(t, brokerAddr, topic) {
			rp := kmsg.NewListOffsetsRequestTopicPartition()
			rp.Partition, rp.Timestamp, rp.CurrentLeaderEpoch = p, -1, -1
			rt.Partitions = append(rt.Partitions, rp)
		}
		req.Topics = append(req.Topics, rt)
	}
	resp, err := req.RequestWith(ctx, adminClient(t, brokerAddr))
	require.NoError(t, err)
	out := partitionOffsets{}
	for _, rt := range resp.Topics {
		for _, rp := range rt.Partitions {
			require.NoError(t, kerr.ErrorForCode(rp.ErrorCode), "end offset of %s/%d", rt.Topic, rp.Partition)
			out[partitionName(rt.Topic, rp.Partition)] = rp.Offset
		}
	}
	return out
}

// committedOffsets are the offsets the session tier's consumer group committed (absent:
// none committed).
func committedOffsets(t *testing.T, brokerAddr string) partitionOffsets {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), adminWait)
	defer cancel()
	req := kmsg.NewPtrOffsetFetchRequest()
	req.Group = sessionGroup
	req.Topics = nil // every topic of the group
	resp, err := req.RequestWith(ctx, adminClient(t, brokerAddr))
	require.NoError(t, err)
	require.NoError(t, kerr.ErrorForCode(resp.ErrorCode), "offsets of group %s", sessionGroup)
	out := partitionOffsets{}
	for _, rt := range resp.Topics {
		for _, rp := range rt.Partitions {
			if rp.Offset >= 0 {
				out[partitionName(rt.Topic, rp.Partition)] = rp.Offset
			}
		}
	}
	return out
}

// waitCommittedToEnd waits until the group has committed the end of every partition of
// the data topics, and returns what is still missing if it does not within limit.
func waitCommittedToEnd(t *testing.T, brokerAddr string, limit time.Duration) string {
	t.Helper()
	deadline := time.Now().Add(limit)
	for {
		end, committed := endOffsets(t, brokerAddr, intakeTopics...), committedOffsets(t, brokerAddr)
		var behind []string
		for tp, e := range end {
			if c, ok := committed[tp]; e > 0 && (!ok || c < e) {
				behind = append(behind, fmt.Sprintf("%s committed %d of %d", tp, committed[tp], e))
			}
		}
		if len(behind) == 0 {
			return ""
		}
		if time.Now().After(deadline) {
			return fmt.Sprint(behind)
		}
		time.Sleep(500 * time.Millisecond)
	}
}
