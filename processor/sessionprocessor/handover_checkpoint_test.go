// Copyright The otelcol-rum Authors
// SPDX-License-Identifier: Apache-2.0

package sessionprocessor

import (
	"fmt"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"go.opentelemetry.io/otel/sdk/metric/metricdata"

	"github.com/otelcol-rum/otelcol-rum/processor/sessionprocessor/internal/store"
)

// savedFrame decodes the checkpoint of key in partition p: one frame, a session or
// what an ended one left for its late data.
func savedFrame(t *testing.T, topic *checkpointTopic, p int32, key string) store.Frame {
	t.Helper()
	value, ok := topic.saved(p)[key]
	require.True(t, ok, "no checkpoint of %s", key)
	var frames []store.Frame
	require.NoError(t, store.DecodeValue(value, store.KindSegment, func(f *store.Frame) {
		require.NoError(t, f.Err)
		frames = append(frames, *f)
	}))
	require.Len(t, frames, 1, "one session per checkpoint")
	return frames[0]
}

func savedSession(t *testing.T, topic *checkpointTopic, p int32, key string) store.Record {
	t.Helper()
	f := savedFrame(t, topic, p, key)
	require.Equal(t, key, f.Record.Key)
	return f.Record
}

func savedTombstone(t *testing.T, topic *checkpointTopic, p int32, key string) store.Tombstone {
	t.Helper()
	f := savedFrame(t, topic, p, key)
	require.Equal(t, key, f.Ended)
	return f.Tombstone
}

func savedOffsets(t *testing.T, topic *checkpointTopic, p int32) map[string]int64 {
	t.Helper()
	next, err := decodeOffsets(topic.saved(p)[offsetsKey])
	require.NoError(t, err)
	return next
}

// TestCheckpointWritesChangesEndsAndWatermarks: a checkpoint writes the partition's
// sessions that changed, deletes those that ended and moves the watermark; one without
// changes writes nothing; a failed one is written again, with what changed meanwhile,
// at the next.
func TestCheckpointWritesChangesEndsAndWatermarks(t *testing.T) {
	topic := newCheckpointTopic(time.Minute)
	clock := newFakeClock()
	a := startTier(t, topic, "a", clock)
	t0 := clock.Now()
	a.consumeLogs(5, 10, pageView("s1", "n1", "https://shop/a", t0))
	a.consumeLogs(5, 11, pageView("s2", "n1", "https://shop/b", t0))
	a.checkpoint()
	assert.Equal(t, map[string]int64{logsTopic: 12}, savedOffsets(t, topic, 5))
	assert.Equal(t, "s1", savedSession(t, topic, 5, "s1").ID)
	assert.Equal(t, uint32(1), savedSession(t, topic, 5, "s2").Views)
	a.checkpoint()
	written, _, _ := topic.counts(5)
	assert.Equal(t, 1, written, "nothing changed, nothing written")

	clock.Advance(10 * time.Minute)
	a.consumeLogs(5, 12, pageView("s2", "n2", "https://shop/c", t0.Add(10*time.Minute)))
	a.expireAfter(6 * time.Minute) // s1 idle 16 minutes
	require.Len(t, a.eventsOf("session.end", "s1"), 1)
	a.checkpoint()
	gone := savedTombstone(t, topic, 5, "s1")
	assert.Equal(t, store.EndTimeout, gone.Reason, "what late data needs stays")
	assert.Equal(t, uint32(2), savedSession(t, topic, 5, "s2").Views)
	assert.Equal(t, map[string]int64{logsTopic: 13}, savedOffsets(t, topic, 5))

	a.expireAfter(15 * time.Minute) // s1's tombstone runs out, s2 ends
	a.checkpoint()
	assert.NotContains(t, topic.saved(5), "s1", "a tombstone that ran out is deleted")
	assert.Equal(t, store.EndTimeout, savedTombstone(t, topic, 5, "s2").Reason)
	assert.Equal(t, map[string]int64{logsTopic: 13}, savedOffsets(t, topic, 5))

	a.consumeLogs(5, 13, pageView("s3", "n1", "https://shop/d", t0.Add(31*time.Minute)))
	a.client.setUnreachable(true)
	a.checkpoint()
	assert.Equal(t, map[string]int64{logsTopic: 13}, savedOffsets(t, topic, 5))
	assert.NotContains(t, topic.saved(5), "s3")
	a.client.setUnreachable(false)
	a.checkpoint()
	assert.Equal(t, uint32(1), savedSession(t, topic, 5, "s3").Views, "the failed write's change is written again")
	assert.Equal(t, map[string]int64{logsTopic: 14}, savedOffsets(t, topic, 5))
	writes := map[string]int64{}
	m, err := a.tel.GetMetric("otelcol_processor_session_handover_writes")
	require.NoError(t, err)
	for _, dp := range m.Data.(metricdata.Sum[int64]).DataPoints {
		v, _ := dp.Attributes.Value("outcome")
		writes[v.AsString()] += dp.Value
	}
	assert.Equal(t, map[string]int64{"success": 4, "failure": 1}, writes)
}

