// Copyright The otelcol-rum Authors
// SPDX-License-Identifier: Apache-2.0

package jsstack

import (
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
)

// Canonical V8 lines come back byte for byte.
func TestFormatRoundTripsV8(t *testing.T) {
	stack := strings.Join([]string{
		"TypeError: Cannot read properties of undefined (reading 'total')",
		"    at t.n (https://shop.example/static/js/app.3f2c1.js?v=2:1:48213)",
		"    at new Cart (https://shop.example/static/js/app.3f2c1.js?v=2:1:1200)",
		"    at Object.real [as alias] (https://shop.example/static/js/app.3f2c1.js?v=2:1:99)",
		"    at Object.<anonymous> (file:///C:/app/server.js:1:22)",
		"    at Array.forEach (<anonymous>)",
		"    at https://shop.example/static/js/chunk(1):name.js:2:5",
		"    at async checkout (https://shop.example/static/js/app.3f2c1.js?v=2:1:777)",
		"    at async Promise.all (index 3)",
		"    at async https://shop.example/static/js/app.3f2c1.js?v=2:1:800",
		"    at blob:https://shop.example/0fa6f12a-f96f-41c6-b63b-2a5d3fd2420e:1:82",
		"    at fn (https://shop.example/old.js:12)",
		"    at webpack-internal:///./src/cart.js:12:9",
	}, "\n")
	assert.Equal(t, stack, Parse(stack).Format())
}

// Every frame is written V8-style whichever engine printed it; text stays as it was.
func TestFormatWritesEveryEngineAsV8(t *testing.T) {
	stack := "trace@file:///C:/example.html:9:17\n" +
		"@file:///C:/example.html line 7 > eval:1:1\n" +
		"async*handleClick@https://shop.example/app.js:1:4821\n" +
		"promiseReactionJob@[native code]\n" +
		"https://foo/assets/g-1.0.0.0.js:10:3658\n" +
		"    at ev (eval at evalInNamed (https://shop.example/index.html:4:26), <anonymous>:1:23)\n" +
		"a note that is not a frame\r\n" +
		"\n"
	want := "    at trace (file:///C:/example.html:9:17)\n" +
		"    at file:///C:/example.html:7\n" +
		"    at async handleClick (https://shop.example/app.js:1:4821)\n" +
		"    at promiseReactionJob ([native code])\n" +
		"    at https://foo/assets/g-1.0.0.0.js:10:3658\n" +
		"    at ev (https://shop.example/index.html:4:26)\n" +
		"a note that is not a frame\r\n" +
		"\n"
	assert.Equal(t, want, Parse(stack).Format())
}

func TestFormatOfFramesSetByHand(t *testing.T) {
	// What symbolication produces: frames changed after parsing.
	trace := Trace{Lines: []Line{
		{Text: "Error: boom"},
		{IsFrame: true, Frame: Frame{Function: "addToCart", URL: "src/cart.ts", Line: 42, Column: 7}},
		{IsFrame: true, Frame: Frame{URL: "src/main.ts", Line: 3}},
		{IsFrame: true, Frame: Frame{Function: "render", URL: "src/view.ts"}},
	}}
	assert.Equal(t, "Error: boom\n"+
		"    at addToCart (src/cart.ts:42:7)\n"+
		"    at src/main.ts:3\n"+
		"    at render (src/view.ts)", trace.Format())
	assert.Empty(t, Trace{}.Format())
	assert.Empty(t, Parse("").Lines)
}
