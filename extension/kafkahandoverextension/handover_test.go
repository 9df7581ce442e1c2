// Copyright The otelcol-rum Authors
// SPDX-License-Identifier: Apache-2.0

package kafkahandoverextension

import (
	"context"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"go.opentelemetry.io/otel/attribute"

	"github.com/otelcol-rum/otelcol-rum/internal/handover"
)

func TestNewPartition(t *testing.T) {
	c := newTestCluster(t)
	a := startInstance(t, testConfig(c))

	claim := a.acquire(t, 2)
	assert.Empty(t, claim.Sessions)
	assert.Equal(t, int64(-1), claim.Watermark)
	assert.False(t, claim.Released)
	assert.Empty(t, claim.PreviousOwner)
	assert.Equal(t, int64(1), a.counter(t, "otelcol_extension_kafka_handover_acquisitions", attribute.String("outcome", "new")))
	assert.Equal(t, int64(1), a.counter(t, "otelcol_extension_kafka_handover_markers_written", attribute.String("kind", "claim")))

	// The claim is on the topic: acquiring again finds this collector's own claim.
	again := a.acquire(t, 2)
	assert.True(t, again.Released)
	assert.Equal(t, a.owner(), again.PreviousOwner)
	assert.Equal(t, int64(1), a.counter(t, "otelcol_extension_kafka_handover_acquisitions", attribute.String("outcome", "own")))
}

// TestHandoverWithRelease: B gets exactly A's latest checkpoints of the partition, without
// the ended sessions and without the other partitions' sessions, and A's last watermark.
func TestHandoverWithRelease(t *testing.T) {
	c := newTestCluster(t)
	a := startInstance(t, testConfig(c))
	b := startInstance(t, testConfig(c))

	a.acquire(t, 1)
	a.acquire(t, 3)
	a.write(t, 1, 10, session("s1", "v1"), session("s2", "v2"), session("s3", "v3"))
	a.write(t, 3, 4, session("other", "x"))
	a.write(t, 1, 20, session("s1", "v1b"), ended("s2"), session("s4", "v4"))
	a.write(t, 1, 30, ended("s4"))
	a.release(t, 1, 31)

	claim := b.acquire(t, 1)
	assert.Equal(t, []handover.Checkpoint{session("s1", "v1b"), session("s3", "v3")}, claim.Sessions)
	assert.Equal(t, int64(31), claim.Watermark)
	assert.True(t, claim.Released)
	assert.Equal(t, a.owner(), claim.PreviousOwner)
	assert.Equal(t, int64(1), b.counter(t, "otelcol_extension_kafka_handover_acquisitions", attribute.String("outcome", "released")))
	assert.Equal(t, int64(2), b.counter(t, "otelcol_extension_kafka_handover_sessions_restored"))

	assert.Equal(t, int64(6), a.counter(t, "otelcol_extension_kafka_handover_checkpoints_written", attribute.String("kind", "session")))
	assert.Equal(t, int64(2), a.counter(t, "otelcol_extension_kafka_handover_checkpoints_written", attribute.String("kind", "ended")))
	assert.Equal(t, int64(len("s1v1s2v2s3v3otherxs1v1bs2s4v4s4")), a.counter(t, "otelcol_extension_kafka_handover_checkpoint_bytes_written"))

	// A let go of partition 1: writing it again is refused; partition 3 is still A's.
	err := a.st.Write(context.Background(), 1, nil, 40)
	assert.ErrorContains(t, err, "partition 1 is not acquired")
	a.write(t, 3, 5)
}

// TestHandoverSurvivesCompaction: what B finds does not depend on whether the broker
// compacted the topic in between.
func TestHandoverSurvivesCompaction(t *testing.T) {
	c := newTestCluster(t)
	a := startInstance(t, testConfig(c))
	b := startInstance(t, testConfig(c))

	a.acquire(t, 0)
	for i := range 5 {
		a.write(t, 0, int64(10*i), session("s1", string(rune('a'+i))), session("gone", "x"), ended("gone"))
	}
	a.release(t, 0, 77)
	before := countRecords(t, c, defaultTopic, 0)
	c.Compact()
	require.Less(t, countRecords(t, c, defaultTopic, 0), before, "the broker compacted the partition")

	claim := b.acquire(t, 0)
	assert.Equal(t, []handover.Checkpoint{session("s1", "e")}, claim.Sessions)
	assert.Equal(t, int64(77), claim.Watermark)
	assert.True(t, claim.Released)
}

