// Copyright The otelcol-rum Authors
// SPDX-License-Identifier: Apache-2.0

package aggregate

import (
	"fmt"
	"testing"
	"time"
)

// BenchmarkAdd aggregates measurements with distinct ids over 60 series (5 vitals × 12
// routes), committing every 1000 as the processor's interval would; the goal is over 1M
// measurements per second on one core (run with -cpu 1).
func BenchmarkAdd(b *testing.B) {
	set := Settings{Hold: time.Second, MaxPending: 100_000, SeriesTTL: time.Hour, Remember: time.Minute, MaxRemembered: 100_000}
	a := New(set, nil)
	names := []string{"lcp", "inp", "cls", "fcp", "ttfb"}
	ms := make([]Measurement, 60)
	for i := range ms {
		d := shop
		d.Route = fmt.Sprint("/route/", i%12)
		ms[i] = Measurement{Vital: names[i%5], Value: float64(i * 37 % 5000), Dims: d, TraceID: [16]byte{byte(i)}}
	}
	ids := make([]string, 1<<16)
	for i := range ids {
		ids[i] = fmt.Sprint("v6-", i)
	}
	b.ReportAllocs()
	now := int64(0)
	i := 0
	for b.Loop() {
		m := ms[i%len(ms)]
		m.ID = ids[i%len(ids)]
		a.Add(m, now)
		i++
		if i%1000 == 0 {
			now += int64(2 * time.Second)
			a.Commit(now, false)
		}
	}
	b.ReportMetric(float64(b.N)/b.Elapsed().Seconds()/1e6, "M-measurements/s")
	b.ReportMetric(float64(a.SeriesCount()), "series")
}
