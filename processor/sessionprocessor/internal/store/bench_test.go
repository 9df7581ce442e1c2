// Copyright The otelcol-rum Authors
// SPDX-License-Identifier: Apache-2.0

package store

// Benchmarks of the store alone, without pdata: the cost of finding a session among 100k,
// the memory of an open session, and the copies and encodings of what the processor
// saves (write-ahead segments and snapshots). They only run with -bench; see
// docs/benchmarks.md, session processor, for the commands and the figures.

import (
	"fmt"
	"runtime"
	"strconv"
	"testing"
	"time"
)

const (
	benchSessions = 100_000
	// benchStride visits sessions in a scattered order (coprime with the counts used).
	benchStride = 7919
)

var benchLimits = Limits{InactivityTimeout: 15 * time.Minute, MaxDuration: 4 * time.Hour}

// benchKey, benchNav and benchURL are shaped like Faro's ids (10 characters) and a page
// URL of about 60 characters.
func benchKey(i int) string { return fmt.Sprintf("S%09d", i) }
func benchNav(i, page int) string {
	return fmt.Sprintf("N%07d-%d", i, page)
}
func benchURL(i, page int) string {
	return fmt.Sprintf("https://shop.example.com/product/%06d?ref=home&utm=summer", (i*7+page)%1_000_000)
}

// fill opens sessions [0, n) the way the processor does for a Faro session: the first
// record's resource (app, environment, browser, user), then 1 to 3 page views, each a
// navigation with its trace. Every string is fresh, as if it came from a request.
func fill(st *Store, n int, now int64) {
	for i := range n {
		out := st.Touch(benchKey(i), now, false)
		s := out.Session
		s.Update(&Info{App: "shop-web", Environment: "production", Browser: "Chrome", UserID: "user-" + strconv.Itoa(i)})
		for p := range 1 + i%3 {
			s.AddPageView(PageView{
				NavigationID: benchNav(i, p),
				URL:          benchURL(i, p),
				TraceID:      [16]byte{0xaa, byte(i), byte(i >> 8), byte(i >> 16), byte(p)},
				SpanID:       [8]byte{0xbb, byte(i), byte(p)},
			})
		}
	}
}

// BenchmarkTouch finds one of 100k open sessions and marks it active: the store's part
// of every batch.
func BenchmarkTouch(b *testing.B) {
	now := time.Date(2026, 11, 21, 8, 0, 0, 0, time.UTC).UnixNano()
	st := New(benchLimits, keepAll)
	fill(st, benchSessions, now)
	keys := make([]string, benchSessions)
	for i := range keys {
		keys[i] = benchKey(i)
	}
	j := 0
	for b.Loop() {
		j = (j + benchStride) % benchSessions
		now++
		if out := st.Touch(keys[j], now, false); out.Started {
			b.Fatal("opened a new session")
		}
	}
}

// BenchmarkStoreMemory reports the live heap per open session of the store alone
// (B/session). Each iteration builds a fresh store; use -benchtime 1x.
func BenchmarkStoreMemory(b *testing.B) {
	now := time.Date(2026, 11, 21, 8, 0, 0, 0, time.UTC).UnixNano()
	for _, n := range []int{benchSessions, 1_000_000} {
		b.Run("sessions="+strconv.Itoa(n), func(b *testing.B) {
			var bytes float64
			for range b.N {
				before := liveHeap()
				st := New(benchLimits, keepAll)
				fill(st, n, now)
				after := liveHeap()
				bytes += float64(after-before) / float64(n)
				runtime.KeepAlive(st)
			}
			b.ReportMetric(bytes/float64(b.N), "B/session")
			b.ReportMetric(0, "ns/op")
		})
	}
}

// benchChunkSessions is the snapshot chunk size the processor uses.
const benchChunkSessions = 5000

