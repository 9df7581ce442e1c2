// Copyright The otelcol-rum Authors
// SPDX-License-Identifier: Apache-2.0

package jsstack

import (
	"testing"

	"github.com/stretchr/testify/assert"
)

// Firefox's lines in the form MDN's Error.prototype.stack page and public bug reports
// show them (TraceKit, stacktrace.js, sourcemapped-stacktrace, extract-stack issues).
func TestParseSpiderMonkeyFrames(t *testing.T) {
	for _, tc := range []struct {
		name string
		line string
		want Frame
	}{
		{"named", "trace@file:///C:/example.html:9:17", Frame{Function: "trace", URL: "file:///C:/example.html", Line: 9, Column: 17}},
		{"top level", "@file:///C:/example.html:21:9", Frame{URL: "file:///C:/example.html", Line: 21, Column: 9}},
		{"hashed bundle", "fx@http://localhost:1234/test.e31bb0bc.js:3290:11", Frame{Function: "fx", URL: "http://localhost:1234/test.e31bb0bc.js", Line: 3290, Column: 11}},
		{"inner anonymous", "Module.fooFunc/<@https://example.com/foo.js:531:5", Frame{Function: "Module.fooFunc/<", URL: "https://example.com/foo.js", Line: 531, Column: 5}},
		{"inferred path", "Module.bazFunc/liNode.onclick@https://example.com/foo.js:444:10",
			Frame{Function: "Module.bazFunc/liNode.onclick", URL: "https://example.com/foo.js", Line: 444, Column: 10}},
		{"brackets and quotes in the name", `parcelRequire<["fx.js"]</</<@http://localhost:1234/test.e31bb0bc.js:4219:19`,
			Frame{Function: `parcelRequire<["fx.js"]</</<`, URL: "http://localhost:1234/test.e31bb0bc.js", Line: 4219, Column: 19}},
		{"index in the name", "[2]</Raven.prototype._wrapBuiltIns/</<@http://127.0.0.1:8002/dist/raven.js:703:28",
			Frame{Function: "[2]</Raven.prototype._wrapBuiltIns/</<", URL: "http://127.0.0.1:8002/dist/raven.js", Line: 703, Column: 28}},
		{"eval", "@file:///C:/example.html line 7 > eval:1:1", Frame{URL: "file:///C:/example.html", Line: 7}},
		{"nested eval", "@file:///C:/example.html line 7 > eval line 1 > eval:1:1", Frame{URL: "file:///C:/example.html", Line: 7}},
		{"new Function", "anonymous@file:///C:/example.html line 7 > Function:1:1", Frame{Function: "anonymous", URL: "file:///C:/example.html", Line: 7}},
		{"new Function in a library", "fn@http://localhost:3000/vendor.js line 63291 > Function:4:271",
			Frame{Function: "fn", URL: "http://localhost:3000/vendor.js", Line: 63291}},
		{"async cause", "async*handleClick@https://shop.example/assets/app.3f2c1.js:1:4821",
			Frame{Function: "handleClick", URL: "https://shop.example/assets/app.3f2c1.js", Line: 1, Column: 4821, Async: true}},
		{"timer cause", "setTimeout handler*tick@https://shop.example/app.js:3:9",
			Frame{Function: "tick", URL: "https://shop.example/app.js", Line: 3, Column: 9, Async: true}},
		{"at sign in the url", "render@https://esm.sh/@preact/signals-core@1.5.0/es2022/signals-core.mjs:1:2048",
			Frame{Function: "render", URL: "https://esm.sh/@preact/signals-core@1.5.0/es2022/signals-core.mjs", Line: 1, Column: 2048}},
		{"anonymous with at sign in the url", "@https://esm.sh/@preact/signals-core@1.5.0/x.mjs:1:20",
			Frame{URL: "https://esm.sh/@preact/signals-core@1.5.0/x.mjs", Line: 1, Column: 20}},
		{"webpack-internal", "addToCart@webpack-internal:///./src/cart.js:12:9", Frame{Function: "addToCart", URL: "webpack-internal:///./src/cart.js", Line: 12, Column: 9}},
		{"blob", "worker@blob:https://shop.example/5b1c1f0e-4f1e-4b8e-9d53-2a5f3c3e9a10:2:5",
			Frame{Function: "worker", URL: "blob:https://shop.example/5b1c1f0e-4f1e-4b8e-9d53-2a5f3c3e9a10", Line: 2, Column: 5}},
		{"extension", "inject@moz-extension://2b4c8c56-1f0f-4f8e-a0a8-6d2cbd3b5c4e/content.js:10:3",
			Frame{Function: "inject", URL: "moz-extension://2b4c8c56-1f0f-4f8e-a0a8-6d2cbd3b5c4e/content.js", Line: 10, Column: 3}},
		{"line only (Firefox before 30)", "b@file:///C:/example.html:16", Frame{Function: "b", URL: "file:///C:/example.html", Line: 16}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			assertOneFrame(t, tc.line, tc.want)
		})
	}
}

