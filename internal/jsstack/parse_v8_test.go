// Copyright The otelcol-rum Authors
// SPDX-License-Identifier: Apache-2.0

package jsstack

import (
	"testing"

	"github.com/stretchr/testify/assert"
)

// The lines are Chromium's and Node's, from testdata/v8-captured.json (recorded by
// testdata/capture-v8.mjs) and the Faro captures; the few marked otherwise are in the
// form public bug reports show.
func TestParseV8Frames(t *testing.T) {
	const page = "http://127.0.0.1:43333/shop/index.html?q=1"
	const bundle = "http://127.0.0.1:43333/static/js/app.3f2c1.js?v=2&x=(1)"
	for _, tc := range []struct {
		name string
		line string
		want Frame
	}{
		{"named", "    at rec (" + page + ":6:32)", Frame{Function: "rec", URL: page, Line: 6, Column: 32}},
		{"anonymous", "    at " + page + ":8:26", Frame{URL: page, Line: 8, Column: 26}},
		{"constructor", "    at new Foo (" + bundle + ":2:24)", Frame{Function: "new Foo", URL: bundle, Line: 2, Column: 24}},
		{"method", "    at Widget.paint (" + bundle + ":3:65)", Frame{Function: "Widget.paint", URL: bundle, Line: 3, Column: 65}},
		{"alias", "    at Object.real [as alias] (" + page + ":10:65)", Frame{Function: "Object.real [as alias]", URL: page, Line: 10, Column: 65}},
		{"computed alias", "    at console.<computed> [as error] (http://127.0.0.1:43963/dist/faro.js:9857:27)",
			Frame{Function: "console.<computed> [as error]", URL: "http://127.0.0.1:43963/dist/faro.js", Line: 9857, Column: 27}},
		{"object anonymous", "    at Object.<anonymous> (file:///srv/app/server.js:1:22)",
			Frame{Function: "Object.<anonymous>", URL: "file:///srv/app/server.js", Line: 1, Column: 22}},
		{"async named", "    at async a2 (" + page + ":19:23)", Frame{Function: "a2", URL: page, Line: 19, Column: 23, Async: true}},
		{"async anonymous", "    at async http://127.0.0.1:43963/dist/faro.js:18255:18",
			Frame{URL: "http://127.0.0.1:43963/dist/faro.js", Line: 18255, Column: 18, Async: true}},
		{"async combinator", "    at async Promise.all (index 0)", Frame{Function: "Promise.all", URL: "index 0", Async: true}},
		{"builtin", "    at Array.forEach (<anonymous>)", Frame{Function: "Array.forEach", URL: "<anonymous>"}},
		{"builtin of older V8 (bug reports)", "    at Array.forEach (native)", Frame{Function: "Array.forEach", URL: "native"}},
		{"colon and parentheses in the path", "    at weirdFn (http://127.0.0.1:43333/static/js/chunk(1):name.js:1:28)",
			Frame{Function: "weirdFn", URL: "http://127.0.0.1:43333/static/js/chunk(1):name.js", Line: 1, Column: 28}},
		{"blob", "    at blobFn (blob:http://127.0.0.1:43333/0fa6f12a-f96f-41c6-b63b-2a5d3fd2420e:1:27)",
			Frame{Function: "blobFn", URL: "blob:http://127.0.0.1:43333/0fa6f12a-f96f-41c6-b63b-2a5d3fd2420e", Line: 1, Column: 27}},
		{"blob anonymous", "    at blob:http://127.0.0.1:43333/0fa6f12a-f96f-41c6-b63b-2a5d3fd2420e:1:82",
			Frame{URL: "blob:http://127.0.0.1:43333/0fa6f12a-f96f-41c6-b63b-2a5d3fd2420e", Line: 1, Column: 82}},
		{"windows file url", "    at handler (file:///C:/app/server.js:1:28)", Frame{Function: "handler", URL: "file:///C:/app/server.js", Line: 1, Column: 28}},
		{"node internal", "    at Script.runInContext (node:vm:149:12)", Frame{Function: "Script.runInContext", URL: "node:vm", Line: 149, Column: 12}},
		{"webpack-internal (bug reports)", "    at Module.addToCart (webpack-internal:///./src/cart.js:12:9)",
			Frame{Function: "Module.addToCart", URL: "webpack-internal:///./src/cart.js", Line: 12, Column: 9}},
		{"eval: the outer location", "    at ev (eval at evalInNamed (" + page + ":4:26), <anonymous>:1:23)",
			Frame{Function: "ev", URL: page, Line: 4, Column: 26}},
		{"eval of new Function", "    at eval (eval at <anonymous> (" + page + ":11:26), <anonymous>:3:7)",
			Frame{Function: "eval", URL: page, Line: 11, Column: 26}},
		{"nested eval", "    at eval (eval at <anonymous> (eval at <anonymous> (" + page + ":10:25)), <anonymous>:1:7)",
			Frame{Function: "eval", URL: page, Line: 10, Column: 25}},
		{"eval origin with a query (bug reports)",
			"    at $$.onStart (eval at <anonymous> (http://localhost:8080/hg/html/js/homegenie.webapp.js?version=r525:6851:25), <anonymous>:32:7)",
			Frame{Function: "$$.onStart", URL: "http://localhost:8080/hg/html/js/homegenie.webapp.js?version=r525", Line: 6851, Column: 25}},
		{"console script", "    at <anonymous>:1:7", Frame{URL: "<anonymous>", Line: 1, Column: 7}},
		{"line without column", "    at fn (https://shop.example/app.js:12)", Frame{Function: "fn", URL: "https://shop.example/app.js", Line: 12}},
		{"port is not a line", "    at fn (http://localhost:8080)", Frame{Function: "fn", URL: "http://localhost:8080"}},
		{"wasm (bug reports)", "    at fib (wasm://wasm/8c5ee4e6:wasm-function[4]:0x98)",
			Frame{Function: "fib", URL: "wasm://wasm/8c5ee4e6:wasm-function[4]:0x98"}},
		{"tab indented", "\tat fn (https://shop.example/app.js:1:2)", Frame{Function: "fn", URL: "https://shop.example/app.js", Line: 1, Column: 2}},
		{"function named async", "    at async (https://shop.example/app.js:1:2)", Frame{Function: "async", URL: "https://shop.example/app.js", Line: 1, Column: 2}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			assertOneFrame(t, tc.line, tc.want)
		})
	}
}

// Lines that look a little like V8 frames but are text: they come back unchanged.
func TestParseV8KeepsText(t *testing.T) {
	assertKeptAsText(t,
		"Error: in constructor",
		"TypeError: Cannot read properties of null (reading 'x')",
		"SyntaxError: Expected property name or '}' in JSON at position 1 (line 1 column 2)",
		"    at least one item is required (see the cart)",
		"at most 3",
		"    at fn (see below)",
		"    at ",
		"    ... 4 lines matching cause stack trace ...",
		"  [cause]: Error: upstream",
		"file:///srv/app/server.js:1",
		"                     ^",
	)
	assert.Empty(t, Parse("").Lines)
}
