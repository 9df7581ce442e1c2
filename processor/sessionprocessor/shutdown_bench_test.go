// Copyright The otelcol-rum Authors
// SPDX-License-Identifier: Apache-2.0

package sessionprocessor

import (
	"bufio"
	"context"
	"os"
	"runtime"
	"runtime/debug"
	"runtime/metrics"
	"strconv"
	"strings"
	"testing"

	"go.opentelemetry.io/collector/consumer"
	"go.opentelemetry.io/collector/pdata/plog"
)

// heapPeakConsumer stands for an exporter that sends each batch of events away at once:
// it reads the heap at every call (the moment the batch is fullest) and keeps nothing.
type heapPeakConsumer struct {
	sample []metrics.Sample
	peak   uint64
	calls  int
	events int
}

func newHeapPeakConsumer() *heapPeakConsumer {
	return &heapPeakConsumer{sample: []metrics.Sample{{Name: "/memory/classes/heap/objects:bytes"}}}
}

func (h *heapPeakConsumer) Capabilities() consumer.Capabilities { return consumer.Capabilities{} }

func (h *heapPeakConsumer) ConsumeLogs(_ context.Context, ld plog.Logs) error {
	metrics.Read(h.sample)
	h.peak = max(h.peak, h.sample[0].Value.Uint64())
	h.calls++
	h.events += ld.LogRecordCount()
	return nil
}

// BenchmarkShutdownMemory ends 100k open sessions as a shutdown without storage does,
// and reports what it costs in memory on top of the state: the heap (objects, garbage
// included) at its fullest while the session.end events go out, minus the live heap
// before (peak-heap-MiB), and the process's peak RSS during the shutdown minus its RSS
// before (peak-rss-MiB, from VmHWM after resetting it through /proc/self/clear_refs; 0
// where that is not available). state-MiB is the live heap of the open sessions.
// Each iteration builds a fresh state; use -benchtime 1x.
func BenchmarkShutdownMemory(b *testing.B) {
	const sessions = benchActiveSessions
	var heapPeak, rssPeak, state, calls float64
	for range b.N {
		b.StopTimer()
		base := liveHeap()
		c := benchProcessor(b, sessions)
		openSessions(b, c, sessions)
		sink := newHeapPeakConsumer() // after the session.start events
		c.setEventConsumer(sink)
		debug.FreeOSMemory()
		live := liveHeap()
		rssBefore, _ := procStatusKiB("VmRSS")
		resetPeakRSS()
		b.StartTimer()

		c.Flush(context.Background())

		b.StopTimer()
		if sink.events != sessions {
			b.Fatalf("%d session.end events, want %d", sink.events, sessions)
		}
		hwm, ok := procStatusKiB("VmHWM")
		if ok && rssBefore > 0 {
			rssPeak += float64(hwm-rssBefore) / 1024
		}
		heapPeak += float64(sink.peak-live) / (1 << 20)
		state += float64(live-base) / (1 << 20)
		calls += float64(sink.calls)
		runtime.KeepAlive(c)
	}
	n := float64(b.N)
	b.ReportMetric(heapPeak/n, "peak-heap-MiB")
	b.ReportMetric(rssPeak/n, "peak-rss-MiB")
	b.ReportMetric(state/n, "state-MiB")
	b.ReportMetric(calls/n, "consume-calls")
}

// procStatusKiB reads a kB field of /proc/self/status (Linux).
func procStatusKiB(field string) (int64, bool) {
	f, err := os.Open("/proc/self/status")
	if err != nil {
		return 0, false
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		name, value, ok := strings.Cut(sc.Text(), ":")
		if !ok || name != field {
			continue
		}
		kib, err := strconv.ParseInt(strings.TrimSuffix(strings.TrimSpace(value), " kB"), 10, 64)
		return kib, err == nil
	}
	return 0, false
}

// resetPeakRSS makes VmHWM start again from the current RSS (Linux: writing 5 to
// /proc/self/clear_refs); elsewhere it does nothing.
func resetPeakRSS() {
	_ = os.WriteFile("/proc/self/clear_refs", []byte("5"), 0o600)
}
