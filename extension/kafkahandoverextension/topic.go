// Copyright The otelcol-rum Authors
// SPDX-License-Identifier: Apache-2.0

package kafkahandoverextension // import "github.com/otelcol-rum/otelcol-rum/extension/kafkahandoverextension"

import (
	"context"
	"errors"
	"fmt"
	"strings"

	"github.com/twmb/franz-go/pkg/kerr"
	"github.com/twmb/franz-go/pkg/kgo"
	"github.com/twmb/franz-go/pkg/kmsg"
	"go.uber.org/zap"
)

const cleanupPolicy = "cleanup.policy"

// errTopicMissing: the checkpoint topic does not exist and create_topic is off.
var errTopicMissing = errors.New("checkpoint topic does not exist (create it, compacted, or set create_topic.enabled)")

// checkpointTopic makes sure the checkpoint topic exists and is compacted, creating it if
// the configuration says so, and returns its partition count.
func checkpointTopic(ctx context.Context, cl *kgo.Client, cfg *Config, logger *zap.Logger) (int32, error) {
	n, err := topicPartitions(ctx, cl, cfg.Topic)
	if errors.Is(err, errTopicMissing) && cfg.CreateTopic.Enabled {
		if err = createTopic(ctx, cl, cfg); err != nil {
			return 0, err
		}
		logger.Info("Created the checkpoint topic", zap.String("topic", cfg.Topic),
			zap.Int32("partitions", cfg.CreateTopic.Partitions), zap.Int16("replication_factor", cfg.CreateTopic.ReplicationFactor))
		n, err = topicPartitions(ctx, cl, cfg.Topic)
	}
	if err != nil {
		return 0, err
	}
	if err := checkCompacted(ctx, cl, cfg.Topic); err != nil {
		return 0, err
	}
	return n, nil
}

func topicPartitions(ctx context.Context, cl *kgo.Client, topic string) (int32, error) {
	req := kmsg.NewPtrMetadataRequest()
	t := kmsg.NewMetadataRequestTopic()
	t.Topic = kmsg.StringPtr(topic)
	req.Topics = append(req.Topics, t)
	resp, err := req.RequestWith(ctx, cl)
	if err != nil {
		return 0, fmt.Errorf("metadata of topic %q: %w", topic, err)
	}
	if len(resp.Topics) != 1 {
		return 0, fmt.Errorf("metadata of topic %q: %d topics in the answer", topic, len(resp.Topics))
	}
	rt := resp.Topics[0]
	if err := kerr.ErrorForCode(rt.ErrorCode); err != nil {
		if errors.Is(err, kerr.UnknownTopicOrPartition) {
			return 0, fmt.Errorf("topic %q: %w", topic, errTopicMissing)
		}
		return 0, fmt.Errorf("metadata of topic %q: %w", topic, err)
	}
	if len(rt.Partitions) == 0 {
		return 0, fmt.Errorf("topic %q has no partitions", topic)
	}
	return int32(len(rt.Partitions)), nil //nolint:gosec // Kafka counts partitions in int32
}

func createTopic(ctx context.Context, cl *kgo.Client, cfg *Config) error {
	req := kmsg.NewPtrCreateTopicsRequest()
	req.TimeoutMillis = int32(cfg.Timeout.Milliseconds()) //nolint:gosec // bounded by a configured timeout
	t := kmsg.NewCreateTopicsRequestTopic()
	t.Topic = cfg.Topic
	t.NumPartitions = cfg.CreateTopic.Partitions
	t.ReplicationFactor = cfg.CreateTopic.ReplicationFactor
	c := kmsg.NewCreateTopicsRequestTopicConfig()
	c.Name = cleanupPolicy
	c.Value = kmsg.StringPtr("compact")
	t.Configs = append(t.Configs, c)
	req.Topics = append(req.Topics, t)
	resp, err := req.RequestWith(ctx, cl)
	if err != nil {
		return fmt.Errorf("create topic %q: %w", cfg.Topic, err)
	}
	for _, rt := range resp.Topics {
		// Another collector of the tier may have created it first.
		if err := kerr.ErrorForCode(rt.ErrorCode); err != nil && !errors.Is(err, kerr.TopicAlreadyExists) {
			return fmt.Errorf("create topic %q: %w", cfg.Topic, err)
		}
	}
	return nil
}

// checkCompacted refuses a topic that deletes by age: checkpoints of a long quiet
// partition would disappear, and with them its sessions and its watermark.
func checkCompacted(ctx context.Context, cl *kgo.Client, topic string) error {
	req := kmsg.NewPtrDescribeConfigsRequest()
	r := kmsg.NewDescribeConfigsRequestResource()
	r.ResourceType = kmsg.ConfigResourceTypeTopic
	r.ResourceName = topic
	r.ConfigNames = []string{cleanupPolicy}
	req.Resources = append(req.Resources, r)
	resp, err := req.RequestWith(ctx, cl)
	if err != nil {
		return fmt.Errorf("configuration of topic %q: %w", topic, err)
	}
	for _, res := range resp.Resources {
		if err := kerr.ErrorForCode(res.ErrorCode); err != nil {
			return fmt.Errorf("configuration of topic %q: %w", topic, err)
		}
		for _, c := range res.Configs {
			if c.Name == cleanupPolicy && c.Value != nil && strings.Contains(*c.Value, "compact") {
				return nil
			}
		}
	}
	return fmt.Errorf("topic %q is not compacted: its %s must include compact", topic, cleanupPolicy)
}

// partitionOffsets returns the first offset of partition p and its high-water mark.
func partitionOffsets(ctx context.Context, cl *kgo.Client, topic string, p int32) (start, end int64, err error) {
	if start, err = listOffset(ctx, cl, topic, p, -2); err != nil {
		return 0, 0, err
	}
	if end, err = listOffset(ctx, cl, topic, p, -1); err != nil {
		return 0, 0, err
	}
	return start, end, nil
}

// listOffset asks for the offset at timestamp ts: -2 the log start, -1 the end.
func listOffset(ctx context.Context, cl *kgo.Client, topic string, p int32, ts int64) (int64, error) {
	req := kmsg.NewPtrListOffsetsRequest()
	req.ReplicaID = -1
	t := kmsg.NewListOffsetsRequestTopic()
	t.Topic = topic
	lp := kmsg.NewListOffsetsRequestTopicPartition()
	lp.Partition = p
	lp.Timestamp = ts
	lp.CurrentLeaderEpoch = -1
	t.Partitions = append(t.Partitions, lp)
	req.Topics = append(req.Topics, t)
	resp, err := req.RequestWith(ctx, cl)
	if err != nil {
		return 0, fmt.Errorf("offsets of %s/%d: %w", topic, p, err)
	}
	for _, rt := range resp.Topics {
		for _, rp := range rt.Partitions {
			if rp.Partition != p {
				continue
			}
			if err := kerr.ErrorForCode(rp.ErrorCode); err != nil {
				return 0, fmt.Errorf("offsets of %s/%d: %w", topic, p, err)
			}
			return rp.Offset, nil
		}
	}
	return 0, fmt.Errorf("offsets of %s/%d: partition missing from the answer", topic, p)
}
