// Copyright The otelcol-rum Authors
// SPDX-License-Identifier: Apache-2.0

package sessionprocessor

import (
	"context"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"go.opentelemetry.io/collector/pdata/pcommon"
	"go.opentelemetry.io/collector/pdata/plog"
	"go.opentelemetry.io/collector/pdata/ptrace"
)

// faroAction is a Faro user action named name, started by trigger at.
type faroAction struct {
	name, trigger string
	at            time.Time
}

// faroActions is a Faro payload of user actions of one session, on /cart.
func faroActions(sessionID string, actions ...faroAction) plog.Logs {
	ld := sessionLogs(sessionID)
	sl := ld.ResourceLogs().At(0).ScopeLogs().At(0)
	for _, a := range actions {
		lr := sl.LogRecords().AppendEmpty()
		lr.SetEventName("faro.user.action")
		lr.SetTimestamp(pcommon.NewTimestampFromTime(a.at))
		attrs := lr.Attributes()
		attrs.PutStr("userActionName", a.name)
		attrs.PutStr("userActionTrigger", a.trigger)
		attrs.PutStr("url.full", "https://shop/cart")
	}
	return ld
}

// TestRestartKeepsAHalfFinishedBurst: two fast clicks before a restart and two after it
// make one rage click: the detector's state went into storage with the session.
func TestRestartKeepsAHalfFinishedBurst(t *testing.T) {
	dir := t.TempDir()
	clock := newFakeClock()
	start := clock.Now()
	click := func(ms int) faroAction {
		return faroAction{"apply-coupon", "pointerdown", start.Add(time.Duration(ms) * time.Millisecond)}
	}
	cfg := testConfig()
	cfg.Storage = &storageID
	host, stopStorage := startFileStorage(t, dir)
	first := startPipeline(t, cfg, clock, host)
	first.sendLogs(faroActions("s1", click(0), click(150)))
	first.stop()
	stopStorage()
	assert.Empty(t, first.events("rum.frustration"), "two clicks are no rage click yet")

	cfg2 := testConfig()
	cfg2.Storage = &storageID
	host2, stopStorage2 := startFileStorage(t, dir)
	defer stopStorage2()
	second := startPipeline(t, cfg2, clock, host2)
	second.sendLogs(faroActions("s1", click(300), click(450)))
	rage := second.events("rum.frustration")
	require.Len(t, rage, 1, "the burst went on across the restart")
	a := rage[0].Attributes()
	assert.Equal(t, "rage", attr(t, a, "rum.frustration.type").Str())
	assert.Equal(t, int64(4), attr(t, a, "rum.frustration.clicks").Int())
	assert.Equal(t, "s1", attr(t, a, "session.id").Str())
	assert.Equal(t, "https://shop/cart", attr(t, a, "url.full").Str(), "no view: the click's page")
	res := second.logs.AllLogs()[len(second.logs.AllLogs())-1].ResourceLogs().At(0).Resource().Attributes()
	assert.Equal(t, "shop-web", attr(t, res, "service.name").Str(), "under the session's resource")
	second.expireAfter(16 * time.Minute)
	assertFrustratedSummary(t, second, 1)
}

// TestKeyTriggeredActionsMakeNoRage: Faro actions started by a key or the API are no
// clicks; one is followed by an error all the same.
func TestKeyTriggeredActionsMakeNoRage(t *testing.T) {
	clock := newFakeClock()
	p := startPipeline(t, testConfig(), clock, nil)
	start := clock.Now()
	var actions []faroAction
	for i := range 5 {
		actions = append(actions, faroAction{"search", "keydown", start.Add(time.Duration(i) * 100 * time.Millisecond)})
	}
	ld := faroActions("s1", actions...)
	exc := ld.ResourceLogs().At(0).ScopeLogs().At(0).LogRecords().AppendEmpty()
	exc.SetTimestamp(pcommon.NewTimestampFromTime(start.Add(600 * time.Millisecond)))
	exc.SetSeverityNumber(plog.SeverityNumberError)
	exc.Attributes().PutStr("exception.type", "Error")
	exc.Attributes().PutStr("exception.message", "boom")
	p.sendLogs(ld)
	got := p.events("rum.frustration")
	require.Len(t, got, 1)
	assert.Equal(t, "error", attr(t, got[0].Attributes(), "rum.frustration.type").Str())
	p.expireAfter(16 * time.Minute)
	assertFrustratedSummary(t, p, 1)
}

// TestIgnoredInputsAreCounted: the same click sent twice, and a click far older than the
// session's newest, are ignored and counted by why.
func TestIgnoredInputsAreCounted(t *testing.T) {
	c, clock, tel := telemetryProcessor(t, testConfig())
	start := clock.Now()
	ctx := context.Background()
	same := faroAction{"pay", "pointerdown", start}
	_, _ = c.processLogs(ctx, faroActions("s1", same, same))
	_, _ = c.processLogs(ctx, faroActions("s1", faroAction{"pay", "pointerdown", start.Add(time.Minute)}))
	_, _ = c.processLogs(ctx, faroActions("s1", faroAction{"pay", "pointerdown", start.Add(time.Second)}))
	assert.Equal(t, int64(2), counter(t, tel, "otelcol_processor_session_frustration_ignored_inputs"), "a duplicate and a late click")
}

// TestOnlyRootClickSpansAreClicks: the child spans of a click (one per listener) do not
// count as clicks: four clicks of three spans each make one rage click of four.
func TestOnlyRootClickSpansAreClicks(t *testing.T) {
	clock := newFakeClock()
	p := startPipeline(t, testConfig(), clock, nil)
	td := ptrace.NewTraces()
	rs := td.ResourceSpans().AppendEmpty()
	rs.Resource().Attributes().PutStr("service.name", "shop-web-otel")
	rs.Resource().Attributes().PutStr("session.id", "s1")
	ss := rs.ScopeSpans().AppendEmpty()
	ss.Scope().SetName("@opentelemetry/instrumentation-user-interaction")
	for i := range 4 {
		at := pcommon.NewTimestampFromTime(clock.Now().Add(time.Duration(i) * 200 * time.Millisecond))
		var parent pcommon.SpanID
		for j := range 3 {
			span := ss.Spans().AppendEmpty()
			span.SetName("click")
			span.SetSpanID(pcommon.SpanID{byte(i), byte(j), 1})
			span.SetParentSpanID(parent)
			parent = span.SpanID()
			span.SetStartTimestamp(at + pcommon.Timestamp(j))
			span.SetEndTimestamp(at + pcommon.Timestamp(j+1))
			span.Attributes().PutStr("event_type", "click")
			span.Attributes().PutStr("target_element", "BUTTON")
			span.Attributes().PutStr("url.full", "https://shop/cart")
		}
	}
	require.NoError(t, p.tp.ConsumeTraces(context.Background(), td))
	got := p.events("rum.frustration")
	require.Len(t, got, 1)
	a := got[0].Attributes()
	assert.Equal(t, int64(4), attr(t, a, "rum.frustration.clicks").Int())
	assert.Equal(t, "BUTTON", attr(t, a, "rum.action.target").Str(), "no XPath: the element")
}
