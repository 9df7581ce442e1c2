// Copyright The otelcol-rum Authors
// SPDX-License-Identifier: Apache-2.0

package sessionprocessor

import (
	"context"
	"fmt"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"go.opentelemetry.io/collector/component"
	"go.opentelemetry.io/collector/component/componenttest"
	"go.opentelemetry.io/collector/pdata/plog"
)

// TestConcurrentPipelinesOnManySessions drives the three pipelines of one processor from
// many goroutines at once while the ticker logic runs; under -race (make unit) any
// unguarded state shows. Every session must start once and end once.
func TestConcurrentPipelinesOnManySessions(t *testing.T) {
	const workers, sessionsPerWorker, rounds = 8, 100, 5
	p := startPipeline(t, testConfig(), newFakeClock(), nil)
	ctx := context.Background()
	var wg sync.WaitGroup
	for w := range workers {
		wg.Go(func() {
			for r := range rounds {
				for s := range sessionsPerWorker {
					id := fmt.Sprintf("w%d-s%d", w, s)
					kind := []string{"click", "exception", "faro.user.action"}[r%3]
					assert.NoError(t, p.lp.ConsumeLogs(ctx, sessionLogs(id, logRecordSpec{event: kind, severity: plog.SeverityNumberInfo})))
					assert.NoError(t, p.tp.ConsumeTraces(ctx, spanFor(id)))
					assert.NoError(t, p.mp.ConsumeMetrics(ctx, pointFor(id)))
				}
			}
		})
	}
	wg.Go(func() {
		for range 50 {
			p.proc.expire(p.clock.Now()) // nothing is due, but it takes the lock and emits
			time.Sleep(time.Millisecond)
		}
	})
	wg.Wait()

	total := workers * sessionsPerWorker
	require.Len(t, p.events("session.start"), total)
	p.stop()
	ends := p.events("session.end")
	require.Len(t, ends, total)
	for _, e := range ends {
		a := e.Attributes()
		assert.Equal(t, int64(rounds), attr(t, a, "session.spans").Int())
	}
}

// TestConcurrentPipelinesWithTheJournal is the same with storage, the journal writing
// segments and snapshots every few milliseconds while the pipelines change the sessions
// and the ticker runs: under -race any state the journal shares unguarded shows, and
// after shutdown the storage holds every session with all its changes.
func TestConcurrentPipelinesWithTheJournal(t *testing.T) {
	const workers, sessionsPerWorker, rounds = 4, 100, 20
	st := newMemStorage()
	host := storageHost{Host: componenttest.NewNopHost(), extensions: map[component.ID]component.Component{storageID: memExtension{st: st}}}
	cfg := crashTestConfig()
	cfg.MaxSessions = workers * sessionsPerWorker
	cfg.CheckpointInterval = 2 * time.Millisecond
	cfg.SnapshotInterval = 2 * time.Millisecond
	cfg.CheckInterval = time.Millisecond
	p := startPipeline(t, cfg, newFakeClock(), host)
	p.proc.journal.chunkSessions = 50 // snapshots of several chunks, between which sessions change
	ctx := context.Background()
	var wg sync.WaitGroup
	for w := range workers {
		wg.Go(func() {
			for range rounds {
				for s := range sessionsPerWorker {
					id := fmt.Sprintf("w%d-s%d", w, s)
					assert.NoError(t, p.tp.ConsumeTraces(ctx, spanFor(id)))
				}
				time.Sleep(3 * time.Millisecond) // a tick or two of the journal between rounds
			}
		})
	}
	wg.Wait()
	p.stop()
	assert.Positive(t, p.proc.journal.committed.Generation, "snapshots were taken while the sessions changed")
	assert.Empty(t, p.events("session.end"), "with storage, shutdown does not end sessions")

	saved := restoredWith(t, cfg, host)
	require.Len(t, saved, workers*sessionsPerWorker)
	for _, r := range saved {
		assert.Equal(t, uint32(rounds), r.Spans, r.Key)
	}
}
