// Copyright The otelcol-rum Authors
// SPDX-License-Identifier: Apache-2.0

package kafkahandoverextension

import (
	"context"
	"fmt"
	"sync"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/otelcol-rum/otelcol-rum/internal/handover"
)

// TestRebalanceMovesSeveralPartitionsAtOnce: B acquires half of A's partitions
// concurrently, as after a rebalance; A answers the requests as the session processor
// does (last write, release), and B gets each partition's own sessions by release.
func TestRebalanceMovesSeveralPartitionsAtOnce(t *testing.T) {
	c := newTestCluster(t)
	a := startInstance(t, testConfig(c))
	cfgB := testConfig(c)
	cfgB.HandoverWait = 2 * testDeadline
	b := startInstance(t, cfgB)

	final := func(p int32) []handover.Checkpoint {
		return []handover.Checkpoint{session(fmt.Sprintf("p%d-a", p), "final"), session(fmt.Sprintf("p%d-b", p), "final")}
	}
	for p := range int32(testPartitions) {
		a.acquire(t, p)
		a.write(t, p, 100+int64(p), session(fmt.Sprintf("p%d-a", p), "early"), session(fmt.Sprintf("p%d-gone", p), "x"))
	}

	// A's processor: on a request, write the partition's last state and release it.
	served := make(chan int32, testPartitions)
	stop := make(chan struct{})
	var wg sync.WaitGroup
	wg.Add(1)
	go func() {
		defer wg.Done()
		for {
			select {
			case p := <-a.st.Requests():
				ctx, cancel := context.WithTimeout(context.Background(), testDeadline)
				sessions := append(final(p), ended(fmt.Sprintf("p%d-gone", p)))
				assert.NoError(t, a.st.Write(ctx, p, sessions, 200+int64(p)))
				assert.NoError(t, a.st.Release(ctx, p, 200+int64(p)))
				cancel()
				served <- p
			case <-stop:
				return
			}
		}
	}()
	defer func() { close(stop); wg.Wait() }()

	moved := []int32{1, 3}
	claims := make([]handover.Claim, len(moved))
	errs := make([]error, len(moved))
	var acquires sync.WaitGroup
	for i, p := range moved {
		acquires.Add(1)
		go func() {
			defer acquires.Done()
			ctx, cancel := context.WithTimeout(context.Background(), testDeadline)
			defer cancel()
			claims[i], errs[i] = b.st.Acquire(ctx, p)
		}()
	}
	acquires.Wait()
	for i, p := range moved {
		require.NoError(t, errs[i])
		assert.Equal(t, final(p), claims[i].Sessions, "partition %d", p)
		assert.Equal(t, 200+int64(p), claims[i].Watermark)
		assert.True(t, claims[i].Released)
	}
	assert.Len(t, served, len(moved), "A released exactly the partitions B asked for")

	// The partitions B did not ask for are still A's.
	for _, p := range []int32{0, 2} {
		a.write(t, p, 300)
	}
}
