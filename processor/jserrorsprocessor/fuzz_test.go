// Copyright The otelcol-rum Authors
// SPDX-License-Identifier: Apache-2.0

package jserrorsprocessor

import (
	"context"
	"regexp"
	"slices"
	"testing"
	"time"

	"go.opentelemetry.io/collector/pdata/pcommon"
)

// FuzzReadException reads whatever a browser may send as an exception with the real
// parser, store (a map deployed for the release) and grouper, without the recover that
// guards the pipeline: it must not panic, the group is always 16 hex digits, the status
// one of the documented values, and a replaced stack trace is kept as received.
func FuzzReadException(f *testing.F) {
	frames := recordedFrames(f)["esbuild"]
	for _, seed := range []string{
		v8Stack(frames),
		"Error: boom\n    at async https://shop.example/esbuild/app.js:1:39\n    at eval (eval at run (https://shop.example/esbuild/app.js:1:146), <anonymous>:1:1)",
		"t@https://shop.example/esbuild/app.js:1:39\n@https://shop.example/esbuild/app.js:1:146\nglobal code@https://shop.example/esbuild/app.js:1:201",
		"    at t (https://shop.example/esbuild/app.js:999999:99999999999999999999)",
		"    at t (https://shop.example/esbuild/app.js:-1:-1)\n    at (://:)\n@:",
		"\x00\xff\n    at \xff (https://shop.example/\xff:1:1)",
	} {
		f.Add(seed, "TypeError", "Cannot read properties of undefined (reading 'x')")
	}
	cfg := testConfig()
	cfg.Sourcemaps.Directory = deployMaps(f)
	p, err := newJSErrorsProcessor(cfg, nopSettings(), productionParts(cfg))
	if err != nil {
		f.Fatal(err)
	}
	f.Cleanup(func() { _ = p.Shutdown(context.Background()) })
	statuses := []string{"symbolicated", "partial", "unresolved", "timeout", "not_attempted"}
	group := regexp.MustCompile(`^[0-9a-f]{16}$`)

	f.Fuzz(func(t *testing.T, stack, excType, message string) {
		attrs := pcommon.NewMap()
		attrs.PutStr("exception.stacktrace", stack)
		attrs.PutStr("exception.type", excType)
		attrs.PutStr("exception.message", message)
		ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
		defer cancel()
		r := p.read(func() context.Context { return ctx }, attrs, "shop-web", "1.4.2")
		r.write(attrs)
		if !group.MatchString(r.group) {
			t.Fatalf("group %q", r.group)
		}
		if !slices.Contains(statuses, r.status) {
			t.Fatalf("status %q", r.status)
		}
		if r.stack != "" && r.minified != stack {
			t.Fatalf("the received trace was not kept: %q", r.minified)
		}
	})
}
