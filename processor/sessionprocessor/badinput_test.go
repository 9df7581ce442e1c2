// Copyright The otelcol-rum Authors
// SPDX-License-Identifier: Apache-2.0

package sessionprocessor

import (
	"context"
	"fmt"
	"math"
	"strconv"
	"strings"
	"testing"
	"time"
	"unicode/utf8"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"go.opentelemetry.io/collector/pdata/pcommon"
	"go.opentelemetry.io/collector/pdata/plog"
	"go.opentelemetry.io/collector/pdata/ptrace"
	"go.opentelemetry.io/otel/attribute"
	"go.opentelemetry.io/otel/sdk/metric/metricdata"

	"github.com/otelcol-rum/otelcol-rum/processor/sessionprocessor/internal/store"
)

// softNavigations are n route changes of session s1, gap apart after a hard load (at the
// time spaLogs starts from), to a new path each, sent in batches of 100.
func softNavigations(n int, gap time.Duration, send func(batch []spaRecord)) {
	batch := []spaRecord{{event: "faro.performance.navigation", url: shop + "/", attrs: map[string]any{"rum.navigation.id": "n1"}}}
	for i := 1; i <= n; i++ {
		batch = append(batch, spaRecord{after: time.Duration(i) * gap, event: "route_change", attrs: map[string]any{"toUrl": fmt.Sprintf("%s/p/%d", shop, i)}})
		if len(batch) == 100 || i == n {
			send(batch)
			batch = batch[:0]
		}
	}
}

// requireBoundedViews fails when a session of p keeps more views than path_length + 16.
func requireBoundedViews(t *testing.T, p *sessionProcessor) {
	t.Helper()
	for _, r := range openRecords(p) {
		require.LessOrEqual(t, len(r.Pages), p.cfg.PathLength+store.MaxPageViewsKept)
	}
}

// TestThousandsOfSoftNavigations: 5,000 route changes in one session, a second apart
// and a millisecond apart, keep at most path_length + 16 views while the counts, the
// rum.view events and the path go on as for a short session.
func TestThousandsOfSoftNavigations(t *testing.T) {
	for _, gap := range []time.Duration{time.Second, time.Millisecond} {
		t.Run(gap.String(), func(t *testing.T) {
			const n = 5000
			clock := newFakeClock()
			p := startPipeline(t, testConfig(), clock, nil)
			t0 := clock.Now()
			softNavigations(n, gap, func(batch []spaRecord) {
				p.sendLogs(spaLogs(t0, batch...))
				requireBoundedViews(t, p.proc)
			})
			p.expireAfter(24 * time.Hour)

			ends := p.events("session.end")
			require.Len(t, ends, 1)
			a := ends[0].Attributes()
			assert.Equal(t, int64(n+1), attr(t, a, "session.views").Int())
			assert.Equal(t, int64(n), attr(t, a, "session.soft_views").Int())
			path := attr(t, a, "session.path").Slice().AsRaw()
			require.Len(t, path, p.cfg.PathLength)
			assert.Equal(t, "/", path[0])
			assert.Equal(t, fmt.Sprintf("/p/%d", p.cfg.PathLength-1), path[p.cfg.PathLength-1])
			assert.Equal(t, fmt.Sprintf("%s/p/%d", shop, n), attr(t, a, "session.exit_page").Str())

			views := p.events("rum.view")
			require.Len(t, views, n+1, "one rum.view per view, none lost to the bound")
			last := views[len(views)-1].Attributes()
			assert.Equal(t, int64(n), attr(t, last, "rum.view.index").Int())
			assert.True(t, attr(t, last, "rum.view.exit").Bool())
			assert.Equal(t, fmt.Sprintf("%s/p/%d", shop, n-1), attr(t, last, "rum.view.previous_url").Str())
			if gap == time.Millisecond {
				assert.InDelta(t, 1.0, attr(t, views[n/2].Attributes(), "rum.view.duration").Double(), 1e-9)
			}
		})
	}
}

