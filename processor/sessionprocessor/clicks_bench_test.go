// Copyright The otelcol-rum Authors
// SPDX-License-Identifier: Apache-2.0

package sessionprocessor

import (
	"context"
	"runtime"
	"strconv"
	"testing"
	"time"

	"go.opentelemetry.io/collector/pdata/pcommon"
	"go.opentelemetry.io/collector/pdata/plog"
)

// clickSessionsBatch is one Faro click (a user action started by a pointer event) for
// each session in [from, to), as the rum receiver writes it.
func clickSessionsBatch(from, to int, at time.Time) plog.Logs {
	ld := plog.NewLogs()
	for i := from; i < to; i++ {
		rl := ld.ResourceLogs().AppendEmpty()
		putRUMResource(rl.Resource().Attributes(), benchSessionID(i))
		lr := rl.ScopeLogs().AppendEmpty().LogRecords().AppendEmpty()
		lr.SetEventName("faro.user.action")
		lr.SetTimestamp(pcommon.NewTimestampFromTime(at))
		a := lr.Attributes()
		a.PutStr("url.full", benchURL(i, benchPages(i)-1)) // the page it is on: no inferred view
		a.PutStr("userActionName", "add-to-cart")
		a.PutStr("userActionTrigger", "pointerdown")
		a.PutStr("userActionDuration", "120")
	}
	return ld
}

// BenchmarkSessionMemoryWithClicks is BenchmarkSessionMemory for sessions that also
// clicked once: what a session costs once it has frustration state. Use -benchtime 1x.
func BenchmarkSessionMemoryWithClicks(b *testing.B) {
	for _, n := range []int{benchActiveSessions, 1_000_000} {
		b.Run("sessions="+strconv.Itoa(n), func(b *testing.B) {
			var bytes float64
			for range b.N {
				before := liveHeap()
				c := benchProcessor(b, n)
				openSessions(b, c, n)
				at := time.Now()
				for from := 0; from < n; from += 64 {
					if _, err := c.processLogs(context.Background(), clickSessionsBatch(from, min(from+64, n), at)); err != nil {
						b.Fatal(err)
					}
				}
				after := liveHeap()
				bytes += float64(after-before) / float64(n)
				runtime.KeepAlive(c)
			}
			b.ReportMetric(bytes/float64(b.N), "B/session")
			b.ReportMetric(0, "ns/op")
		})
	}
}
