// Copyright The otelcol-rum Authors
// SPDX-License-Identifier: Apache-2.0

//go:build faults

package fault

import (
	"context"
	"fmt"
	"math/rand/v2"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"

	"github.com/otelcol-rum/otelcol-rum/test/internal/harness"
)

const (
	// shutdownCycles is how many times the collector is started, loaded and stopped.
	shutdownCycles = 20
	// shutdownDeadline is how long a SIGTERM may take. The rum receiver drains in-flight
	// requests for up to drain_timeout (5s); then the exporters stop without draining
	// their disk queues (a batch in flight gets one more attempt, bounded by the
	// exporter's 5s timeout) and the session processor writes its checkpoint. About 11s
	// at worst, and well inside the 30s Kubernetes waits after SIGTERM before SIGKILL (its
	// default terminationGracePeriodSeconds): a collector slower than that loses
	// everything it holds in memory in production.
	shutdownDeadline = 20 * time.Second
	// shutdownSenders post concurrently without pause: at SIGTERM requests are in flight.
	shutdownSenders = 8
	// shutdownDrain bounds the wait for the last cycle's disk queue to reach the sink.
	shutdownDrain = 60 * time.Second
)

// withBatch puts the batch processor back at the end of every pipeline, as many users'
// configurations have it. A stopped batch processor blocks whoever hands it data, for
// ever: this is the configuration in which a receiver that still forwards after the
// processors behind it stopped hangs the collector.
const withBatch = `
processors:
  batch:
service:
  pipelines:
    traces:
      processors: [memory_limiter, clientinfo, session, jserrors, webvitals, batch]
    logs:
      processors: [memory_limiter, clientinfo, session, jserrors, webvitals, batch]
    metrics:
      processors: [memory_limiter, clientinfo, session, jserrors, webvitals, batch]
`

// TestShutdownUnderLoad is a rolling deploy under load, 20 times over: start, several
// senders posting real SDK payloads, SIGTERM while they post. Each stop must finish within
// shutdownDeadline, and every record the collector acknowledged must reach the backend
// (the sink stays up; the storage directory persists across cycles, as a volume does).
// It runs on the shipped configuration and on the same with a batch processor.
func TestShutdownUnderLoad(t *testing.T) {
	t.Run("shipped", func(t *testing.T) { runShutdownCycles(t) })
	t.Run("with batch", func(t *testing.T) { runShutdownCycles(t, withBatch) })
}

func runShutdownCycles(t *testing.T, extra ...string) {
	run := startLoadRun(t, shutdownSenders, extra...)
	col := run.col
	ledger := &harness.Ledger{}
	rng := rand.New(rand.NewPCG(9, 20))

	var hung, unclean []string
	var stops []time.Duration
	for cycle := 1; cycle <= shutdownCycles; cycle++ {
		if col == nil {
			col = run.spec.start(t)
		}
		ctx, cancel := context.WithCancel(context.Background())
		cycleLedger := &harness.Ledger{}
		senders := run.send(ctx, shutdownSenders, cycleLedger)
		time.Sleep(time.Second + time.Duration(rng.Int64N(int64(2*time.Second))))
		ackedBefore := countAcked(cycleLedger.Outcomes())
		exited, took := col.Terminate(shutdownDeadline)
		switch {
		case !exited:
			hung = append(hung, fmt.Sprintf("cycle %d (%d requests acknowledged before SIGTERM)", cycle, ackedBefore))
			col.Kill()
		case col.Err() != nil:
			unclean = append(unclean, fmt.Sprintf("cycle %d: %v", cycle, col.Err()))
		}
		cancel()
		senders.Wait()
		out := cycleLedger.Outcomes()
		for _, o := range out {
			ledger.Add(o)
		}
		stops = append(stops, took)
		t.Logf("cycle %2d: %5d requests (%s), SIGTERM after %d acknowledged, exit after %s%s",
			cycle, len(out), harness.Statuses(out), ackedBefore, took.Round(time.Millisecond), map[bool]string{true: "", false: " (HUNG, killed)"}[exited])
		assert.Positive(t, ackedBefore, "cycle %d: SIGTERM came before any request was served: not a shutdown under load", cycle)
		col = nil
	}

	// The last cycle's disk queue goes out when the collector starts again.
	col = run.spec.start(t)
	d := harness.WaitDelivered(ledger.Outcomes(), run.sink, run.exp, shutdownDrain)
	assert.NoError(t, col.Stop(t), "the draining collector exits cleanly")

	t.Logf("delivery: %s", d)
	t.Logf("exit after SIGTERM: median %s, max %s", median(stops).Round(time.Millisecond), slices.Max(stops).Round(time.Millisecond))
	assert.Empty(t, hung, "the collector did not exit within %s of SIGTERM in %d of %d cycles:\n  %s",
		shutdownDeadline, len(hung), shutdownCycles, strings.Join(hung, "\n  "))
	assert.Empty(t, unclean, "the collector exited with an error after SIGTERM")
	assert.True(t, d.Complete(), "acknowledged records did not all reach the backend: %s", d)
}

func countAcked(outcomes []harness.Outcome) int {
	n := 0
	for _, o := range outcomes {
		if o.Acked() {
			n++
		}
	}
	return n
}

func median(ds []time.Duration) time.Duration {
	s := slices.Clone(ds)
	slices.Sort(s)
	return s[len(s)/2]
}
