// Copyright The otelcol-rum Authors
// SPDX-License-Identifier: Apache-2.0

package jserrorsprocessor

import (
	"context"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"go.opentelemetry.io/collector/pdata/pcommon"
	"go.opentelemetry.io/collector/pdata/plog"
	"go.uber.org/zap"
	"go.uber.org/zap/zapcore"
	"go.uber.org/zap/zaptest/observer"

	"github.com/otelcol-rum/otelcol-rum/internal/jsstack"
)

// exception returns a filler of an exception record whose stack trace is set by stack.
func exception(stack func(pcommon.Map)) func(plog.LogRecord) {
	return func(lr plog.LogRecord) {
		lr.SetEventName("exception")
		lr.SetSeverityNumber(plog.SeverityNumberError)
		lr.Attributes().PutStr("exception.type", "Error")
		lr.Attributes().PutStr("exception.message", "boom")
		stack(lr.Attributes())
	}
}

// TestBadStackTracesGoOnAndCount: whatever the stack trace is, the record goes on with
// its stack trace as it came, is counted, and says that nothing was symbolicated.
func TestBadStackTracesGoOnAndCount(t *testing.T) {
	sym := &fakeSymbolicator{}
	h := newHarness(t, testConfig(), nopSettings(), fakeParts(sym))
	cases := map[string]func(pcommon.Map){
		"no stack trace": func(pcommon.Map) {},
		"empty":          func(m pcommon.Map) { m.PutStr("exception.stacktrace", "") },
		"a number":       func(m pcommon.Map) { m.PutInt("exception.stacktrace", 42) },
		"a map":          func(m pcommon.Map) { m.PutEmptyMap("exception.stacktrace").PutStr("frames", "x") },
		"no frame":       func(m pcommon.Map) { m.PutStr("exception.stacktrace", "Error: boom\nsomething else\n\x00\xff") },
		"frames without url": func(m pcommon.Map) {
			m.PutStr("exception.stacktrace", "Error: boom\n    at Array.forEach (<anonymous>)\n    at native")
		},
		"huge line": func(m pcommon.Map) { m.PutStr("exception.stacktrace", "Error: "+strings.Repeat("(at :", 200_000)) },
	}
	var fills []func(plog.LogRecord)
	want := map[string]any{}
	for name, stack := range cases {
		fills = append(fills, func(lr plog.LogRecord) {
			exception(stack)(lr)
			lr.Attributes().PutStr("case", name)
			v, ok := lr.Attributes().Get("exception.stacktrace")
			if ok {
				want[name] = v.AsRaw()
			}
		})
	}
	require.NoError(t, h.lp.ConsumeLogs(context.Background(), logsOf(browserResource(), fills...)))
	h.stop()

	records := logRecords(h.logs)
	require.Len(t, records, len(cases), "every record went on")
	for _, lr := range records {
		name := str(t, lr, "case")
		v, ok := lr.Attributes().Get("exception.stacktrace")
		if w, had := want[name]; had {
			require.True(t, ok, name)
			assert.Equal(t, w, v.AsRaw(), "%s: the stack trace as it came", name)
		} else {
			assert.False(t, ok, name)
		}
		assert.Equal(t, "not_attempted", str(t, lr, "rum.exception.symbolication"), name)
		assert.Regexp(t, groupID, str(t, lr, "rum.error.group"), name)
	}
	assert.LessOrEqual(t, sym.callCount(), 2, "only the traces with a frame were looked up")
	var total int64
	for _, p := range errorPoints(t, h.metrics) {
		total += p.IntValue()
	}
	assert.Equal(t, int64(len(cases)), total)
}

