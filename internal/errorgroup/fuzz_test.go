// Copyright The otelcol-rum Authors
// SPDX-License-Identifier: Apache-2.0

package errorgroup

import (
	"strings"
	"testing"

	"github.com/otelcol-rum/otelcol-rum/internal/jsstack"
)

// FuzzMaskMessage checks the promises of MaskMessage on any input: it never panics; it
// is idempotent (masking a masked message changes nothing), which is what lets a message
// that was masked once, by an SDK or a previous collector, group with the raw one; no
// digit survives it. The seeds (the table tests' messages and a few hostile ones) run as
// ordinary tests.
func FuzzMaskMessage(f *testing.F) {
	for _, tc := range maskCases {
		f.Add(tc.in)
	}
	for _, s := range []string{
		"'a'7", "7'a'", "'a''b'", "'a'x'b'", "it's 'x'", "x'a' 'b", "5a://x", "xy5aaaaaaaa-bbbb-cccc-dddd-eeeeeeeeeeee",
		"a@5", "5@a.b", "a@b.c.", "'http://x'", "http://x/'a'", "<5>", "0x", "0xg1", "\"", "``", "'''",
		strings.Repeat(" 'a", 100), strings.Repeat("a.", 100) + "@b.c", strings.Repeat("a.", 40) + "://x",
		"\xff\xfe1", "é1",
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, msg string) {
		once := MaskMessage(msg)
		if twice := MaskMessage(once); twice != once {
			t.Fatalf("MaskMessage(%q) = %q, but masking that again gives %q", msg, once, twice)
		}
		if i := strings.IndexAny(once, "0123456789"); i >= 0 {
			t.Fatalf("MaskMessage(%q) = %q keeps a digit", msg, once)
		}
	})
}

// FuzzID checks ID on any stack the parser reads: it never panics; it is 16 lower-case
// hex digits; it ignores what the package says it ignores: line and column numbers, and
// whether the message was masked already.
func FuzzID(f *testing.F) {
	f.Add("TypeError", "Order 1234 not found", "TypeError: x\n    at t.n (https://shop.example/static/js/app.3f2c1.js:1:48213)\n    at Array.forEach (<anonymous>)")
	f.Add("Error", "'a' at https://x/y", "fn/<@https://shop.example/node_modules/lib.js:1:2\n@https://shop.example/app.js:3:4")
	f.Add("", "", "")
	g, err := New(`node_modules|webpack/(bootstrap|runtime)|\bvendors?\b`, 3)
	if err != nil {
		f.Fatal(err)
	}
	f.Fuzz(func(t *testing.T, excType, message, stack string) {
		frames := jsstack.Parse(stack).Frames()
		id := g.ID(excType, message, frames)
		if len(id) != IDLen || strings.Trim(id, "0123456789abcdef") != "" {
			t.Fatalf("ID = %q: not %d lower-case hex digits", id, IDLen)
		}
		moved := make([]jsstack.Frame, len(frames))
		for i, fr := range frames {
			fr.Line, fr.Column = fr.Line+7, fr.Column+3
			moved[i] = fr
		}
		if again := g.ID(excType, MaskMessage(message), moved); again != id {
			t.Fatalf("ID = %q, but %q with the message masked and the frames moved", id, again)
		}
	})
}
