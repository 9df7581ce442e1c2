// Copyright The otelcol-rum Authors
// SPDX-License-Identifier: Apache-2.0

package errorgroup

import (
	"testing"

	"github.com/stretchr/testify/assert"
)

var maskCases = []struct {
	name, in, want string
}{
	{"nothing to mask", "e is undefined", "e is undefined"},
	{"numbers", "Order 1234 not found after 3.5s", "Order <n> not found after <n>.<n>s"},
	{"negative number", "index -1 out of range", "index -<n> out of range"},
	{"digits in a word", "item42 and Int32Array", "item<n> and Int<n>Array"},
	{"hex id", "session 8f3a2b9c lost, object 64b7f1e2a9c3d4e5f6a7b8c9", "session <hex> lost, object <hex>"},
	{"short hex keeps its letters", "code e89b", "code e<n>b"},
	{"0x", "at address 0x7ffd5a2c", "at address <hex>"},
	{"token", "invalid key sk_live_4eC39HqLyjWDarjtT1zdp7dc", "invalid key sk_live_<id>"},
	{"uuid", "cart 123e4567-e89b-12d3-a456-426614174000 expired", "cart <uuid> expired"},
	{"uuid after an underscore", "order_123e4567-e89b-12d3-a456-426614174000", "order_<uuid>"},
	{"url", "Failed to fetch https://api.shop.example/v2/cart/42?ts=1700000000.", "Failed to fetch <url>."},
	{"url in parentheses", "Loading chunk 834 failed. (missing: https://shop.example/static/js/834.a1b2c3.chunk.js)",
		"Loading chunk <n> failed. (missing: <url>)"},
	{"blob url", "cannot load blob:https://shop.example/0fa6f12a-f96f-41c6-b63b-2a5d3fd2420e", "cannot load <url>"},
	{"email", "no account for jane.doe+shop@mail.example.com.", "no account for <email>."},
	{"single quotes", "Cannot read properties of undefined (reading 'total')", "Cannot read properties of undefined (reading <str>)"},
	{"double quotes", `Unexpected token '<', "<!DOCTYPE "... is not valid JSON`, "Unexpected token <str>, <str>... is not valid JSON"},
	{"backquotes", "unknown element `x-cart`", "unknown element <str>"},
	{"apostrophe", "can't find 'cart' in the user's session", "can't find <str> in the user's session"},
	{"unclosed quote", "it's 'open", "it's 'open"},
	{"empty quotes", "expected '' here", "expected <str> here"},
	{"already masked", "Order <n> for <email> at <url>: <str>", "Order <n> for <email> at <url>: <str>"},
}

func TestMaskMessage(t *testing.T) {
	for _, tc := range maskCases {
		t.Run(tc.name, func(t *testing.T) {
			assert.Equal(t, tc.want, MaskMessage(tc.in))
		})
	}
}

// Two occurrences of one bug mask to the same text; two bugs do not.
func TestMaskMessageGroupsOccurrences(t *testing.T) {
	assert.Equal(t, MaskMessage("Order 1234 for a@b.example not found (id 123e4567-e89b-12d3-a456-426614174000)"),
		MaskMessage("Order 77 for c.d@e.example not found (id 00000000-0000-4000-8000-000000000001)"))
	assert.NotEqual(t, MaskMessage("Order 1234 not found"), MaskMessage("Order 1234 not paid"))
}
