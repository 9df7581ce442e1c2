// Copyright The otelcol-rum Authors
// SPDX-License-Identifier: Apache-2.0

package errorgroup

import (
	"testing"

	"github.com/stretchr/testify/assert"
)

func TestFileAsCounted(t *testing.T) {
	for _, tc := range []struct{ url, want string }{
		{"https://shop.example/static/js/app.3f2c1.js?v=2#x", "/static/js/app.js"},
		{"https://cdn.example:8443/static/js/app.9ab01.js", "/static/js/app.js"},
		{"https://shop.example/static/js/main.3f2c1d9e.chunk.js", "/static/js/main.chunk.js"},
		{"https://shop.example/static/js/834.a1b2c3.chunk.js", "/static/js/chunk.js"},
		{"https://shop.example/assets/index-5XJ2KQ3A.js", "/assets/index.js"},
		{"https://shop.example/assets/index-B1xT3k9a.js", "/assets/index.js"},
		{"https://shop.example/static/js/vendors~main.9ab01.chunk.js", "/static/js/vendors~main.chunk.js"},
		{"https://shop.example/_next/static/chunks/pages/checkout-3f2c1d9e8a7b6c5d.js", "/_next/static/chunks/pages/checkout.js"},
		{"https://shop.example/assets/g-1.0.0.0.js", "/assets/g.js"},
		{"blob:https://shop.example/0fa6f12a-f96f-41c6-b63b-2a5d3fd2420e", "/"},
		{"webpack://shop/./src/cart.js", "/./src/cart.js"},
		{"webpack-internal:///./src/cart.js", "/./src/cart.js"},
		{"../src/components/CartView.tsx", "../src/components/CartView.tsx"},
		{"src/utils/date-format.ts", "src/utils/date-format.ts"},
		{"https://shop.example", ""},
		{"file:///C:/app/index.html", "/C:/app/index.html"},
	} {
		assert.Equal(t, tc.want, string(appendFile(nil, tc.url)), tc.url)
	}
}

func TestFunctionAsCounted(t *testing.T) {
	for _, tc := range []struct{ fn, want string }{
		{"addToCart", "addToCart"},
		{"new Cart", "Cart"},
		{"Object.real [as alias]", "Object.real"},
		{"console.<computed> [as error]", "console.<computed>"},
		{"Module.fooFunc/<", "Module.fooFunc"},
		{"fn</</<", "fn"},
		{"?", ""},
		{"<anonymous>", ""},
		{"Object.<anonymous>", "Object.<anonymous>"},
		{"", ""},
	} {
		assert.Equal(t, tc.want, string(appendFunction(nil, tc.fn)), tc.fn)
	}
}
