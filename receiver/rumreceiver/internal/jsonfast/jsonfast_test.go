// Copyright The otelcol-rum Authors
// SPDX-License-Identifier: Apache-2.0

package jsonfast

import (
	"encoding/json"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
)

func TestValidNumberMatchesEncodingJSON(t *testing.T) {
	for _, n := range []string{"0", "-0", "1", "12", "1.5", "-1.5e10", "1E+2", "0.0", "00", "01", "-", "1.", ".5", "+1", "1e", "1e+", "0x1", "1_0", "Infinity", "NaN", ""} {
		assert.Equal(t, json.Valid([]byte(n)), validNumber(n), n)
	}
}

func FuzzValidNumber(f *testing.F) {
	for _, n := range []string{"0", "-1.5e10", "00", "1."} {
		f.Add(n)
	}
	f.Fuzz(func(t *testing.T, n string) {
		if strings.TrimSpace(n) != n {
			return // the iterator never hands over white space with a number
		}
		if validNumber(n) != json.Valid([]byte(n)) {
			// json.Valid also accepts other values ("true", strings); only numbers matter.
			var v any
			if json.Unmarshal([]byte(n), &v) == nil {
				if _, isNum := v.(float64); !isNum {
					return
				}
			}
			t.Fatalf("validNumber(%q) = %v, encoding/json disagrees", n, validNumber(n))
		}
	})
}

// TestFloatAndInt: null reads as 0, a number as itself, and whatever encoding/json would
// not put in a float64 or an int64 is an error, so that the fast path declines.
func TestFloatAndInt(t *testing.T) {
	// Inside an array, as numbers always are in a payload: a bare top-level number runs
	// into the end of the input, which the iterator reports as an error.
	read := func(in string, f func(*Iter)) bool {
		it := Borrow([]byte("[" + in + "]"))
		defer Return(it)
		Array(it, func() { f(it) })
		return Done(it)
	}
	for in, want := range map[string]float64{"null": 0, "1.5": 1.5, "-2e3": -2000, "7": 7} {
		var got float64
		assert.True(t, read(in, func(it *Iter) { got = Float(it) }), in)
		assert.InDelta(t, want, got, 0, in)
	}
	for _, in := range []string{`"1"`, "true", "{}", "1e400", "01"} {
		assert.False(t, read(in, func(it *Iter) { Float(it) }), in)
	}
	for in, want := range map[string]int64{"null": 0, "42": 42, "-9223372036854775808": -9223372036854775808} {
		var got int64
		assert.True(t, read(in, func(it *Iter) { got = Int(it) }), in)
		assert.Equal(t, want, got, in)
	}
	for _, in := range []string{`"1"`, "1.5", "1e2", "9223372036854775808", "[]"} {
		assert.False(t, read(in, func(it *Iter) { Int(it) }), in)
	}
}

// TestNumberAndPlainString: the text of a number or of a string without escapes, as it is
// in the body; anything else (null included) declines.
func TestNumberAndPlainString(t *testing.T) {
	read := func(in string, f func(*Iter) []byte) (string, bool) {
		it := Borrow([]byte("[" + in + "]"))
		defer Return(it)
		var got string
		Array(it, func() { got = string(f(it)) })
		return got, Done(it)
	}
	for in, want := range map[string]string{"0": "0", "-1.5e3": "-1.5e3", "1795258397684000000": "1795258397684000000"} {
		got, ok := read(in, Number)
		assert.True(t, ok, in)
		assert.Equal(t, want, got, in)
	}
	for _, in := range []string{"null", `"1"`, "01", "true", "[]"} {
		_, ok := read(in, Number)
		assert.False(t, ok, in)
	}
	for in, want := range map[string]string{`""`: "", `"8b3e4b3c"`: "8b3e4b3c", `"é"`: "é"} {
		got, ok := read(in, PlainString)
		assert.True(t, ok, in)
		assert.Equal(t, want, got, in)
	}
	for _, in := range []string{"null", "1", `"a\u0062"`, `"\n"`, `"a\"b"`, `"unterminated`} {
		_, ok := read(in, PlainString)
		assert.False(t, ok, in)
	}
}
