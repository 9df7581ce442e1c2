// Copyright The otelcol-rum Authors
// SPDX-License-Identifier: Apache-2.0

package jserrorsprocessor

import (
	"context"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
	"go.opentelemetry.io/collector/component/componenttest"
	"go.opentelemetry.io/collector/pdata/pcommon"
	"go.opentelemetry.io/collector/pdata/plog"
)

// benchProcessor is a started processor with the real store and grouper, its maps in a
// directory, and nothing after it.
func benchProcessor(b *testing.B) *jserrorsProcessor {
	b.Helper()
	cfg := testConfig()
	cfg.Sourcemaps.Directory = deployMaps(b)
	cfg.Timeout = 30 * time.Second
	p, err := newJSErrorsProcessor(cfg, nopSettings(), productionParts(cfg))
	require.NoError(b, err)
	require.NoError(b, p.Start(context.Background(), componenttest.NewNopHost()))
	b.Cleanup(func() { require.NoError(b, p.Shutdown(context.Background())) })
	return p
}

// benchRecord is one Faro-shaped exception record of the esbuild bundle's bug, its stack
// repeated to depth frames (whole repeats of the three recorded frames).
func benchRecord(b *testing.B, depth int) (plog.Logs, pcommon.Map, string) {
	b.Helper()
	frames := recordedFrames(b)["esbuild"]
	stack := v8Stack(frames)
	for n := len(frames); n < depth; n += len(frames) {
		stack += "\n" + strings.SplitN(v8Stack(frames), "\n", 2)[1]
	}
	res := pcommon.NewResource()
	res.Attributes().PutStr("service.name", "shop-web")
	res.Attributes().PutStr("service.version", "1.4.2")
	res.Attributes().PutStr("deployment.environment.name", "prod")
	res.Attributes().PutStr("telemetry.sdk.language", "webjs")
	res.Attributes().PutStr("session.id", "E89GPT6epD")
	ld := logsOf(res, func(lr plog.LogRecord) {
		exception(func(m pcommon.Map) { m.PutStr("exception.stacktrace", stack) })(lr)
		lr.Attributes().PutStr("url.full", "https://shop.example/product/42?ref=home")
		lr.SetTraceID(pcommon.TraceID{1, 2, 3})
		lr.SetSpanID(pcommon.SpanID{4, 5, 6})
	})
	attrs := ld.ResourceLogs().At(0).ScopeLogs().At(0).LogRecords().At(0).Attributes()
	return ld, attrs, stack
}

// BenchmarkExceptionRecordWarmCache is the processor's work on one exception record whose
// map is cached: parse, symbolicate, format, group, annotate, template the route and
// count. The record is put back as received between iterations (two attribute writes).
func BenchmarkExceptionRecordWarmCache(b *testing.B) {
	for _, depth := range []int{3, 30} {
		b.Run(fmt.Sprintf("frames=%d", depth), func(b *testing.B) {
			p := benchProcessor(b)
			ld, attrs, stack := benchRecord(b, depth)
			ctx := context.Background()
			_, err := p.processLogs(ctx, ld) // loads the map: the cache is warm from here
			require.NoError(b, err)
			sym, _ := attrs.Get("rum.exception.symbolication")
			require.Equal(b, "symbolicated", sym.Str())
			b.ReportAllocs()
			b.ResetTimer()
			for b.Loop() {
				attrs.PutStr("exception.stacktrace", stack)
				attrs.Remove("rum.exception.stacktrace.minified")
				if _, err := p.processLogs(ctx, ld); err != nil {
					b.Fatal(err)
				}
			}
			b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N)/float64(depth), "ns/frame")
		})
	}
}

// BenchmarkErrorRecordCounted is an error log that is no exception: grouped by its
// message and counted, no stack trace to read.
func BenchmarkErrorRecordCounted(b *testing.B) {
	p := benchProcessor(b)
	ld := logsOf(browserResource(), func(lr plog.LogRecord) {
		lr.SetSeverityNumber(plog.SeverityNumberError)
		lr.Body().SetStr("console.error: price service degraded for product 42")
		lr.Attributes().PutStr("url.full", "https://shop.example/product/42")
	})
	ctx := context.Background()
	b.ReportAllocs()
	for b.Loop() {
		if _, err := p.processLogs(ctx, ld); err != nil {
			b.Fatal(err)
		}
	}
}
