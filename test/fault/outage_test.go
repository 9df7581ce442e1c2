// Copyright The otelcol-rum Authors
// SPDX-License-Identifier: Apache-2.0

//go:build faults

package fault

import (
	"context"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/otelcol-rum/otelcol-rum/test/internal/harness"
)

const (
	// outageSenders post while the backend is down, for outagePhase before and again
	// after the restart.
	outageSenders = 4
	outagePhase   = 5 * time.Second
	// outageRecovery bounds the wait for the backlog once the backend is back: the
	// exporter retries with a backoff that grows to 30s, then sends what is on disk.
	outageRecovery = 2 * time.Minute
)

// TestOutageWithRestart: the backend is down, browsers keep sending and the collector
// acknowledges what it queues; the collector is restarted (SIGTERM, start) in the middle
// of the outage; more is sent; then the backend comes back. Every acknowledged record must
// arrive exactly once: the disk queue kept it across the restart, and nothing was sent
// twice.
func TestOutageWithRestart(t *testing.T) {
	run := startLoadRun(t, outageSenders)
	sink, spec, col := run.sink, run.spec, run.col

	sink.Down()
	ledger := &harness.Ledger{}
	send := func() {
		ctx, cancel := context.WithTimeout(context.Background(), outagePhase)
		defer cancel()
		run.send(ctx, outageSenders, ledger).Wait()
	}
	send()
	acked := countAcked(ledger.Outcomes())
	require.Positive(t, acked, "nothing was acknowledged during the outage: %s", harness.Statuses(ledger.Outcomes()))
	t.Logf("backend down: %d requests acknowledged (%s); storage %s", acked, harness.Statuses(ledger.Outcomes()), dirSize(spec.storageDir))
	logQueueBytes(t, spec, acked)

	exited, took := col.Terminate(shutdownDeadline)
	require.True(t, exited, "the collector did not exit within %s of SIGTERM while the backend was down", shutdownDeadline)
	assert.NoError(t, col.Err(), "the collector exits cleanly on SIGTERM while the backend is down")
	t.Logf("restart during the outage: exited %s after SIGTERM", took.Round(time.Millisecond))
	col = spec.start(t)
	send()
	t.Logf("after the restart: %d requests acknowledged in all (%s)", countAcked(ledger.Outcomes()), harness.Statuses(ledger.Outcomes()))

	sink.Up(t)
	start := time.Now()
	harness.WaitDelivered(ledger.Outcomes(), sink, run.exp, outageRecovery)
	t.Logf("backend back: complete after %s", time.Since(start).Round(time.Second))
	// A second look after a pause catches duplicates still on their way.
	time.Sleep(2 * time.Second)
	d := harness.CheckDelivery(ledger.Outcomes(), sink, run.exp)
	assert.NoError(t, col.Stop(t), "the collector exits cleanly")
	t.Logf("delivery: %s", d)
	assert.True(t, d.Complete(), "acknowledged records lost across the outage and restart: %s", d)
	assert.Zero(t, d.Duplicates+d.DuplicateVitals, "records sent twice: %s", d)
}

// logQueueBytes reports what the disk queues hold per acknowledged request, and how long
// an outage the fullest of them covers at 100 requests/s of the same mix: the basis of
// the queue_size of the shipped configuration.
func logQueueBytes(t *testing.T, spec *collectorSpec, acked int) {
	for _, signal := range []string{"logs", "traces", "metrics"} {
		size, _, err := harness.ScrapeSum(spec.metricsURL, "otelcol_exporter_queue_size", `data_type="`+signal+`"`)
		require.NoError(t, err)
		capacity, _, err := harness.ScrapeSum(spec.metricsURL, "otelcol_exporter_queue_capacity", `data_type="`+signal+`"`)
		require.NoError(t, err)
		perRequest := size / float64(acked)
		covers := "-"
		if perRequest > 0 {
			covers = (time.Duration(capacity/perRequest/100) * time.Second).Round(time.Minute).String()
		}
		t.Logf("  %s queue: %.0f bytes, %.0f per acknowledged request; its %.0f MiB last %s at 100 requests/s", signal, size, perRequest, capacity/(1<<20), covers)
	}
}

// dirSize is the size of the files under dir, for the report.
func dirSize(dir string) string {
	var total int64
	err := filepath.Walk(dir, func(_ string, info os.FileInfo, err error) error {
		if err == nil && !info.IsDir() {
			total += info.Size()
		}
		return err
	})
	if err != nil {
		return err.Error()
	}
	return humanBytes(total)
}