// TestThousandsOfSoftNavigationsAreCounted: every one of the 5,000 navigations is counted
// in processor_session_navigations as a view.
func TestThousandsOfSoftNavigationsAreCounted(t *testing.T) {
	const n = 5000
	c, clock, tel := telemetryProcessor(t, testConfig())
	t0 := clock.Now()
	softNavigations(n, time.Millisecond, func(batch []spaRecord) {
		_, err := c.processLogs(context.Background(), spaLogs(t0, batch...))
		require.NoError(t, err)
	})
	requireBoundedViews(t, c)
	m, err := tel.GetMetric("otelcol_processor_session_navigations")
	require.NoError(t, err)
	byResult := map[string]int64{}
	for _, dp := range m.Data.(metricdata.Sum[int64]).DataPoints {
		v, _ := dp.Attributes.Value(attribute.Key("navigation_result"))
		byResult[v.AsString()] += dp.Value
	}
	assert.Equal(t, int64(n+1), byResult["view"], "the load and every route change")
	assert.Zero(t, byResult["late"]+byResult["duplicate"])
}

// absurdTargets are click targets no page should have: huge, empty, control bytes,
// invalid UTF-8 and a multi-byte rune across the cut.
func absurdTargets() map[string]string {
	return map[string]string{
		"100KB":         strings.Repeat("/div[1]", 100<<10/7),
		"empty":         "",
		"control bytes": "\x00\x01\x1b[2J\r\n\x7f" + strings.Repeat("\x00", 300),
		"invalid utf-8": strings.Repeat("\xff\xfe", 200),
		"rune at cut":   strings.Repeat("a", 255) + "€" + strings.Repeat("b", 10),
	}
}

// checkTarget asserts what rum.action.target may be: at most 256 bytes, a prefix of what
// was clicked, and whole runes where the target had them. A rage click has it when the
// target is known; an error click found at the error names no click target.
func checkTarget(t *testing.T, ev pcommon.Map, target string) {
	t.Helper()
	got, ok := ev.Get("rum.action.target")
	if target == "" || attr(t, ev, "rum.frustration.type").Str() == "error" {
		assert.False(t, ok, "no target, no attribute")
		return
	}
	require.True(t, ok)
	assert.LessOrEqual(t, len(got.Str()), 256)
	assert.True(t, strings.HasPrefix(target, got.Str()))
	assert.NotEmpty(t, got.Str())
	if utf8.ValidString(target) {
		assert.True(t, utf8.ValidString(got.Str()), "cut between runes")
	}
}

// TestAbsurdFaroTargets: four fast Faro clicks on an absurd userActionName and an error
// after them make a rage click (none without a target: an unknown target is never the
// same one) and an error click, whose rum.action.target is bounded; the forwarded actions
// are not cut.
func TestAbsurdFaroTargets(t *testing.T) {
	for name, target := range absurdTargets() {
		t.Run(name, func(t *testing.T) {
			clock := newFakeClock()
			p := startPipeline(t, testConfig(), clock, nil)
			start := clock.Now()
			var clicks []faroAction
			for i := range 4 {
				clicks = append(clicks, faroAction{target, "pointerdown", start.Add(time.Duration(i) * 150 * time.Millisecond)})
			}
			ld := faroActions("s1", clicks...)
			exc := ld.ResourceLogs().At(0).ScopeLogs().At(0).LogRecords().AppendEmpty()
			exc.SetTimestamp(pcommon.NewTimestampFromTime(start.Add(time.Second)))
			exc.SetSeverityNumber(plog.SeverityNumberError)
			exc.Attributes().PutStr("exception.type", "Error")
			p.sendLogs(ld)
			checkFrustrations(t, p, target)
			actions := 0
			for _, lr := range p.dataRecords() {
				if lr.EventName() == "faro.user.action" {
					actions++
					assert.Equal(t, target, attr(t, lr.Attributes(), "userActionName").Str(), "data passes unchanged")
				}
			}
			assert.Equal(t, 4, actions)
		})
	}
}

// checkFrustrations asserts p's rum.frustration events after four fast clicks on target
// and an error: a rage click when the target is known, an error click, bounded targets.
func checkFrustrations(t *testing.T, p *pipeline, target string) {
	t.Helper()
	types := map[string]int{}
	for _, ev := range p.events("rum.frustration") {
		types[attr(t, ev.Attributes(), "rum.frustration.type").Str()]++
		checkTarget(t, ev.Attributes(), target)
	}
	want := map[string]int{"rage": 1, "error": 1}
	if target == "" {
		delete(want, "rage")
	}
	assert.Equal(t, want, types)
}

