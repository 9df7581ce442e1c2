// Copyright The otelcol-rum Authors
// SPDX-License-Identifier: Apache-2.0

package kafkahandoverextension

import (
	"context"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
	"github.com/twmb/franz-go/pkg/kfake"
	"github.com/twmb/franz-go/pkg/kgo"
	"go.opentelemetry.io/collector/component/componenttest"
	"go.opentelemetry.io/otel/attribute"
	"go.opentelemetry.io/otel/sdk/metric/metricdata"

	"github.com/otelcol-rum/otelcol-rum/extension/kafkahandoverextension/internal/metadatatest"
	"github.com/otelcol-rum/otelcol-rum/internal/handover"
)

// testPartitions is the checkpoint topic's partition count in the tests.
const testPartitions = 4

// testDeadline bounds every wait of a test: generous, so a loaded machine does not fail
// it, and finite, so a bug does not hang it.
const testDeadline = 30 * time.Second

// newTestCluster starts an in-process kfake broker on 127.0.0.1 with a free port.
func newTestCluster(t testing.TB, opts ...kfake.Opt) *kfake.Cluster {
	t.Helper()
	c, err := kfake.NewCluster(append([]kfake.Opt{kfake.Ports(0), kfake.NumBrokers(1)}, opts...)...)
	require.NoError(t, err)
	t.Cleanup(c.Close)
	return c
}

// instance is one collector's extension, started against the cluster.
type instance struct {
	ext *handoverExtension
	st  handover.Store
	tel *componenttest.Telemetry
}

// testConfig is the default configuration pointed at the cluster, creating the topic.
func testConfig(c *kfake.Cluster) *Config {
	cfg := createDefaultConfig().(*Config)
	cfg.Brokers = c.ListenAddrs()
	cfg.CreateTopic = CreateTopicConfig{Enabled: true, Partitions: testPartitions, ReplicationFactor: 1}
	cfg.Timeout = 5 * time.Second
	return cfg
}

func startInstance(t testing.TB, cfg *Config) *instance {
	t.Helper()
	tel := componenttest.NewTelemetry()
	t.Cleanup(func() { require.NoError(t, tel.Shutdown(context.Background())) })
	ext, err := NewFactory().Create(context.Background(), metadatatest.NewSettings(tel), cfg)
	require.NoError(t, err)
	require.NoError(t, ext.Start(context.Background(), componenttest.NewNopHost()))
	t.Cleanup(func() { require.NoError(t, ext.Shutdown(context.Background())) })
	he := ext.(*handoverExtension)
	return &instance{ext: he, st: he.HandoverStore(), tel: tel}
}

func (in *instance) owner() string { return in.ext.store.owner }

func (in *instance) acquire(t *testing.T, p int32) handover.Claim {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), testDeadline)
	defer cancel()
	claim, err := in.st.Acquire(ctx, p)
	require.NoError(t, err)
	return claim
}

func (in *instance) write(t *testing.T, p int32, watermark int64, sessions ...handover.Checkpoint) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), testDeadline)
	defer cancel()
	require.NoError(t, in.st.Write(ctx, p, sessions, watermark))
}

func (in *instance) release(t *testing.T, p int32, watermark int64) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), testDeadline)
	defer cancel()
	require.NoError(t, in.st.Release(ctx, p, watermark))
}

// counter returns the sum of the points of a counter whose attributes include attrs, 0
// when it has none.
func (in *instance) counter(t *testing.T, name string, attrs ...attribute.KeyValue) int64 {
	t.Helper()
	m, err := in.tel.GetMetric(name)
	if err != nil {
		return 0
	}
	sum, ok := m.Data.(metricdata.Sum[int64])
	require.True(t, ok, "%s is an int64 sum", name)
	var total int64
	for _, dp := range sum.DataPoints {
		match := true
		for _, a := range attrs {
			if v, ok := dp.Attributes.Value(a.Key); !ok || v != a.Value {
				match = false
			}
		}
		if match {
			total += dp.Value
		}
	}
	return total
}

func session(key, value string) handover.Checkpoint {
	return handover.Checkpoint{Key: key, Value: []byte(value)}
}

func ended(key string) handover.Checkpoint { return handover.Checkpoint{Key: key} }

// produceRaw writes records to the checkpoint topic as another program could, for the
// tests of what the store must put up with.
func produceRaw(t *testing.T, c *kfake.Cluster, topic string, records ...*kgo.Record) {
	t.Helper()
	cl, err := kgo.NewClient(kgo.SeedBrokers(c.ListenAddrs()...), kgo.DefaultProduceTopic(topic),
		kgo.RecordPartitioner(kgo.ManualPartitioner()))
	require.NoError(t, err)
	defer cl.Close()
	ctx, cancel := context.WithTimeout(context.Background(), testDeadline)
	defer cancel()
	require.NoError(t, cl.ProduceSync(ctx, records...).FirstErr())
}

// countRecords reads partition p of the topic to its end and returns how many records it
// holds.
func countRecords(t *testing.T, c *kfake.Cluster, topic string, p int32) int {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), testDeadline)
	defer cancel()
	admin, err := kgo.NewClient(kgo.SeedBrokers(c.ListenAddrs()...))
	require.NoError(t, err)
	defer admin.Close()
	start, end, err := partitionOffsets(ctx, admin, topic, p)
	require.NoError(t, err)
	r, err := newPartitionReader([]kgo.Opt{kgo.SeedBrokers(c.ListenAddrs()...)}, topic, p, start)
	require.NoError(t, err)
	defer r.close()
	n := 0
	require.NoError(t, r.read(ctx, end, func(*kgo.Record) bool { n++; return false }))
	return n
}