// Safari's lines in the form WebKit's bug tracker and public issues show them.
func TestParseJavaScriptCoreFrames(t *testing.T) {
	for _, tc := range []struct {
		name string
		line string
		want Frame
	}{
		{"named", "registerCreateHandler@https://foo/assets/g-1.0.0.0.js:25:21769",
			Frame{Function: "registerCreateHandler", URL: "https://foo/assets/g-1.0.0.0.js", Line: 25, Column: 21769}},
		{"location alone", "https://foo/assets/g-1.0.0.0.js:10:3658", Frame{URL: "https://foo/assets/g-1.0.0.0.js", Line: 10, Column: 3658}},
		{"native", "promiseReactionJob@[native code]", Frame{Function: "promiseReactionJob", URL: "[native code]"}},
		{"native anonymous", "@[native code]", Frame{URL: "[native code]"}},
		{"global code", "global code@https://shop.example/index.html:6:24", Frame{Function: "global code", URL: "https://shop.example/index.html", Line: 6, Column: 24}},
		{"module code", "module code@https://shop.example/app.mjs:1:8", Frame{Function: "module code", URL: "https://shop.example/app.mjs", Line: 1, Column: 8}},
		{"relative url", "global code@app/index.js:6:24", Frame{Function: "global code", URL: "app/index.js", Line: 6, Column: 24}},
		{"async stack trace", "async two@./test.js:2:35", Frame{Function: "two", URL: "./test.js", Line: 2, Column: 35, Async: true}},
		{"windows file url alone", "file:///C:/app/index.html:3:14", Frame{URL: "file:///C:/app/index.html", Line: 3, Column: 14}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			assertOneFrame(t, tc.line, tc.want)
		})
	}
}

func TestParseAtSignKeepsText(t *testing.T) {
	assertKeptAsText(t,
		"Error: invalid address a@b.example:1:2",
		"contact support@shop.example",
		"makeStack@",
		"global code",
		"eval code",
		"@",
		"fn@https://shop.example/app.js", // no position: nothing to resolve
		"app.js:1:2",                     // no scheme
		"https://shop.example/app.js:12", // a location alone needs a column
		"see https://shop.example/app.js:1:2",
	)
}

func assertOneFrame(t *testing.T, line string, want Frame) {
	t.Helper()
	got := Parse(line)
	if assert.Len(t, got.Lines, 1) {
		assert.True(t, got.Lines[0].IsFrame, "not read as a frame")
		assert.Equal(t, want, got.Lines[0].Frame)
	}
}

func assertKeptAsText(t *testing.T, lines ...string) {
	t.Helper()
	for _, line := range lines {
		got := Parse(line)
		if assert.Len(t, got.Lines, 1, line) {
			assert.Equal(t, Line{Text: line}, got.Lines[0], line)
		}
	}
}
