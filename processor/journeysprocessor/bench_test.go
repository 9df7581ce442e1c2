// Copyright The otelcol-rum Authors
// SPDX-License-Identifier: Apache-2.0

package journeysprocessor

import (
	"context"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
	"go.opentelemetry.io/collector/pdata/plog"
)

// benchProcessor is the processor alone, its counter warm: the cost per record of each
// kind, without the pipelines around it.
func benchProcessor(b *testing.B) *journeysProcessor {
	b.Helper()
	p, err := newJourneysProcessor(testConfig(), nopSettings())
	require.NoError(b, err)
	p.now = func() time.Time { return time.Unix(0, testNow) }
	b.Cleanup(func() { p.telemetry.tb.Shutdown() })
	return p
}

func benchLogs(b *testing.B, record func(plog.LogRecordSlice)) {
	p := benchProcessor(b)
	ld := sessionLogs(record)
	ctx := context.Background()
	b.ReportAllocs()
	for b.Loop() {
		if _, err := p.processLogs(ctx, ld); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkView: a soft view with its transition (two routes templated, three counts).
func BenchmarkView(b *testing.B) {
	benchLogs(b, viewEvent(view{index: 1, navigation: "soft", url: "https://shop.example/product/42?ref=home", previous: "https://shop.example/"}, 0))
}

func BenchmarkSessionEnd(b *testing.B) { benchLogs(b, sessionEnd(3, 1, 28)) }

func BenchmarkFrustration(b *testing.B) {
	benchLogs(b, frustrationEvent("rage", "https://shop.example/cart", 0))
}

func BenchmarkFaroAction(b *testing.B) {
	benchLogs(b, faroAction("add-to-cart", "https://shop.example/product/42", 420, 0))
}

// BenchmarkOtherRecord: a record the processor does not count (a web vital), the common
// case in a logs pipeline.
func BenchmarkOtherRecord(b *testing.B) {
	benchLogs(b, func(records plog.LogRecordSlice) {
		attrs := event(records, "browser.web_vital", 0)
		attrs.PutStr("url.full", "https://shop.example/")
	})
}

func BenchmarkInteractionSpan(b *testing.B) {
	p := benchProcessor(b)
	td := interactionSpans("https://shop.example/cart", 300*time.Millisecond)
	ctx := context.Background()
	b.ReportAllocs()
	for b.Loop() {
		if _, err := p.processTraces(ctx, td); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkExport: one emission of the shop journey's series.
func BenchmarkExport(b *testing.B) {
	p := benchProcessor(b)
	_, err := p.processLogs(context.Background(), shopJourney())
	require.NoError(b, err)
	_, err = p.processTraces(context.Background(), interactionSpans("https://shop.example/cart", time.Second))
	require.NoError(b, err)
	require.Equal(b, 17, p.counter.Export(testNow, p.scope).DataPointCount())
	b.ReportAllocs()
	for b.Loop() {
		p.counter.Export(testNow, p.scope)
	}
}