// TestAbsurdOTelTargets: OTel click spans with an absurd target_xpath, or none and an
// absurd target_element, make a bounded rum.action.target.
func TestAbsurdOTelTargets(t *testing.T) {
	for name, target := range absurdTargets() {
		for _, key := range []string{"target_xpath", "target_element"} {
			t.Run(name+"/"+key, func(t *testing.T) {
				clock := newFakeClock()
				p := startPipeline(t, testConfig(), clock, nil)
				td := clickSpans(clock.Now(), 4, 100*time.Millisecond, func(s ptrace.Span) {
					s.Attributes().PutStr(key, target)
				})
				// the error: an exception event on the last click's span
				spans := td.ResourceSpans().At(0).ScopeSpans().At(0).Spans()
				last := spans.At(spans.Len() - 1)
				exc := last.Events().AppendEmpty()
				exc.SetName("exception")
				exc.SetTimestamp(last.StartTimestamp() + pcommon.Timestamp(100*time.Millisecond))
				exc.Attributes().PutStr("exception.type", "Error")
				require.NoError(t, p.tp.ConsumeTraces(context.Background(), td))
				checkFrustrations(t, p, target)
				assert.Equal(t, 4, p.traces.SpanCount(), "no span lost")
			})
		}
	}
}

// clickSpans are n root click spans of the OTel user-interaction instrumentation of
// session s1 on /cart, gap apart from at, each changed by edit.
func clickSpans(at time.Time, n int, gap time.Duration, edit func(ptrace.Span)) ptrace.Traces {
	td := ptrace.NewTraces()
	rs := td.ResourceSpans().AppendEmpty()
	rs.Resource().Attributes().PutStr("service.name", "shop-web-otel")
	rs.Resource().Attributes().PutStr("session.id", "s1")
	ss := rs.ScopeSpans().AppendEmpty()
	ss.Scope().SetName("@opentelemetry/instrumentation-user-interaction")
	for i := range n {
		span := ss.Spans().AppendEmpty()
		span.SetName("click")
		span.SetTraceID(pcommon.TraceID{1, byte(i)})
		span.SetSpanID(pcommon.SpanID{byte(i), 1})
		ts := pcommon.NewTimestampFromTime(at.Add(time.Duration(i) * gap))
		span.SetStartTimestamp(ts)
		span.SetEndTimestamp(ts + pcommon.Timestamp(time.Millisecond))
		span.Attributes().PutStr("event_type", "click")
		span.Attributes().PutStr("url.full", "https://shop/cart")
		edit(span)
	}
	return td
}

// TestActionsThatNeverEnd: Faro actions whose duration is huge, not a number, negative
// or no number at all, and OTel click spans that end before they start or never (end
// 0), pass through unchanged, still count as clicks and actions, and crash nothing.
func TestActionsThatNeverEnd(t *testing.T) {
	clock := newFakeClock()
	p := startPipeline(t, testConfig(), clock, nil)
	start := clock.Now()
	durations := []string{strconv.FormatFloat(math.MaxFloat64, 'g', -1, 64), "NaN", "-1", "Infinity", "soon"}
	ld := faroActions("s1")
	lrs := ld.ResourceLogs().At(0).ScopeLogs().At(0).LogRecords()
	for i, d := range durations {
		lr := lrs.AppendEmpty()
		lr.SetEventName("faro.user.action")
		lr.SetTimestamp(pcommon.NewTimestampFromTime(start.Add(time.Duration(i) * 100 * time.Millisecond)))
		lr.Attributes().PutStr("userActionName", "pay")
		lr.Attributes().PutStr("userActionTrigger", "pointerdown")
		lr.Attributes().PutStr("userActionDuration", d)
		lr.Attributes().PutStr("url.full", "https://shop/cart")
	}
	p.sendLogs(ld)
	rage := p.events("rum.frustration")
	require.Len(t, rage, 1, "five clicks on pay, whatever their durations")
	assert.Equal(t, int64(4), attr(t, rage[0].Attributes(), "rum.frustration.clicks").Int())
	var got []string
	for _, lr := range p.dataRecords() {
		got = append(got, attr(t, lr.Attributes(), "userActionDuration").Str())
	}
	assert.Equal(t, durations, got, "forwarded as they came")

	td := clickSpans(start.Add(time.Minute), 4, 200*time.Millisecond, func(s ptrace.Span) {
		s.Attributes().PutStr("target_element", "BUTTON")
		if s.SpanID()[0]%2 == 0 {
			s.SetEndTimestamp(s.StartTimestamp() - pcommon.Timestamp(time.Hour))
		} else {
			s.SetEndTimestamp(0)
		}
	})
	require.NoError(t, p.tp.ConsumeTraces(context.Background(), td))
	assert.Equal(t, 4, p.traces.SpanCount(), "no span lost")
	require.Len(t, p.events("rum.frustration"), 2, "clicks are taken at their start")
}
