// Copyright The otelcol-rum Authors
// SPDX-License-Identifier: Apache-2.0

package engine

import (
	"context"
	"strconv"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"go.opentelemetry.io/collector/consumer/consumertest"
	"go.opentelemetry.io/collector/pdata/pcommon"
	"go.opentelemetry.io/collector/pdata/pmetric"
	"go.uber.org/zap"
)

// distinctAgents is a batch of one resource, one point per vital, that send rewrites for
// each of n user agents never seen before, as a flood of odd user agents would be parsed:
// each its own browser name, one of 300 OSes, 1000 countries and 3 device types, on one
// of 20 pages.
type distinctAgents struct {
	batch  pmetric.Metrics
	res    pcommon.Map
	points []pmetric.NumberDataPoint
	buf    []byte
}

func newDistinctAgents() *distinctAgents {
	d := &distinctAgents{batch: pmetric.NewMetrics()}
	rm := d.batch.ResourceMetrics().AppendEmpty()
	d.res = rm.Resource().Attributes()
	d.res.PutStr("service.name", "shop-web")
	metrics := rm.ScopeMetrics().AppendEmpty().Metrics()
	for _, v := range []string{"lcp", "inp", "cls", "fcp", "ttfb"} {
		m := metrics.AppendEmpty()
		m.SetName("browser.web_vital." + v + ".measurement")
		dp := m.SetEmptyGauge().DataPoints().AppendEmpty()
		dp.SetDoubleValue(100)
		d.points = append(d.points, dp)
	}
	return d
}

func (d *distinctAgents) put(key, prefix string, n int) {
	d.buf = strconv.AppendInt(append(d.buf[:0], prefix...), int64(n), 10)
	d.res.PutStr(key, string(d.buf))
}

func (d *distinctAgents) send(e *Engine, n int) {
	for i := range n {
		// A multiplicative hash spreads OS, country, device and page independently of
		// each other, as real traffic mixes them.
		h := uint64(i) * 0x9E3779B97F4A7C15
		d.put("user_agent.name", "Browser ", i)
		d.put("os.name", "OS ", int(h>>8%300))
		d.put("geo.country.iso_code", "C", int(h>>24%1000))
		d.res.PutStr("rum.device.type", [...]string{"desktop", "mobile", "tablet"}[h>>40%3])
		page := int(h >> 48 % 20)
		for j, dp := range d.points {
			d.buf = strconv.AppendInt(append(d.buf[:0], "https://shop.example/page-"...), int64(page), 10)
			dp.Attributes().PutStr("url.full", string(d.buf))
			d.buf = strconv.AppendInt(append(d.buf[:0], "v6-"...), int64(i*5+j), 10)
			dp.Attributes().PutStr("browser.web_vital.id", string(d.buf))
		}
		e.ConsumeMetrics(d.batch, true)
	}
}

func newBoundedEngine(tb testing.TB, maxSeries int) (*Engine, *consumertest.MetricsSink) {
	cfg := NewDefaultAggregationConfig()
	if maxSeries > 0 {
		cfg.MaxSeries = maxSeries
	}
	e, err := New(Settings{Aggregation: cfg, Logger: zap.NewNop(), Telemetry: nopTelemetry{}, Source: SourceMetricPoints, ScopeName: "test"})
	require.NoError(tb, err)
	sink := new(consumertest.MetricsSink)
	e.SetMetricsConsumer(sink)
	return e, sink
}

// floodAgents is what the benchmark sends; the test sends fewer, still well past every
// bound, to stay quick under -race.
const (
	floodAgents     = 100_000
	testFloodAgents = 30_000
)

// TestDistinctUserAgentsAreBounded: 30,000 user agents never seen before make at most
// max_values values of each dimension (and "other"), and at most max_series series (and
// one overflow series per vital); every measurement is still counted.
func TestDistinctUserAgentsAreBounded(t *testing.T) {
	e, sink := newBoundedEngine(t, 2000)
	newDistinctAgents().send(e, testFloodAgents)
	e.Flush(context.Background())

	assert.Equal(t, int64(testFloodAgents*5), e.agg.Stats().Counted, "nothing is lost")
	assert.Equal(t, 2000+5, e.agg.SeriesCount(), "max_series, and one overflow series per vital")

	values := map[string]map[string]bool{}
	var total, overflow uint64
	md := sink.AllMetrics()[len(sink.AllMetrics())-1]
	for _, rm := range md.ResourceMetrics().All() {
		for _, m := range rm.ScopeMetrics().At(0).Metrics().All() {
			if m.Type() != pmetric.MetricTypeHistogram {
				continue
			}
			for _, dp := range m.Histogram().DataPoints().All() {
				total += dp.Count()
				if _, ok := dp.Attributes().Get("otel.metric.overflow"); ok {
					overflow += dp.Count()
				}
				for k, v := range dp.Attributes().All() {
					if values[k] == nil {
						values[k] = map[string]bool{}
					}
					values[k][v.AsString()] = true
				}
			}
		}
	}
	assert.Equal(t, uint64(testFloodAgents*5), total)
	assert.Positive(t, overflow)
	assert.Len(t, values["user_agent.name"], 50+1, "50 browsers and other")
	assert.True(t, values["user_agent.name"]["other"])
	assert.Len(t, values["os.name"], 50+1)
	assert.Len(t, values["rum.device.type"], 3)
	assert.LessOrEqual(t, len(values["geo.country.iso_code"]), 250+1)
}

// BenchmarkDistinctUserAgents sends 100,000 user agents never seen before through the
// metrics path with the default configuration and reports the series it ends with, which
// max_series bounds (10,000 and an overflow series per vital).
func BenchmarkDistinctUserAgents(b *testing.B) {
	d := newDistinctAgents()
	var series int
	b.ReportAllocs()
	for b.Loop() {
		e, _ := newBoundedEngine(b, 0)
		d.send(e, floodAgents)
		e.emit(context.Background(), true)
		series = e.agg.SeriesCount()
	}
	b.ReportMetric(float64(series), "series")
	b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N*floodAgents*5), "ns/measurement")
}
