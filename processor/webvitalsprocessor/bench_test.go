package webvitalsprocessor

import (
	"context"
	"fmt"
	"strconv"
	"testing"

	"go.opentelemetry.io/collector/pdata/pcommon"
	"go.opentelemetry.io/collector/pdata/pmetric"
	"go.opentelemetry.io/collector/processor/processortest"
)

// BenchmarkProcessMetrics is the whole metrics path: the rum receiver's measurement points
// (pdata) in, route templating, the id bookkeeping, aggregation. One batch holds 50
// measurements of 5 vitals over 20 URLs; run with -cpu 1 for the one-core figure. The
// goal is over 1M measurements per second.
func BenchmarkProcessMetrics(b *testing.B) { benchmarkProcessMetrics(b, true) }

// BenchmarkProcessMetricsIDRewriteOnly is the benchmark's own work alone (writing a fresh
// id into every point of the batch): subtract it from BenchmarkProcessMetrics for the
// processor's share.
func BenchmarkProcessMetricsIDRewriteOnly(b *testing.B) { benchmarkProcessMetrics(b, false) }

func benchmarkProcessMetrics(b *testing.B, process bool) {
	cfg := testConfig()
	c, err := newWebvitalsProcessor(cfg, processortest.NewNopSettings(NewFactory().Type()))
	if err != nil {
		b.Fatal(err)
	}
	const perBatch = 50
	template := pmetric.NewMetrics()
	rm := template.ResourceMetrics().AppendEmpty()
	rm.Resource().Attributes().PutStr("service.name", "shop-web")
	rm.Resource().Attributes().PutStr("deployment.environment.name", "prod")
	rm.Resource().Attributes().PutStr("browser.name", "Chrome")
	rm.Resource().Attributes().PutBool("browser.mobile", false)
	metrics := rm.ScopeMetrics().AppendEmpty().Metrics()
	vitals := []string{"lcp", "inp", "cls", "fcp", "ttfb"}
	for i, v := range vitals {
		m := metrics.AppendEmpty()
		m.SetName("browser.web_vital." + v + ".measurement")
		points := m.SetEmptyGauge().DataPoints()
		for j := range perBatch / len(vitals) {
			dp := points.AppendEmpty()
			dp.SetDoubleValue(float64(100 + 37*(i+j)))
			dp.Attributes().PutStr("url.full", fmt.Sprintf("https://shop.example/product/%d?ref=mail", (i*7+j)%20))
			dp.Attributes().PutStr("browser.web_vital.rating", "good")
			ex := dp.Exemplars().AppendEmpty()
			ex.SetTraceID(pcommon.TraceID{byte(i), byte(j)})
		}
	}
	// Every measurement gets its own id, so each is counted. The batch is reused (with
	// keep_measurements the processor leaves it intact) and its ids rewritten in the timed
	// loop, which counts that pdata work against the processor: a conservative figure.
	c.keep = true
	var points []pmetric.NumberDataPoint
	for _, m := range metrics.All() {
		for _, dp := range m.Gauge().DataPoints().All() {
			points = append(points, dp)
		}
	}
	b.ReportAllocs()
	n := 0
	buf := make([]byte, 0, 24)
	for i := 0; i < b.N; i++ {
		for _, dp := range points {
			buf = strconv.AppendInt(append(buf[:0], "v6-"...), int64(n), 10)
			dp.Attributes().PutStr("browser.web_vital.id", string(buf))
			n++
		}
		if !process {
			continue
		}
		_, _ = c.processMetrics(context.Background(), template)
		if i%100 == 99 {
			// What the emit interval does: count what is due.
			c.CommitDue(true)
		}
	}
	b.ReportMetric(float64(b.N*perBatch)/b.Elapsed().Seconds()/1e6, "M-measurements/s")
	b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N*perBatch), "ns/measurement")
	if got := c.Stats().Counted; process && got < int64((b.N/100)*100*perBatch) {
		b.Fatalf("counted %d measurements, want every one", got)
	}
}
