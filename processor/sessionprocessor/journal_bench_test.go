// Copyright The otelcol-rum Authors
// SPDX-License-Identifier: Apache-2.0

package sessionprocessor

import (
	"context"
	"strconv"
	"testing"
	"time"

	"github.com/open-telemetry/opentelemetry-collector-contrib/extension/storage/filestorage"
	"go.opentelemetry.io/collector/component"
	"go.opentelemetry.io/collector/component/componenttest"
	"go.opentelemetry.io/collector/extension/extensiontest"

	"github.com/otelcol-rum/otelcol-rum/processor/sessionprocessor/internal/store"
)

// benchJournal is a session state of n sessions (opened through processLogs, as in the
// other benchmarks) with a journal on the real file_storage extension in a temporary
// directory, everything already written once.
func benchJournal(b *testing.B, n int) *sessionProcessor {
	f := filestorage.NewFactory()
	fcfg := f.CreateDefaultConfig().(*filestorage.Config)
	fcfg.Directory = b.TempDir()
	ext, err := f.Create(context.Background(), extensiontest.NewNopSettings(f.Type()), fcfg)
	if err != nil {
		b.Fatal(err)
	}
	if err := ext.Start(context.Background(), componenttest.NewNopHost()); err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { _ = ext.Shutdown(context.Background()) })
	host := storageHost{Host: componenttest.NewNopHost(), extensions: map[component.ID]component.Component{storageID: ext}}

	c := benchProcessor(b, n)
	c.cfg.Storage = &storageID
	if err := c.openJournal(context.Background(), host); err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { _ = c.journal.client.Close(context.Background()) })
	openSessions(b, c, n)
	runSnapshot(c.journal)
	c.withStore(func(st *store.Store) { st.DiscardChanges() })
	return c
}

// runSnapshot writes a whole snapshot, as the ticks of the persist loop do over time.
func runSnapshot(j *journal) {
	now := j.p.now()
	j.beginSnapshot(now)
	for j.run != nil {
		j.snapshotStep(context.Background(), now)
	}
}

// BenchmarkJournalSegment writes the changes of 1,000 of 100k open sessions to
// file_storage, as the processor does every checkpoint_interval: ns/op is the whole
// write (the copy under the lock, the encoding, the storage's Set); B/segment its size.
func BenchmarkJournalSegment(b *testing.B) {
	const changed = 1000
	c := benchJournal(b, benchActiveSessions)
	sessions := benchSessionList(benchActiveSessions)
	j, next := c.journal, 0
	before := j.nextSeq
	for b.Loop() {
		b.StopTimer()
		now := time.Now().UnixNano()
		c.withStore(func(st *store.Store) {
			for range changed {
				next = (next + benchStride) % len(sessions)
				st.Touch(sessions[next].id, now, false)
			}
		})
		b.StartTimer()
		j.writeChanges(context.Background(), c.now())
	}
	if j.nextSeq-before != uint64(b.N) {
		b.Fatalf("%d segments for %d writes", j.nextSeq-before, b.N)
	}
	b.ReportMetric(float64(len(j.enc.Bytes())), "B/segment")
}

// BenchmarkJournalSnapshot writes a full snapshot of 100k and 1M open sessions to
// file_storage in chunks of 5,000, the manifest, and deletes the previous snapshot:
// ns/op is the whole snapshot (in the collector it is spread over ticks, half a
// checkpoint_interval each), MB the bytes written. Use -benchtime 1x.
func BenchmarkJournalSnapshot(b *testing.B) {
	for _, n := range []int{benchActiveSessions, 1_000_000} {
		b.Run("sessions="+strconv.Itoa(n), func(b *testing.B) {
			c := benchJournal(b, n)
			var size float64
			for b.Loop() {
				runSnapshot(c.journal)
				size = float64(c.journal.committed.Chunks) // chunks of the last snapshot
			}
			var bytes float64
			chunks := int(size)
			for i := range chunks {
				data, err := c.journal.client.Get(context.Background(), chunkKey(c.journal.committed.Generation, i))
				if err != nil {
					b.Fatal(err)
				}
				bytes += float64(len(data))
			}
			b.ReportMetric(bytes/(1<<20), "MB")
			b.ReportMetric(bytes/float64(n), "B/session")
			// Restoring it, as at start, into a fresh state.
			start := time.Now()
			fresh := benchProcessor(b, n)
			j := newJournal(fresh, c.journal.client)
			if err := j.restore(context.Background(), fresh.now()); err != nil {
				b.Fatal(err)
			}
			if fresh.store.Len() != n {
				b.Fatalf("%d restored, want %d", fresh.store.Len(), n)
			}
			b.ReportMetric(time.Since(start).Seconds(), "restore-s")
		})
	}
}
