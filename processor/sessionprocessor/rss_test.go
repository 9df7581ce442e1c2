// Copyright The otelcol-rum Authors
// SPDX-License-Identifier: Apache-2.0

package sessionprocessor

import (
	"os"
	"runtime"
	"runtime/debug"
	"strconv"
	"testing"
)

// rssSessionsEnv names the number of sessions TestRSSPerSession opens; the test runs only
// when it is set, in a process of its own:
//
//	SESSION_RSS_SESSIONS=1000000 go test -run TestRSSPerSession -v -count 1 ./processor/sessionprocessor/
const rssSessionsEnv = "SESSION_RSS_SESSIONS"

// TestRSSPerSession measures what open sessions cost in resident memory, which is what an
// operator sees and what the memory limit counts, rather than the live heap alone: the
// garbage collector lets the heap grow to twice the live data (GOGC=100) before it
// collects, and memory it freed is returned to the system only slowly. It opens the
// sessions through processLogs, as BenchmarkSessionMemory does, and reports per session:
// the peak RSS while opening them (VmHWM) and the RSS after (VmRSS), each minus the RSS
// before; and the RSS and live heap after a forced collection that returns free memory.
// It reports, and asserts nothing but that the sessions are open.
func TestRSSPerSession(t *testing.T) {
	n, err := strconv.Atoi(os.Getenv(rssSessionsEnv))
	if err != nil || n <= 0 {
		t.Skipf("set %s to a number of sessions to measure", rssSessionsEnv)
	}
	debug.FreeOSMemory()
	heapBefore := liveHeap()
	before, ok := procStatusKiB("VmRSS")
	if !ok {
		t.Skip("no /proc/self/status")
	}
	resetPeakRSS()

	c := benchProcessor(t, n)
	openSessions(t, c, n)

	peak, _ := procStatusKiB("VmHWM")
	after, _ := procStatusKiB("VmRSS")
	debug.FreeOSMemory()
	heapAfter := liveHeap()
	collected, _ := procStatusKiB("VmRSS")
	perSession := func(kib int64) float64 { return float64(kib*1024) / float64(n) }
	t.Logf("%d sessions, GOGC=%s: RSS peak %.0f B/session, RSS after %.0f B/session, RSS after a forced GC %.0f B/session, live heap %.0f B/session",
		n, os.Getenv("GOGC"), perSession(peak-before), perSession(after-before), perSession(collected-before),
		float64(heapAfter-heapBefore)/float64(n))
	t.Logf("RSS before %d MiB, peak %d MiB, after %d MiB, after a forced GC %d MiB", before/1024, peak/1024, after/1024, collected/1024)
	runtime.KeepAlive(c)
}
