// Copyright The otelcol-rum Authors
// SPDX-License-Identifier: Apache-2.0

package sessionprocessor

import (
	"context"
	"runtime"
	"strconv"
	"testing"
	"time"

	"github.com/otelcol-rum/otelcol-rum/internal/handover"
)

// discardStore is a hand-over store that keeps nothing: what the benchmark measures is
// the processor's own memory.
type discardStore struct{}

func (discardStore) Acquire(context.Context, int32) (handover.Claim, error) {
	return handover.Claim{Watermark: -1}, nil
}

func (discardStore) Write(context.Context, int32, []handover.Checkpoint, int64) error { return nil }
func (discardStore) Release(context.Context, int32, int64) error                      { return nil }
func (discardStore) Requests() <-chan int32                                           { return nil }

// benchPartitions is the partition count of the data topics in the benchmark.
const benchPartitions = 12

// openSessionsFromKafka opens sessions [0, n) as openSessions does, each batch of 64
// arriving as one Kafka record of one of benchPartitions partitions.
func openSessionsFromKafka(tb testing.TB, c *sessionProcessor, n int) time.Duration {
	return openSessionsFrom(tb, c, n, func(batch int) context.Context {
		return fromKafka(logsTopic, int32(batch%benchPartitions), int64(batch/benchPartitions))
	})
}

// BenchmarkSessionMemoryHandover is BenchmarkSessionMemory for sessions that come from
// Kafka partitions through a processor with handover: the live heap per session once a
// checkpoint has taken the changes (B/session), and before it, with every session's
// change pending (B/session-pending), and the time the processor spends opening them.
func BenchmarkSessionMemoryHandover(b *testing.B) {
	for _, n := range []int{benchActiveSessions, 1_000_000} {
		b.Run("sessions="+strconv.Itoa(n), func(b *testing.B) {
			var steady, pending, nanos float64
			for range b.N {
				before := liveHeap()
				c := benchProcessor(b, n)
				c.cfg.Handover = &handoverID
				if err := c.openHandover(handoverHost(discardStore{})); err != nil {
					b.Fatal(err)
				}
				spent := openSessionsFromKafka(b, c, n)
				nanos += float64(spent.Nanoseconds()) / float64(n)
				pending += float64(liveHeap()-before) / float64(n)
				c.handover.checkpoint(context.Background(), c)
				steady += float64(liveHeap()-before) / float64(n)
				runtime.KeepAlive(c)
			}
			b.ReportMetric(steady/float64(b.N), "B/session")
			b.ReportMetric(pending/float64(b.N), "B/session-pending")
			b.ReportMetric(nanos/float64(b.N), "ns/session-open")
			b.ReportMetric(0, "ns/op")
		})
	}
}