// TestPanickingSymbolicationLosesNothing: a bug that hostile input finds in the reading
// of an exception costs that exception its reading, logged once, never the record or the
// collector.
func TestPanickingSymbolicationLosesNothing(t *testing.T) {
	core, logs := observer.New(zapcore.ErrorLevel)
	set := nopSettings()
	set.Logger = zap.New(core)
	h := newHarness(t, testConfig(), set, fakeParts(&fakeSymbolicator{panics: true}))
	stack := "Error: boom\n    at f (https://shop.example/app.js:1:2)"
	fill := exception(func(m pcommon.Map) { m.PutStr("exception.stacktrace", stack) })
	require.NotPanics(t, func() {
		require.NoError(t, h.lp.ConsumeLogs(context.Background(), logsOf(browserResource(), fill, fill)))
		require.NoError(t, h.lp.ConsumeLogs(context.Background(), logsOf(browserResource(), fill)))
	})
	h.stop()

	records := logRecords(h.logs)
	require.Len(t, records, 3)
	for _, lr := range records {
		assert.Equal(t, map[string]any{"exception.type": "Error", "exception.message": "boom", "exception.stacktrace": stack},
			lr.Attributes().AsRaw(), "left as it came")
	}
	assert.Equal(t, 1, logs.FilterMessageSnippet("reading an exception failed").Len(), "logged once")
	var total int64
	for _, p := range errorPoints(t, h.metrics) {
		total += p.IntValue()
	}
	assert.Equal(t, int64(3), total, "still counted")
}

// TestOnlyBrowserErrorsAreRead: a backend's error logs in the same pipeline are neither
// read nor counted; browser data is told by telemetry.sdk.language=webjs or a session.
func TestOnlyBrowserErrorsAreRead(t *testing.T) {
	sym := &fakeSymbolicator{}
	h := newHarness(t, testConfig(), nopSettings(), fakeParts(sym))
	stack := "Error: boom\n    at f (/srv/app/server.js:10:2)"
	backend := pcommon.NewResource()
	backend.Attributes().PutStr("service.name", "checkout-api")
	backend.Attributes().PutStr("telemetry.sdk.language", "nodejs")
	fill := exception(func(m pcommon.Map) { m.PutStr("exception.stacktrace", stack) })
	require.NoError(t, h.lp.ConsumeLogs(context.Background(), logsOf(backend, fill)))
	withSession := logsOf(backend, func(lr plog.LogRecord) {
		fill(lr)
		lr.Attributes().PutStr("session.id", "s-1") // propagated from the browser
	})
	require.NoError(t, h.lp.ConsumeLogs(context.Background(), withSession))
	h.stop()

	records := logRecords(h.logs)
	require.Len(t, records, 2)
	_, read := records[0].Attributes().Get("rum.error.group")
	assert.False(t, read, "a backend's error is not a browser's")
	assert.Equal(t, "not_attempted", str(t, records[1], "rum.exception.symbolication"), "an error of a session is read (a server path has no map)")
	points := errorPoints(t, h.metrics)
	require.Len(t, points, 1)
	assert.Equal(t, "checkout-api", points[0].resource["service.name"])
	assert.Equal(t, int64(1), points[0].IntValue())
}

// TestSymbolicatedBeforeIsNotLookedUpAgain: an exception an earlier jserrors processor
// (an agent's) made readable keeps its reading; its group is the same from its frames.
func TestSymbolicatedBeforeIsNotLookedUpAgain(t *testing.T) {
	sym := &fakeSymbolicator{}
	h := newHarness(t, testConfig(), nopSettings(), fakeParts(sym))
	source := "Error: boom\n    at readCart (webpack://shop/src/cart.js:4:2)"
	require.NoError(t, h.lp.ConsumeLogs(context.Background(), logsOf(browserResource(), exception(func(m pcommon.Map) {
		m.PutStr("exception.stacktrace", source)
		m.PutStr("rum.exception.stacktrace.minified", "Error: boom\n    at a (https://shop.example/app.js:1:2)")
		m.PutStr("rum.exception.symbolication", "symbolicated")
	}))))
	h.stop()
	assert.Zero(t, sym.callCount())
	lr := logRecords(h.logs)[0]
	assert.Equal(t, source, str(t, lr, "exception.stacktrace"))
	assert.Equal(t, "symbolicated", str(t, lr, "rum.exception.symbolication"))
	assert.Equal(t, fakeGrouper{}.ID("Error", "boom", []jsstack.Frame{{Function: "readCart", URL: "webpack://shop/src/cart.js", Line: 4, Column: 2}}),
		str(t, lr, "rum.error.group"))
}