// BenchmarkSegment takes and encodes the changes of 1,000 sessions out of 100k open, as
// the processor does every checkpoint_interval: take is the copy made while holding the
// lock every batch needs (ns/op is how long the pipelines wait), encode adds the encoding
// (outside the lock). B/segment is the size of the value written.
func BenchmarkSegment(b *testing.B) {
	const changed = 1000
	now := time.Date(2026, 11, 21, 8, 0, 0, 0, time.UTC).UnixNano()
	st := New(benchLimits, keepAll)
	st.TrackChanges()
	fill(st, benchSessions, now)
	st.DiscardChanges()
	round := 0
	// take changes 1,000 sessions (untimed) and takes their changes.
	take := func(b *testing.B) Changes {
		b.StopTimer()
		for i := range changed {
			now++
			st.Touch(benchKey((round*changed+i)*benchStride%benchSessions), now, false)
		}
		round++
		b.StartTimer()
		ch, _ := st.TakeChanges(benchChunkSessions)
		if len(ch.Records) != changed {
			b.Fatalf("%d records, want %d", len(ch.Records), changed)
		}
		return ch
	}
	b.Run("changed=1000/take", func(b *testing.B) {
		for b.Loop() {
			take(b)
		}
	})
	var size int
	enc := NewEncoder(KindSegment)
	b.Run("changed=1000/encode", func(b *testing.B) {
		for b.Loop() {
			ch := take(b)
			enc.Reset(KindSegment)
			for i := range ch.Records {
				enc.Record(&ch.Records[i])
			}
			size = len(enc.Bytes())
		}
		b.ReportMetric(float64(size), "B/segment")
	})
}

// BenchmarkSnapshot copies and encodes 100k and 1M open sessions in chunks of 5,000, as a
// full snapshot does: chunk-copy is the copy of one chunk under the lock (the longest the
// pipelines wait for a snapshot), encode the copy and encoding of all of them (ns/op).
// B/session is the size written per session. decode reads every chunk back into a store
// as at start.
func BenchmarkSnapshot(b *testing.B) {
	now := time.Date(2026, 11, 21, 8, 0, 0, 0, time.UTC).UnixNano()
	for _, n := range []int{benchSessions, 1_000_000} {
		name := "sessions=" + strconv.Itoa(n)
		st := New(benchLimits, keepAll)
		fill(st, n, now)
		b.Run(name+"/chunk-copy", func(b *testing.B) {
			for b.Loop() {
				if recs, _, _ := st.SnapshotChunk(0, benchChunkSessions); len(recs) != benchChunkSessions {
					b.Fatal("short chunk")
				}
			}
		})
		var chunks [][]byte
		b.Run(name+"/encode", func(b *testing.B) {
			for b.Loop() {
				chunks = encodeSnapshot(st)
			}
			total := 0
			for _, c := range chunks {
				total += len(c)
			}
			b.ReportMetric(float64(total)/float64(n), "B/session")
		})
		b.Run(name+"/decode", func(b *testing.B) {
			for b.Loop() {
				restored := New(benchLimits, keepAll)
				for _, c := range chunks {
					err := DecodeValue(c, KindChunk, func(f *Frame) {
						if f.Err != nil {
							b.Fatal(f.Err)
						}
						restored.RestorePut(&f.Record)
					})
					if err != nil {
						b.Fatal(err)
					}
				}
				restored.FinishRestore()
				if restored.Len() != n {
					b.Fatalf("%d restored, want %d", restored.Len(), n)
				}
			}
		})
	}
}

// encodeSnapshot writes every open session of st in chunks, as a snapshot does.
func encodeSnapshot(st *Store) [][]byte {
	var out [][]byte
	enc := NewEncoder(KindChunk)
	for from, done := 0, false; !done; {
		var recs []Record
		recs, from, done = st.SnapshotChunk(from, benchChunkSessions)
		enc.Reset(KindChunk)
		for i := range recs {
			enc.Record(&recs[i])
		}
		out = append(out, append([]byte(nil), enc.Bytes()...))
	}
	return out
}

// liveHeap is the heap in use after a full collection.
func liveHeap() uint64 {
	runtime.GC()
	runtime.GC()
	var ms runtime.MemStats
	runtime.ReadMemStats(&ms)
	return ms.HeapAlloc
}
