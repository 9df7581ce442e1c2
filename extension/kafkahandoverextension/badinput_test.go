// Copyright The otelcol-rum Authors
// SPDX-License-Identifier: Apache-2.0

package kafkahandoverextension

import (
	"context"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"github.com/twmb/franz-go/pkg/kgo"
	"go.opentelemetry.io/otel/attribute"

	"github.com/otelcol-rum/otelcol-rum/extension/kafkahandoverextension/internal/marker"
	"github.com/otelcol-rum/otelcol-rum/internal/handover"
)

// TestBadRecordsAreSkippedAndCounted: records no collector of this version wrote (no
// key, undecodable markers, unknown reserved keys) are left out of the claim and counted;
// they never fail Acquire.
func TestBadRecordsAreSkippedAndCounted(t *testing.T) {
	c := newTestCluster(t)
	cfg := testConfig(c)
	a := startInstance(t, cfg)
	a.acquire(t, 1)
	a.write(t, 1, 12, session("good", "g"))

	rec := func(key, value []byte) *kgo.Record { return &kgo.Record{Key: key, Value: value, Partition: 1} }
	produceRaw(t, c, cfg.Topic,
		rec(nil, []byte("no key")),
		rec([]byte(marker.OwnershipKey), []byte("not a marker")),
		rec([]byte(marker.OwnershipKey), nil),
		rec([]byte(marker.RequestKey), []byte{1, 9, 0, 1, 'x'}),
		rec([]byte(marker.ReservedPrefix+"rum.handover.future"), []byte("?")),
		rec([]byte("also-good"), []byte("a")),
	)
	a.release(t, 1, 12) // confirms also-good

	b := startInstance(t, cfg)
	claim := b.acquire(t, 1)
	assert.Equal(t, []handover.Checkpoint{session("also-good", "a"), session("good", "g")}, claim.Sessions)
	assert.Equal(t, int64(12), claim.Watermark, "the last decodable release decides")
	assert.True(t, claim.Released)
	skipped := "otelcol_extension_kafka_handover_records_skipped"
	assert.Equal(t, int64(1), b.counter(t, skipped, attribute.String("reason", "no_key")))
	assert.Equal(t, int64(3), b.counter(t, skipped, attribute.String("reason", "undecodable_marker")))
	assert.Equal(t, int64(1), b.counter(t, skipped, attribute.String("reason", "unknown_reserved_key")))
}

// TestCheckpointWithAReservedKeyIsRefused: a session key that would pass for a marker is
// not written (and counted); the others of the same Write are.
func TestCheckpointWithAReservedKeyIsRefused(t *testing.T) {
	c := newTestCluster(t)
	a := startInstance(t, testConfig(c))
	a.acquire(t, 0)
	a.write(t, 0, 2, session(marker.OwnershipKey, "forged"), session("s1", "v"))
	a.release(t, 0, 2)
	assert.Equal(t, int64(1), a.counter(t, "otelcol_extension_kafka_handover_records_skipped", attribute.String("reason", "reserved_key")))

	claim := startInstance(t, testConfig(c)).acquire(t, 0)
	assert.Equal(t, []handover.Checkpoint{session("s1", "v")}, claim.Sessions)
	assert.True(t, claim.Released, "the forged value did not replace the release")
}

func TestInvalidWatermarkIsAnError(t *testing.T) {
	c := newTestCluster(t)
	a := startInstance(t, testConfig(c))
	a.acquire(t, 0)
	require.Error(t, a.st.Write(context.Background(), 0, nil, -2))
}

// TestUnconfirmedCheckpointsAreUndone: A crashed between the checkpoints of a Write and
// its claim. Those checkpoints hold changes of records above A's last watermark, which B
// will count again: B takes the confirmed state instead, and undoes the others on the
// topic, so that its own claim does not confirm them for the owner after it.
func TestUnconfirmedCheckpointsAreUndone(t *testing.T) {
	c := newTestCluster(t)
	cfg := testConfig(c)
	a := startInstance(t, cfg)
	a.acquire(t, 2)
	a.write(t, 2, 5, session("s1", "v1"), session("s3", "v3"))
	// The checkpoints of A's next Write, whose claim (W=9) never came.
	rec := func(key, value string) *kgo.Record {
		r := &kgo.Record{Key: []byte(key), Partition: 2}
		if value != "" {
			r.Value = []byte(value)
		}
		return r
	}
	produceRaw(t, c, cfg.Topic, rec("s1", "v2"), rec("s2", "new"), rec("s3", ""))
	a.ext.store.shutdown()

	cfg.HandoverWait = 300 * time.Millisecond
	b := startInstance(t, cfg)
	claim := b.acquire(t, 2)
	assert.Equal(t, []handover.Checkpoint{session("s1", "v1"), session("s3", "v3")}, claim.Sessions)
	assert.Equal(t, int64(5), claim.Watermark)
	assert.False(t, claim.Released)
	assert.Equal(t, int64(3), b.counter(t, "otelcol_extension_kafka_handover_records_skipped", attribute.String("reason", "unconfirmed")))
	b.release(t, 2, 5)

	after := startInstance(t, cfg).acquire(t, 2)
	assert.Equal(t, claim.Sessions, after.Sessions, "B's claim did not confirm A's unconfirmed checkpoints")
	assert.True(t, after.Released)
}
