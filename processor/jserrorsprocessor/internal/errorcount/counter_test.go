// Copyright The otelcol-rum Authors
// SPDX-License-Identifier: Apache-2.0

package errorcount

import (
	"strings"
	"sync"
	"testing"
	"time"
	"unicode/utf8"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"go.opentelemetry.io/collector/pdata/pcommon"
	"go.opentelemetry.io/collector/pdata/pmetric"
)

var scope = Scope{Name: "test-scope", Version: "1.2.3"}

// point is an emitted series, flattened for comparison.
type point struct {
	resource map[string]any
	attrs    map[string]any
	start    pcommon.Timestamp
	time     pcommon.Timestamp
	value    int64
	exemplar pmetric.Exemplar
	hasEx    bool
}

func points(t *testing.T, md pmetric.Metrics) []point {
	t.Helper()
	var out []point
	for _, rm := range md.ResourceMetrics().All() {
		for _, sm := range rm.ScopeMetrics().All() {
			assert.Equal(t, "test-scope", sm.Scope().Name())
			assert.Equal(t, "1.2.3", sm.Scope().Version())
			for _, m := range sm.Metrics().All() {
				require.Equal(t, "browser.errors", m.Name())
				require.Equal(t, "{error}", m.Unit())
				require.Equal(t, pmetric.MetricTypeSum, m.Type())
				require.True(t, m.Sum().IsMonotonic())
				require.Equal(t, pmetric.AggregationTemporalityCumulative, m.Sum().AggregationTemporality())
				for _, dp := range m.Sum().DataPoints().All() {
					p := point{resource: rm.Resource().Attributes().AsRaw(), attrs: dp.Attributes().AsRaw(),
						start: dp.StartTimestamp(), time: dp.Timestamp(), value: dp.IntValue()}
					require.LessOrEqual(t, dp.Exemplars().Len(), 1)
					if dp.Exemplars().Len() == 1 {
						p.exemplar, p.hasEx = dp.Exemplars().At(0), true
					}
					out = append(out, p)
				}
			}
		}
	}
	return out
}

func newCounter(maxSeries int) *Counter {
	return New(Settings{MaxSeries: maxSeries, SeriesTTL: time.Hour})
}

var (
	keyA = Key{Service: "shop", Environment: "prod", Version: "1.0", Route: "/cart", Group: "0123456789abcdef", Type: "TypeError"}
	keyB = Key{Service: "shop", Environment: "prod", Version: "1.1", Route: "/cart", Group: "0123456789abcdef", Type: "TypeError"}
	keyC = Key{Service: "blog", Route: "/post/{id}", Group: "fedcba9876543210"}
)

func TestCountsAreCumulativeByKey(t *testing.T) {
	c := newCounter(100)
	c.Add([]Error{{Key: keyA}, {Key: keyB}, {Key: keyA}}, 10)
	c.Add([]Error{{Key: keyA}, {Key: keyC}}, 20)

	first := points(t, c.Export(30, scope))
	require.Len(t, first, 3)
	// Sorted by service, then labels; one resource per service and environment.
	assert.Equal(t, map[string]any{"service.name": "blog"}, first[0].resource)
	assert.Equal(t, map[string]any{"url.template": "/post/{id}", "rum.error.group": "fedcba9876543210"}, first[0].attrs)
	assert.Equal(t, int64(1), first[0].value)
	assert.Equal(t, pcommon.Timestamp(20), first[0].start)
	assert.Equal(t, map[string]any{"service.name": "shop", "deployment.environment.name": "prod"}, first[1].resource)
	assert.Equal(t, map[string]any{"service.version": "1.0", "url.template": "/cart", "rum.error.group": "0123456789abcdef", "exception.type": "TypeError"}, first[1].attrs)
	assert.Equal(t, int64(3), first[1].value)
	assert.Equal(t, int64(1), first[2].value)
	for _, p := range first {
		assert.Equal(t, pcommon.Timestamp(30), p.time)
	}

	c.Add([]Error{{Key: keyA}}, 40)
	second := points(t, c.Export(50, scope))
	require.Len(t, second, 3)
	assert.Equal(t, int64(4), second[1].value, "cumulative")
	assert.Equal(t, pcommon.Timestamp(10), second[1].start, "the start time is kept")
	assert.Equal(t, Stats{Counted: 6}, c.Stats())
	assert.Equal(t, 3, c.Len())
}

func TestExemplarIsTheLatestErrorWithATrace(t *testing.T) {
	c := newCounter(10)
	withTrace := Exemplar{TraceID: pcommon.TraceID{1}, SpanID: pcommon.SpanID{2}, SessionID: "s-1", Time: 100}
	later := Exemplar{TraceID: pcommon.TraceID{3}, SpanID: pcommon.SpanID{4}, SessionID: "s-2", Time: 200}
	noTrace := Exemplar{SessionID: "s-3", Time: 300}
	c.Add([]Error{{Key: keyA, Exemplar: withTrace}, {Key: keyA, Exemplar: later}, {Key: keyA, Exemplar: noTrace}}, 10)
	c.Add([]Error{{Key: keyB, Exemplar: noTrace}, {Key: keyC}}, 10)

	ps := points(t, c.Export(20, scope))
	require.Len(t, ps, 3)
	require.True(t, ps[1].hasEx)
	ex := ps[1].exemplar
	assert.Equal(t, pcommon.TraceID{3}, ex.TraceID(), "the latest with a trace; one without does not replace it")
	assert.Equal(t, pcommon.SpanID{4}, ex.SpanID())
	assert.Equal(t, pcommon.Timestamp(200), ex.Timestamp())
	assert.Equal(t, int64(1), ex.IntValue())
	assert.Equal(t, map[string]any{"session.id": "s-2"}, ex.FilteredAttributes().AsRaw())

	require.True(t, ps[2].hasEx, "an error without a trace still names its session")
	assert.True(t, ps[2].exemplar.TraceID().IsEmpty())
	assert.Equal(t, map[string]any{"session.id": "s-3"}, ps[2].exemplar.FilteredAttributes().AsRaw())
	assert.False(t, ps[0].hasEx, "nothing to link to: no exemplar")
}

