// Copyright The otelcol-rum Authors
// SPDX-License-Identifier: Apache-2.0

package kafkahandoverextension

import (
	"context"
	"fmt"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/otelcol-rum/otelcol-rum/internal/handover"
)

// benchSessionBytes is about what the session processor stores per session.
const benchSessionBytes = 512

func benchCheckpoints(n int) []handover.Checkpoint {
	value := make([]byte, benchSessionBytes)
	out := make([]handover.Checkpoint, n)
	for i := range out {
		out[i] = handover.Checkpoint{Key: fmt.Sprintf("session-%08d", i), Value: value}
	}
	return out
}

// BenchmarkWrite: one checkpoint interval of a partition with 100 changed sessions, to
// an in-process broker on loopback (the broker's work is in the figure).
func BenchmarkWrite(b *testing.B) {
	a := startInstance(b, testConfig(newTestCluster(b)))
	_, err := a.st.Acquire(context.Background(), 0)
	require.NoError(b, err)
	sessions := benchCheckpoints(100)
	b.SetBytes(int64(len(sessions) * (len(sessions[0].Key) + benchSessionBytes)))
	b.ReportAllocs()
	b.ResetTimer()
	for i := range b.N {
		if err := a.st.Write(context.Background(), 0, sessions, int64(i)); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkAcquire: reading a partition of 10,000 open sessions (one record each, as
// after compaction) and claiming it.
func BenchmarkAcquire(b *testing.B) {
	a := startInstance(b, testConfig(newTestCluster(b)))
	_, err := a.st.Acquire(context.Background(), 0)
	require.NoError(b, err)
	sessions := benchCheckpoints(10000)
	for i := 0; i < len(sessions); i += 1000 {
		require.NoError(b, a.st.Write(context.Background(), 0, sessions[i:i+1000], int64(i)))
	}
	b.ReportAllocs()
	b.ResetTimer()
	for range b.N {
		claim, err := a.st.Acquire(context.Background(), 0)
		if err != nil || len(claim.Sessions) != len(sessions) {
			b.Fatal(err, len(claim.Sessions))
		}
	}
}

// BenchmarkHandoverByRequest: one graceful hand-over of a partition with 100 sessions,
// back and forth between two collectors that answer requests at once (write, release):
// the time from Acquire to the claim, which is what a rebalance adds per partition.
func BenchmarkHandoverByRequest(b *testing.B) {
	c := newTestCluster(b)
	collectors := []*instance{startInstance(b, testConfig(c)), startInstance(b, testConfig(c))}
	sessions := benchCheckpoints(100)
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	for _, in := range collectors {
		go func() {
			for {
				select {
				case p := <-in.st.Requests():
					if err := in.st.Write(ctx, p, sessions, 1); err != nil {
						return
					}
					if err := in.st.Release(ctx, p, 1); err != nil {
						return
					}
				case <-ctx.Done():
					return
				}
			}
		}()
	}
	_, err := collectors[0].st.Acquire(ctx, 0)
	require.NoError(b, err)
	b.ResetTimer()
	for i := range b.N {
		if i%50 == 49 { // as the broker's cleaner would: the partition stays its compacted size
			b.StopTimer()
			c.Compact()
			b.StartTimer()
		}
		claim, err := collectors[(i+1)%2].st.Acquire(ctx, 0)
		if err != nil || !claim.Released {
			b.Fatal(err, claim.Released)
		}
	}
	b.StopTimer()
	cancel()
}
