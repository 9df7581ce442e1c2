// Copyright The otelcol-rum Authors
// SPDX-License-Identifier: Apache-2.0

package jserrorsprocessor

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"go.opentelemetry.io/collector/pdata/plog"

	"github.com/otelcol-rum/otelcol-rum/internal/jsstack"
	"github.com/otelcol-rum/otelcol-rum/internal/sdkcaptures"
)

// exceptionsByMessage returns the exception records that reached the sink, by message.
func exceptionsByMessage(t *testing.T, records []plog.LogRecord) map[string]plog.LogRecord {
	t.Helper()
	out := map[string]plog.LogRecord{}
	for _, lr := range records {
		if lr.EventName() == "exception" {
			msg, _ := lr.Attributes().Get("exception.message")
			out[msg.Str()] = lr
		}
	}
	return out
}

func str(t *testing.T, lr plog.LogRecord, key string) string {
	t.Helper()
	v, ok := lr.Attributes().Get(key)
	require.True(t, ok, "no %s in %v", key, lr.Attributes().AsRaw())
	return v.Str()
}

// TestRealFaroExceptionsAreSymbolicated replays the real Faro capture with a symbolicator
// that knows some of its positions: a trace whose every frame resolved is replaced and
// the minified one kept; a trace resolved in part says so; one that nothing resolved is
// left as it came. The release and app of the lookup are the resource's.
func TestRealFaroExceptionsAreSymbolicated(t *testing.T) {
	const bundle = "http://127.0.0.1:43963/dist/faro.js"
	sym := &fakeSymbolicator{
		sources: map[string]jsstack.Frame{
			bundle + ":18315:13": {Function: "readCartTotal", URL: "webpack://shop/src/cart.js", Line: 41, Column: 9},
			bundle + ":18313:24": {Function: "loadPaymentWidget", URL: "webpack://shop/src/payment.js", Line: 7, Column: 11},
		},
		context: "    const total = cart.totals.grand; // cart.totals is undefined",
	}
	c := startChain(t, testConfig(), fakeParts(sym))
	sdkcaptures.Replay(t, c.url, "faro")
	c.stop(t)

	ex := exceptionsByMessage(t, logRecords(c.logs))
	require.Len(t, ex, 3)

	uncaught := ex["Cannot read cart total: simulated uncaught error"]
	assert.Equal(t, "Error: Cannot read cart total: simulated uncaught error\n"+
		"    at readCartTotal (webpack://shop/src/cart.js:41:9)", str(t, uncaught, "exception.stacktrace"))
	assert.Equal(t, "Error: Cannot read cart total: simulated uncaught error\n"+
		"    at checkoutButtonHandler (http://127.0.0.1:43963/dist/faro.js:18315:13)", str(t, uncaught, "rum.exception.stacktrace.minified"))
	assert.Equal(t, "symbolicated", str(t, uncaught, "rum.exception.symbolication"))
	assert.Equal(t, sym.context, str(t, uncaught, "rum.exception.context_line"))
	assert.Equal(t, fakeGrouper{}.ID("Error", "Cannot read cart total: simulated uncaught error",
		[]jsstack.Frame{{Function: "readCartTotal", URL: "webpack://shop/src/cart.js", Line: 41, Column: 9}}),
		str(t, uncaught, "rum.error.group"), "grouped by the symbolicated frames")

	partial := ex["payment widget failed to load"]
	assert.Equal(t, "partial", str(t, partial, "rum.exception.symbolication"))
	assert.Equal(t, "Error: payment widget failed to load\n"+
		"    at loadPaymentWidget (webpack://shop/src/payment.js:7:11)\n"+
		"    at async http://127.0.0.1:43963/dist/faro.js:18255:18", str(t, partial, "exception.stacktrace"),
		"the resolved frame replaced, the other kept")
	assert.NotEmpty(t, str(t, partial, "rum.exception.stacktrace.minified"))

	unresolved := ex["console.error: price service degraded: using cached price"]
	assert.Equal(t, "unresolved", str(t, unresolved, "rum.exception.symbolication"))
	assert.Contains(t, str(t, unresolved, "exception.stacktrace"), "faro.js:9961:32", "left as it came")
	for _, key := range []string{"rum.exception.stacktrace.minified", "rum.exception.context_line"} {
		_, ok := unresolved.Attributes().Get(key)
		assert.False(t, ok, key)
	}

	require.Equal(t, 3, sym.callCount())
	for _, call := range sym.calls {
		assert.Equal(t, "shop-web", call.app)
		assert.Equal(t, "1.4.2", call.release)
	}
}
