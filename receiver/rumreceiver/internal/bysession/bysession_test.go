// Copyright The otelcol-rum Authors
// SPDX-License-Identifier: Apache-2.0

package bysession

import (
	"testing"

	"github.com/open-telemetry/opentelemetry-collector-contrib/pkg/pdatatest/plogtest"
	"github.com/open-telemetry/opentelemetry-collector-contrib/pkg/pdatatest/pmetrictest"
	"github.com/open-telemetry/opentelemetry-collector-contrib/pkg/pdatatest/ptracetest"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"go.opentelemetry.io/collector/pdata/pcommon"
	"go.opentelemetry.io/collector/pdata/plog"
	"go.opentelemetry.io/collector/pdata/pmetric"
	"go.opentelemetry.io/collector/pdata/ptrace"
)

// assigned stands for the key of a resource without session.id: its app.
func assigned(res pcommon.Map) string {
	if id, ok := res.Get("session.id"); ok {
		return id.Str()
	}
	app, _ := res.Get("service.name")
	return "srv-" + app.Str()
}

func keys[T any](parts []Part[T]) []string {
	out := make([]string, len(parts))
	for i, p := range parts {
		out[i] = p.Key
	}
	return out
}

// spanData builds traces: per resource its attributes, per scope the session.id of
// each span ("" for none), spans named in order s0, s1, ...
type spanData struct {
	res    map[string]any
	scopes [][]string
}

func buildTraces(t *testing.T, resources ...spanData) ptrace.Traces {
	td := ptrace.NewTraces()
	n := 0
	for _, r := range resources {
		rs := td.ResourceSpans().AppendEmpty()
		rs.SetSchemaUrl("https://schema.example/res")
		require.NoError(t, rs.Resource().Attributes().FromRaw(r.res))
		for si, sessions := range r.scopes {
			ss := rs.ScopeSpans().AppendEmpty()
			ss.Scope().SetName("scope" + string(rune('A'+si)))
			ss.SetSchemaUrl("https://schema.example/scope")
			for _, id := range sessions {
				span := ss.Spans().AppendEmpty()
				span.SetName("s" + string(rune('0'+n)))
				n++
				if id != "" {
					span.Attributes().PutStr("session.id", id)
				}
			}
		}
	}
	return td
}

func TestOneSessionIsNotCopied(t *testing.T) {
	td := buildTraces(t, spanData{res: map[string]any{"session.id": "a"}, scopes: [][]string{{"", "a"}, {""}}})
	parts := Traces(td, assigned)
	require.Len(t, parts, 1)
	assert.Equal(t, "a", parts[0].Key)
	assert.Equal(t, td, parts[0].Data, "the request's own data, not a copy")

	ld := plog.NewLogs()
	ld.ResourceLogs().AppendEmpty().Resource().Attributes().PutStr("service.name", "shop")
	ld.ResourceLogs().At(0).ScopeLogs().AppendEmpty().LogRecords().AppendEmpty()
	lparts := Logs(ld, assigned)
	require.Len(t, lparts, 1)
	assert.Equal(t, "srv-shop", lparts[0].Key, "a resource without session.id takes the assigned key")
	assert.Equal(t, ld, lparts[0].Data)
}

// TestSpansGoToTheirSession: a span's own session.id wins over its resource's; parts come
// in the order their sessions first appear, each with the resources and scopes of its
// spans and nothing else, every span exactly once.
func TestSpansGoToTheirSession(t *testing.T) {
	td := buildTraces(t,
		spanData{res: map[string]any{"session.id": "a", "k": "r1"}, scopes: [][]string{{"", "b", ""}, {"b"}}},
		spanData{res: map[string]any{"service.name": "shop"}, scopes: [][]string{{"", "a"}}},
	)
	parts := Traces(td, assigned)
	assert.Equal(t, []string{"a", "b", "srv-shop"}, keys(parts))

	wantA := buildTraces(t,
		spanData{res: map[string]any{"session.id": "a", "k": "r1"}, scopes: [][]string{{"", ""}}},
		spanData{res: map[string]any{"service.name": "shop"}, scopes: [][]string{{"a"}}},
	)
	rename(wantA, "s0", "s2", "s5")
	wantB := buildTraces(t, spanData{res: map[string]any{"session.id": "a", "k": "r1"}, scopes: [][]string{{"b"}, {"b"}}})
	rename(wantB, "s1", "s3")
	wantShop := buildTraces(t, spanData{res: map[string]any{"service.name": "shop"}, scopes: [][]string{{""}}})
	rename(wantShop, "s4")
	// The second source scope of the first resource is scopeB: fix the expected names.
	wantB.ResourceSpans().At(0).ScopeSpans().At(1).Scope().SetName("scopeB")
	for i, want := range []ptrace.Traces{wantA, wantB, wantShop} {
		assert.NoError(t, ptracetest.CompareTraces(want, parts[i].Data), parts[i].Key)
	}
	total := 0
	for _, p := range parts {
		total += p.Data.SpanCount()
	}
	assert.Equal(t, td.SpanCount(), total)
}

