package store

// Benchmarks of the store alone, without pdata: the cost of finding a session among 100k,
// the memory of an open session, and the checkpoint that the processor takes under its
// lock. They only run with -bench; see the processor's README.md (Performance).

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

// BenchmarkCheckpoint saves 100k and 1M open sessions, as the processor does every
// checkpoint_interval and at shutdown: snapshot is the copy taken while it holds the lock
// that every batch needs (ns/op is how long the pipelines wait), encode is the copy and the
// JSON encoding (the latter outside the lock). It decodes 100k as at start. B/session is
// the size of the saved value per session.
func BenchmarkCheckpoint(b *testing.B) {
	now := time.Date(2026, 11, 21, 8, 0, 0, 0, time.UTC).UnixNano()
	for _, n := range []int{benchSessions, 1_000_000} {
		st := New(benchLimits, keepAll)
		fill(st, n, now)
		var data []byte
		// snapshot is what the pipelines wait for: the copy taken under the lock.
		b.Run("sessions="+strconv.Itoa(n)+"/snapshot", func(b *testing.B) {
			for b.Loop() {
				_ = st.Snapshot()
			}
		})
		b.Run("sessions="+strconv.Itoa(n)+"/encode", func(b *testing.B) {
			for b.Loop() {
				var err error
				if data, err = st.Snapshot().Encode(); err != nil {
					b.Fatal(err)
				}
			}
			b.ReportMetric(float64(len(data))/float64(n), "B/session")
		})
		if n > benchSessions {
			continue // decoding 1M takes about 14 s
		}
		b.Run("sessions="+strconv.Itoa(n)+"/decode", func(b *testing.B) {
			for b.Loop() {
				if _, err := New(benchLimits, keepAll).RestoreCheckpoint(data); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

// liveHeap is the heap in use after a full collection.
func liveHeap() uint64 {
	runtime.GC()
	runtime.GC()
	var ms runtime.MemStats
	runtime.ReadMemStats(&ms)
	return ms.HeapAlloc
}
