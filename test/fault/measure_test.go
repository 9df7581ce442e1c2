// Copyright The otelcol-rum Authors
// SPDX-License-Identifier: Apache-2.0

//go:build faults

package fault

import (
	"context"
	"fmt"
	"os"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/otelcol-rum/otelcol-rum/test/internal/harness"
)

// The memory measurements run only when asked (make measure-faults): they take minutes,
// and they report figures rather than assert them.
const (
	measureEnv         = "RUM_MEASURE"
	measureSessionsEnv = "RUM_MEASURE_SESSIONS"          // open sessions for the per-session figure
	measureShutdownEnv = "RUM_MEASURE_SHUTDOWN_SESSIONS" // open sessions at the SIGTERM
	// measureSenders post concurrently, as fast as the collector answers.
	measureSenders = 16
	// rssSampleEvery is how often the RSS is read during a shutdown.
	rssSampleEvery = 10 * time.Millisecond
)

// measureOverlay keeps every session open (max_sessions above the count) and lifts the
// per-app rate limit (1000 requests/s): the measurement is about memory, and a million
// sessions at that rate would take 17 minutes.
const measureOverlay = `
receivers:
  rum:
    rate_limit:
      per_app: {rate: 0}
processors:
  session:
    max_sessions: %d
`

const noStorage = `
processors:
  session:
    storage: null
`

func measureCount(t *testing.T, env string, def int) int {
	if os.Getenv(measureEnv) != "1" {
		t.Skipf("a measurement: run it with make measure-faults (%s=1)", measureEnv)
	}
	n := def
	if v := os.Getenv(env); v != "" {
		var err error
		n, err = strconv.Atoi(v)
		require.NoError(t, err, env)
	}
	return n
}

// openSessions posts n web-vitals beacons, each of a new session, and returns how long
// that took. Only counts are kept: a million outcomes would weigh more than the collector.
func openSessions(t *testing.T, spec *collectorSpec, n int) time.Duration {
	_, beacons := byFormat(harness.LoadTemplates(t))
	next := harness.RoundRobin(beacons, harness.NewIDs())
	client := spec.client(t, measureSenders)
	var acked, refused atomic.Int64
	var remaining atomic.Int64
	remaining.Store(int64(n))
	start := time.Now()
	var wg sync.WaitGroup
	for range measureSenders {
		wg.Go(func() {
			for remaining.Add(-1) >= 0 {
				for {
					o := client.Post(context.Background(), next())
					if o.Acked() {
						acked.Add(1)
						break
					}
					refused.Add(1)
					time.Sleep(50 * time.Millisecond)
				}
			}
		})
	}
	wg.Wait()
	took := time.Since(start)
	t.Logf("%d sessions opened in %s (%.0f beacons/s), %d refusals retried", acked.Load(), took.Round(time.Second), float64(n)/took.Seconds(), refused.Load())
	return took
}

// settle waits until the process has used less than 5% of a core for two seconds (its
// queues drained, the garbage collector done), at most two minutes.
func settle(t *testing.T, pid int) {
	deadline := time.Now().Add(2 * time.Minute)
	prev := cpuTime(t, pid)
	for time.Now().Before(deadline) {
		time.Sleep(2 * time.Second)
		cur := cpuTime(t, pid)
		if cur-prev < 100*time.Millisecond {
			return
		}
		prev = cur
	}
	t.Logf("the collector was still busy after two minutes; measuring anyway")
}

// cpuTime is the user and system time of process pid (/proc/<pid>/stat, clock ticks of
// 10ms on Linux).
func cpuTime(t *testing.T, pid int) time.Duration {
	raw, err := os.ReadFile(fmt.Sprintf("/proc/%d/stat", pid))
	require.NoError(t, err)
	fields := strings.Fields(string(raw[strings.LastIndexByte(string(raw), ')')+2:]))
	utime, err1 := strconv.ParseInt(fields[11], 10, 64)
	stime, err2 := strconv.ParseInt(fields[12], 10, 64)
	require.NoError(t, err1)
	require.NoError(t, err2)
	return time.Duration(utime+stime) * 10 * time.Millisecond
}

// telemetry reads one of the collector's own metrics for the report.
func telemetry(spec *collectorSpec, metric string) string {
	v, found, err := harness.ScrapeSum(spec.metricsURL, metric)
	switch {
	case err != nil:
		return err.Error()
	case !found:
		return "n/a"
	}
	return strconv.FormatFloat(v, 'f', 0, 64)
}

// TestMeasureRSSPerOpenSession: the shipped configuration (make run's, with sessions on
// file_storage) with a million open sessions; (RSS after - RSS idle) / sessions.
func TestMeasureRSSPerOpenSession(t *testing.T) {
	n := measureCount(t, measureSessionsEnv, 1_000_000)
	spec := newCollectorSpec(t, exampleConfig, "", fmt.Sprintf(measureOverlay, 2*n))
	col := spec.start(t)
	time.Sleep(3 * time.Second)
	idle, err := harness.ReadMemory(col.Pid())
	require.NoError(t, err)
	openSessions(t, spec, n)
	settle(t, col.Pid())
	after, err := harness.ReadMemory(col.Pid())
	require.NoError(t, err)
	t.Logf("idle: %s", idle)
	t.Logf("with %d open sessions (otelcol_processor_session_active %s, Go heap %s bytes): %s", n,
		telemetry(spec, "otelcol_processor_session_active"), telemetry(spec, "otelcol_process_runtime_heap_alloc_bytes"), after)
	t.Logf("per open session: RSS %.0f bytes (anon %.0f, file %.0f)",
		float64(after.RSS-idle.RSS)/float64(n), float64(after.Anon-idle.Anon)/float64(n), float64(after.File-idle.File)/float64(n))
	require.NoError(t, col.Stop(t))
}

// TestMeasureShutdownPeakRSS: SIGTERM with open sessions, with storage (the shipped
// configuration: sessions are checkpointed) and without (every session ends: its
// session.end is built and exported); the RSS sampled every 10ms until the process is
// gone, against the RSS before the signal.
func TestMeasureShutdownPeakRSS(t *testing.T) {
	n := measureCount(t, measureShutdownEnv, 100_000)
	for _, variant := range []struct{ name, overlay string }{{"storage", ""}, {"no_storage", noStorage}} {
		t.Run(variant.name, func(t *testing.T) {
			spec := newCollectorSpec(t, exampleConfig, "", fmt.Sprintf(measureOverlay, 2*n), variant.overlay)
			col := spec.start(t)
			openSessions(t, spec, n)
			settle(t, col.Pid())
			before, err := harness.ReadMemory(col.Pid())
			require.NoError(t, err)
			sampled := make(chan struct{})
			var peak harness.Memory
			var samples int
			go func() {
				defer close(sampled)
				peak, samples = harness.PeakMemory(col.Pid(), rssSampleEvery, col.Exited())
			}()
			exited, took := col.Terminate(5 * time.Minute)
			require.True(t, exited, "no exit within 5 minutes of SIGTERM")
			<-sampled
			t.Logf("%d open sessions, %s: before SIGTERM %s; peak during shutdown %s (%d samples); peak/before RSS %.2f; exit after %s",
				n, variant.name, before, peak, samples, float64(peak.RSS)/float64(before.RSS), took.Round(time.Millisecond))
		})
	}
}