// rename gives the spans of td the names, in order.
func rename(td ptrace.Traces, names ...string) {
	i := 0
	for _, rs := range td.ResourceSpans().All() {
		for _, ss := range rs.ScopeSpans().All() {
			for _, span := range ss.Spans().All() {
				span.SetName(names[i])
				i++
			}
		}
	}
}

func TestLogRecordsGoToTheirSession(t *testing.T) {
	ld := plog.NewLogs()
	rl := ld.ResourceLogs().AppendEmpty()
	rl.Resource().Attributes().PutStr("session.id", "a")
	sl := rl.ScopeLogs().AppendEmpty()
	sl.Scope().SetName("faro")
	for _, id := range []string{"", "b", ""} {
		lr := sl.LogRecords().AppendEmpty()
		lr.Body().SetStr("record of " + id)
		if id != "" {
			lr.Attributes().PutStr("session.id", id)
		}
	}
	parts := Logs(ld, assigned)
	require.Equal(t, []string{"a", "b"}, keys(parts))
	assert.Equal(t, 2, parts[0].Data.LogRecordCount())
	assert.Equal(t, 1, parts[1].Data.LogRecordCount())

	want := plog.NewLogs()
	wrl := want.ResourceLogs().AppendEmpty()
	wrl.Resource().Attributes().PutStr("session.id", "a")
	wsl := wrl.ScopeLogs().AppendEmpty()
	wsl.Scope().SetName("faro")
	lr := wsl.LogRecords().AppendEmpty()
	lr.Body().SetStr("record of b")
	lr.Attributes().PutStr("session.id", "b")
	assert.NoError(t, plogtest.CompareLogs(want, parts[1].Data))
}

// TestMetricPointsGoToTheirSession: gauge and sum points follow their own session.id;
// a histogram goes whole with its resource, as in the session processor.
func TestMetricPointsGoToTheirSession(t *testing.T) {
	md := pmetric.NewMetrics()
	rm := md.ResourceMetrics().AppendEmpty()
	rm.Resource().Attributes().PutStr("session.id", "a")
	sm := rm.ScopeMetrics().AppendEmpty()
	g := sm.Metrics().AppendEmpty()
	g.SetName("browser.web_vital")
	g.SetUnit("ms")
	points := g.SetEmptyGauge().DataPoints()
	for i, id := range []string{"b", "", "b"} {
		dp := points.AppendEmpty()
		dp.SetDoubleValue(float64(i))
		if id != "" {
			dp.Attributes().PutStr("session.id", id)
		}
	}
	s := sm.Metrics().AppendEmpty()
	s.SetName("count")
	sum := s.SetEmptySum()
	sum.SetIsMonotonic(true)
	sum.SetAggregationTemporality(pmetric.AggregationTemporalityDelta)
	sum.DataPoints().AppendEmpty().Attributes().PutStr("session.id", "c")
	h := sm.Metrics().AppendEmpty()
	h.SetName("hist")
	h.SetEmptyHistogram().DataPoints().AppendEmpty().Attributes().PutStr("session.id", "b")

	parts := Metrics(md, assigned)
	require.Equal(t, []string{"b", "a", "c"}, keys(parts))

	want := func(build func(pmetric.MetricSlice)) pmetric.Metrics {
		w := pmetric.NewMetrics()
		wrm := w.ResourceMetrics().AppendEmpty()
		wrm.Resource().Attributes().PutStr("session.id", "a")
		build(wrm.ScopeMetrics().AppendEmpty().Metrics())
		return w
	}
	wantB := want(func(ms pmetric.MetricSlice) {
		m := ms.AppendEmpty()
		m.SetName("browser.web_vital")
		m.SetUnit("ms")
		m.SetEmptyGauge()
		for _, v := range []float64{0, 2} {
			p := m.Gauge().DataPoints().AppendEmpty()
			p.SetDoubleValue(v)
			p.Attributes().PutStr("session.id", "b")
		}
	})
	wantA := want(func(ms pmetric.MetricSlice) {
		m := ms.AppendEmpty()
		m.SetName("browser.web_vital")
		m.SetUnit("ms")
		m.SetEmptyGauge().DataPoints().AppendEmpty().SetDoubleValue(1)
		h.CopyTo(ms.AppendEmpty())
	})
	wantC := want(func(ms pmetric.MetricSlice) { s.CopyTo(ms.AppendEmpty()) })
	for i, w := range []pmetric.Metrics{wantB, wantA, wantC} {
		assert.NoError(t, pmetrictest.CompareMetrics(w, parts[i].Data), parts[i].Key)
	}
}
