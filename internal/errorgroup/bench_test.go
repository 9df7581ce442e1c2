// Copyright The otelcol-rum Authors
// SPDX-License-Identifier: Apache-2.0

package errorgroup

import (
	"testing"

	"github.com/otelcol-rum/otelcol-rum/internal/jsstack"
)

// benchFrames is a symbolicated stack: five in-app frames under two library frames and a
// built-in, so that ID skips three before it counts five.
var benchFrames = []jsstack.Frame{
	{Function: "commitRoot", URL: "webpack://shop/./node_modules/react-dom/cjs/react-dom.production.min.js", Line: 1, Column: 2},
	{Function: "Array.forEach", URL: "<anonymous>"},
	{Function: "invokeGuarded", URL: "webpack://shop/./node_modules/react-dom/cjs/react-dom.production.min.js", Line: 3, Column: 4},
	{Function: "cartTotal", URL: "webpack://shop/./src/cart/total.js", Line: 42, Column: 7},
	{Function: "CartView.render", URL: "webpack://shop/./src/cart/CartView.jsx", Line: 30, Column: 3},
	{Function: "new Checkout", URL: "webpack://shop/./src/checkout.js", Line: 9, Column: 5},
	{URL: "https://shop.example/static/js/app.3f2c1.js?v=2", Line: 1, Column: 48213},
	{Function: "onClick", URL: "webpack://shop/./src/button.js", Line: 3, Column: 1},
	{Function: "main", URL: "webpack://shop/./src/index.js", Line: 1, Column: 1},
}

const benchMessage = "Cannot read properties of undefined (reading 'total') for order 123456 at https://shop.example/cart?id=42"

func BenchmarkID5Frames(b *testing.B) {
	g, err := New(`node_modules|webpack/(bootstrap|runtime)|\bvendors?\b`, 5)
	if err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	for b.Loop() {
		g.ID("TypeError", benchMessage, benchFrames)
	}
}

func BenchmarkMaskMessage(b *testing.B) {
	b.SetBytes(int64(len(benchMessage)))
	b.ReportAllocs()
	for b.Loop() {
		MaskMessage(benchMessage)
	}
}
