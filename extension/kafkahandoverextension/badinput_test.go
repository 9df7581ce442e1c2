// Copyright The otelcol-rum Authors
// SPDX-License-Identifier: Apache-2.0

package kafkahandoverextension

import (
	"context"
	"testing"

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
	a.release(t, 1, 12)

	rec := func(key, value []byte) *kgo.Record { return &kgo.Record{Key: key, Value: value, Partition: 1} }
	produceRaw(t, c, cfg.Topic,
		rec(nil, []byte("no key")),
		rec([]byte(marker.OwnershipKey), []byte("not a marker")),
		rec([]byte(marker.OwnershipKey), nil),
		rec([]byte(marker.RequestKey), []byte{1, 9, 0, 1, 'x'}),
		rec([]byte(marker.ReservedPrefix+"rum.handover.future"), []byte("?")),
		rec([]byte("also-good"), []byte("a")),
	)

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
