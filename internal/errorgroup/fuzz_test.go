// Copyright The otelcol-rum Authors
// SPDX-License-Identifier: Apache-2.0

package errorgroup

import (
	"strings"
	"testing"
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