func TestLongSessionIDLeftOutOfTheExemplar(t *testing.T) {
	c := newCounter(10)
	fits := strings.Repeat("é", maxSessionIDRunes)
	c.Add([]Error{{Key: keyA, Exemplar: Exemplar{TraceID: pcommon.TraceID{1}, SessionID: fits}}}, 1)
	c.Add([]Error{{Key: keyB, Exemplar: Exemplar{TraceID: pcommon.TraceID{1}, SessionID: fits + "x"}}}, 1)
	ps := points(t, c.Export(2, scope))
	assert.Equal(t, map[string]any{"session.id": fits}, ps[0].exemplar.FilteredAttributes().AsRaw())
	assert.Equal(t, 0, ps[1].exemplar.FilteredAttributes().Len(), "a cut id would name no session")
	assert.Equal(t, pcommon.TraceID{1}, ps[1].exemplar.TraceID(), "the trace stays")
}

func TestOverflowSeriesBoundsTheSeries(t *testing.T) {
	c := newCounter(2)
	assert.Equal(t, int64(0), c.Add([]Error{{Key: keyA}, {Key: keyB}}, 1))
	over := Exemplar{TraceID: pcommon.TraceID{7}, SessionID: "s-9", Time: 5}
	assert.Equal(t, int64(2), c.Add([]Error{{Key: keyC, Exemplar: over}, {Key: keyA}, {Key: Key{Service: "x"}}}, 2))
	for i := range 1000 {
		c.Add([]Error{{Key: Key{Service: "flood", Group: string(rune('a' + i%26)), Type: strings.Repeat("t", i)}}}, 3)
	}
	assert.Equal(t, 3, c.Len(), "two series and the overflow series, whatever came")

	ps := points(t, c.Export(4, scope))
	require.Len(t, ps, 3)
	assert.Equal(t, int64(2), ps[0].value, "a known series keeps counting")
	o := ps[2]
	assert.Empty(t, o.resource)
	assert.Equal(t, map[string]any{"otel.metric.overflow": true}, o.attrs)
	assert.Equal(t, int64(1002), o.value)
	assert.Equal(t, pcommon.Timestamp(2), o.start)
	assert.Equal(t, pcommon.TraceID{7}, o.exemplar.TraceID())
	assert.Equal(t, Stats{Counted: 1005, Overflowed: 1002}, c.Stats())
}

func TestLabelsAreClipped(t *testing.T) {
	c := newCounter(10)
	long := strings.Repeat("x", MaxLabelLen-1) + "é" + strings.Repeat("y", 1<<20)
	c.Add([]Error{{Key: Key{Service: long, Type: long}}, {Key: Key{Service: long, Type: long + "different tail"}}}, 1)
	ps := points(t, c.Export(2, scope))
	require.Len(t, ps, 1, "values that differ past the limit share a series")
	assert.Equal(t, int64(2), ps[0].value)
	typ := ps[0].attrs["exception.type"].(string)
	assert.Equal(t, strings.Repeat("x", MaxLabelLen-1), typ, "cut before the rune that does not fit")
	assert.True(t, utf8.ValidString(typ))
	assert.Equal(t, typ, ps[0].resource["service.name"])
}

func TestSeriesExpireAndForgetTheirRoute(t *testing.T) {
	var forgotten []string
	c := New(Settings{MaxSeries: 2, SeriesTTL: 10, Forget: func(service, route string) { forgotten = append(forgotten, service+" "+route) }})
	c.Add([]Error{{Key: keyA}, {Key: keyB}}, 0)
	c.Add([]Error{{Key: keyC}}, 1) // overflow
	c.Add([]Error{{Key: keyB}}, 5)

	ps := points(t, c.Export(12, scope))
	require.Len(t, ps, 2, "A expired (nothing since 0), B counted at 5, the overflow series stays")
	assert.Equal(t, "1.1", ps[0].attrs["service.version"])
	assert.Empty(t, forgotten, "B still uses the route")
	assert.Equal(t, Stats{Counted: 4, Overflowed: 1, Expired: 1}, c.Stats())

	c.Add([]Error{{Key: keyC}}, 13)
	ps = points(t, c.Export(14, scope))
	require.Len(t, ps, 3, "room again for C")
	assert.Equal(t, pcommon.Timestamp(13), ps[0].start)

	ps = points(t, c.Export(30, scope))
	require.Len(t, ps, 1, "only the overflow series never expires")
	assert.ElementsMatch(t, []string{"shop /cart", "blog /post/{id}"}, forgotten)
	assert.Equal(t, 1, c.Len())
}

// TestConcurrentAddAndExport is for the race detector.
func TestConcurrentAddAndExport(t *testing.T) {
	c := newCounter(50)
	var wg sync.WaitGroup
	for g := range 4 {
		wg.Go(func() {
			for i := range 500 {
				c.Add([]Error{{Key: Key{Service: "s", Group: string(rune('a' + (g*7+i)%60))}, Exemplar: Exemplar{SessionID: "x"}}}, int64(i))
			}
		})
	}
	wg.Go(func() {
		for i := range 50 {
			c.Export(int64(i), scope)
		}
	})
	wg.Wait()
	var total int64
	for _, p := range points(t, c.Export(1000, scope)) {
		total += p.value
	}
	assert.Equal(t, int64(2000), total)
}