// TestHandoverByRequest: B asks A, which still owns the partition; A sees the request,
// writes its last checkpoints and releases; B gets them well before handover_wait.
func TestHandoverByRequest(t *testing.T) {
	c := newTestCluster(t)
	a := startInstance(t, testConfig(c))
	cfgB := testConfig(c)
	cfgB.HandoverWait = 2 * testDeadline // only a release ends B's wait within the test
	b := startInstance(t, cfgB)

	a.acquire(t, 2)
	a.write(t, 2, 5, session("s1", "early"), session("s2", "x"))

	type result struct {
		claim handover.Claim
		err   error
		took  time.Duration
	}
	done := make(chan result, 1)
	go func() {
		ctx, cancel := context.WithTimeout(context.Background(), testDeadline)
		defer cancel()
		began := time.Now()
		claim, err := b.st.Acquire(ctx, 2)
		done <- result{claim, err, time.Since(began)}
	}()

	select {
	case p := <-a.st.Requests():
		assert.Equal(t, int32(2), p)
	case <-time.After(testDeadline):
		t.Fatal("A saw no request for partition 2")
	}
	// What A writes after the request is what B must get.
	a.write(t, 2, 9, session("s1", "final"), ended("s2"), session("s3", "new"))
	a.release(t, 2, 9)

	var r result
	select {
	case r = <-done:
	case <-time.After(testDeadline):
		t.Fatal("B's Acquire did not return")
	}
	require.NoError(t, r.err)
	assert.Less(t, r.took, cfgB.HandoverWait, "the release ended the wait")
	assert.Equal(t, []handover.Checkpoint{session("s1", "final"), session("s3", "new")}, r.claim.Sessions)
	assert.Equal(t, int64(9), r.claim.Watermark)
	assert.True(t, r.claim.Released)
	assert.Equal(t, a.owner(), r.claim.PreviousOwner)
	assert.Equal(t, int64(1), a.counter(t, "otelcol_extension_kafka_handover_requests_received"))
	assert.Equal(t, int64(1), b.counter(t, "otelcol_extension_kafka_handover_markers_written", attribute.String("kind", "request")))
	assert.Equal(t, int64(1), b.counter(t, "otelcol_extension_kafka_handover_acquisitions", attribute.String("outcome", "released")))

	// Now B owns it; A's requests channel stays quiet.
	select {
	case p := <-a.st.Requests():
		t.Fatalf("unexpected request for partition %d", p)
	default:
	}
}

// TestCrash: A never answers (it stopped without releasing, as after SIGKILL); B waits
// handover_wait and continues from A's last checkpoints.
func TestCrash(t *testing.T) {
	c := newTestCluster(t)
	a := startInstance(t, testConfig(c))
	cfgB := testConfig(c)
	cfgB.HandoverWait = time.Second
	b := startInstance(t, cfgB)

	a.acquire(t, 3)
	a.write(t, 3, 7, session("s1", "last"), session("s2", "x"))
	a.write(t, 3, 8, ended("s2"))
	a.ext.store.shutdown() // no release

	began := time.Now()
	claim := b.acquire(t, 3)
	assert.GreaterOrEqual(t, time.Since(began), cfgB.HandoverWait)
	assert.Equal(t, []handover.Checkpoint{session("s1", "last")}, claim.Sessions)
	assert.Equal(t, int64(8), claim.Watermark)
	assert.False(t, claim.Released)
	assert.Equal(t, a.owner(), claim.PreviousOwner)
	assert.Equal(t, int64(1), b.counter(t, "otelcol_extension_kafka_handover_acquisitions", attribute.String("outcome", "timeout")))
	waits, err := b.tel.GetMetric("otelcol_extension_kafka_handover_wait_duration")
	require.NoError(t, err)
	assert.NotNil(t, waits.Data)

	// B's claim carries A's watermark on: the next owner after B starts from it too.
	b.release(t, 3, claim.Watermark)
	next := startInstance(t, testConfig(c))
	assert.Equal(t, int64(8), next.acquire(t, 3).Watermark)
}

// TestTakenOverCollectorLetsGo: a collector that was taken for crashed (it did not answer
// in time) learns that it lost the partition: Requests names it, its writes are refused,
// and its release writes nothing that could pass for the new owner's.
func TestTakenOverCollectorLetsGo(t *testing.T) {
	c := newTestCluster(t)
	a := startInstance(t, testConfig(c))
	cfgB := testConfig(c)
	cfgB.HandoverWait = 500 * time.Millisecond
	b := startInstance(t, cfgB)

	a.acquire(t, 0)
	a.write(t, 0, 3, session("s1", "a"))
	b.acquire(t, 0) // A ignores the request: B times out and takes over

	// A hears of it twice (the request, then B's claim) but is told once.
	select {
	case p := <-a.st.Requests():
		assert.Equal(t, int32(0), p)
	case <-time.After(testDeadline):
		t.Fatal("A was not told")
	}
	require.Eventually(t, func() bool {
		return a.counter(t, "otelcol_extension_kafka_handover_partitions_lost") == 1
	}, testDeadline, 10*time.Millisecond)
	err := a.st.Write(context.Background(), 0, []handover.Checkpoint{session("s1", "stale")}, 4)
	assert.ErrorContains(t, err, "taken over by "+b.owner())
	a.release(t, 0, 4)

	b.write(t, 0, 5, session("s1", "b"))
	b.release(t, 0, 5)
	claim := startInstance(t, testConfig(c)).acquire(t, 0)
	assert.Equal(t, []handover.Checkpoint{session("s1", "b")}, claim.Sessions)
	assert.Equal(t, b.owner(), claim.PreviousOwner)
}

// TestRequestNamesOnlyTheAskedPartition: of the partitions A owns, Requests delivers the
// one B asks for, and once, though A hears of it twice (B's request, then B's claim when
// its wait runs out).
func TestRequestNamesOnlyTheAskedPartition(t *testing.T) {
	c := newTestCluster(t)
	a := startInstance(t, testConfig(c))
	cfgB := testConfig(c)
	cfgB.HandoverWait = 300 * time.Millisecond
	b := startInstance(t, cfgB)
	a.acquire(t, 0)
	a.acquire(t, 1)
	a.acquire(t, 2)

	a.write(t, 1, 3)
	b.acquire(t, 1)
	select {
	case p := <-a.st.Requests():
		assert.Equal(t, int32(1), p)
	case <-time.After(testDeadline):
		t.Fatal("A was not told")
	}
	select {
	case p := <-a.st.Requests():
		t.Fatalf("told again, of partition %d", p)
	case <-time.After(500 * time.Millisecond):
	}
	a.write(t, 0, 1)
	a.write(t, 2, 1)
}