// TestPartitionAcquiredOnce: the first records of a partition, arriving together in
// several pipelines, acquire it once; every one of them is processed after.
func TestPartitionAcquiredOnce(t *testing.T) {
	topic := newCheckpointTopic(time.Minute)
	clock := newFakeClock()
	a := startTier(t, topic, "a", clock)
	var wg sync.WaitGroup
	for i := range 8 {
		wg.Go(func() {
			if i%2 == 0 {
				a.consumeTraces(7, int64(i), sessionSpan(fmt.Sprint("s", i)))
				return
			}
			a.consumeLogs(7, int64(i), pageView(fmt.Sprint("s", i), "n1", "https://shop/a", clock.Now()))
		})
	}
	wg.Wait()
	_, acquires, _ := topic.counts(7)
	assert.Equal(t, 1, acquires)
	assert.Len(t, a.events("session.start"), 8)
	a.checkpoint()
	assert.Len(t, topic.saved(7), 8+1, "eight sessions and the watermarks")
	assert.Equal(t, map[string]int64{logsTopic: 8, tracesTopic: 7}, savedOffsets(t, topic, 7))
}

// TestRequestDuringAcquisition: a request for a partition that is still being acquired
// is served once the acquisition is done, rather than dropped (the asking collector
// would wait out the store's wait, and then both would own the partition).
func TestRequestDuringAcquisition(t *testing.T) {
	topic := newCheckpointTopic(time.Minute)
	topic.gate = make(chan struct{})
	clock := newFakeClock()
	a := startTier(t, topic, "a", clock)
	done := make(chan struct{})
	go func() {
		defer close(done)
		a.consumeLogs(4, 0, pageView("s1", "n1", "https://shop/a", clock.Now()))
	}()
	require.Eventually(t, func() bool {
		acquiring := false
		a.proc.withStore(func(*store.Store) { acquiring = a.proc.handover.parts[4] != nil })
		return acquiring
	}, 10*time.Second, time.Millisecond)
	a.client.requests <- 4 // another collector asks while A still waits for the store
	time.Sleep(50 * time.Millisecond)
	close(topic.gate)
	<-done
	require.Eventually(t, func() bool { _, _, releases := topic.counts(4); return releases == 1 }, 10*time.Second, 10*time.Millisecond,
		"the request is served")
	// The record was processed before the release (its session went with the partition)
	// or after it (it acquired the partition again): either way once.
	a.stop()
	assert.Len(t, a.events("session.start"), 1)
	assert.Empty(t, a.events("session.end"))
	assert.Contains(t, topic.saved(4), "s1")
}

// TestFailingStoreKeepsPendingEndsBounded: while Writes fail, the ended sessions waiting
// to be written stay within max_sessions: the latest are written once the store works
// again, the older ones stay in the checkpoints as they were last written.
func TestFailingStoreKeepsPendingEndsBounded(t *testing.T) {
	topic := newCheckpointTopic(time.Minute)
	clock := newFakeClock()
	a := startTier(t, topic, "a", clock)
	for i := range 10 {
		a.consumeLogs(0, int64(i), pageView(fmt.Sprint("s", i), "n1", "https://shop/a", clock.Now()))
		clock.Advance(time.Second)
	}
	a.checkpoint()
	a.proc.cfg.MaxSessions = 3 // after the sessions opened: the bound of what is pending
	a.client.setUnreachable(true)
	a.expireAfter(16 * time.Minute)
	require.Len(t, a.events("session.end"), 10)
	for range 3 {
		a.checkpoint()
		var pending int
		a.proc.withStore(func(st *store.Store) { pending = st.PendingEnded() })
		require.Equal(t, 3, pending)
	}
	a.client.setUnreachable(false)
	a.checkpoint()
	for i := range 10 {
		key := fmt.Sprint("s", i)
		if i < 7 {
			assert.Equal(t, key, savedSession(t, topic, 0, key).ID, "dropped: stays as last written")
			continue
		}
		assert.Equal(t, store.EndTimeout, savedTombstone(t, topic, 0, key).Reason, "the latest ends are written")
	}
}
