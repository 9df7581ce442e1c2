// Copyright The otelcol-rum Authors
// SPDX-License-Identifier: Apache-2.0

package jserrorsprocessor

import (
	"context"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"go.opentelemetry.io/collector/pdata/pcommon"
	"go.opentelemetry.io/collector/pdata/plog"
)

// TestBatchSharesOneTimeBudget: the exceptions of a batch share one deadline, timeout
// after the batch began, so a batch of many errors whose maps are loading waits one
// timeout, not one per error; each goes on unsymbolicated, marked timeout.
func TestBatchSharesOneTimeBudget(t *testing.T) {
	cfg := testConfig()
	cfg.Timeout = 50 * time.Millisecond
	sym := &fakeSymbolicator{waitForDeadline: true}
	h := newHarness(t, cfg, nopSettings(), fakeParts(sym))
	stack := "Error: boom\n    at f (https://shop.example/app.js:1:2)\n    at g (https://shop.example/app.js:1:9)"
	fill := exception(func(m pcommon.Map) { m.PutStr("exception.stacktrace", stack) })
	fills := []func(plog.LogRecord){fill, fill, fill, fill, fill}

	done := make(chan error, 1)
	go func() { done <- h.lp.ConsumeLogs(context.Background(), logsOf(browserResource(), fills...)) }()
	select {
	case err := <-done:
		require.NoError(t, err)
	case <-time.After(30 * time.Second): // generous: a batch must never hang on maps
		t.Fatal("the batch did not return")
	}
	h.stop()

	require.Equal(t, 5, sym.callCount())
	for _, call := range sym.calls {
		assert.Equal(t, sym.calls[0].deadline, call.deadline, "one deadline for the batch")
	}
	for _, lr := range logRecords(h.logs) {
		assert.Equal(t, "timeout", str(t, lr, "rum.exception.symbolication"))
		assert.Equal(t, stack, str(t, lr, "exception.stacktrace"), "forwarded unsymbolicated")
	}
}
