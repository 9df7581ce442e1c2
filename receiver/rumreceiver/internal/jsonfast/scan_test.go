// Copyright The otelcol-rum Authors
// SPDX-License-Identifier: Apache-2.0

package jsonfast

import (
	"encoding/binary"
	"encoding/json"
	"math/rand/v2"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// readString reads body as one string value, as the fast path would.
func readString(body string) (string, bool) {
	it := Borrow([]byte(body))
	defer Return(it)
	s := String(it)
	return s, Done(it)
}

// TestStringMatchesEncodingJSON: every string the scanner takes reads as encoding/json
// reads it, escapes included; what it declines is what encoding/json refuses or would
// change (a lone surrogate becomes U+FFFD there).
func TestStringMatchesEncodingJSON(t *testing.T) {
	for _, in := range []string{
		`"plain"`, `""`, `"\"\\\/\b\f\n\r\t"`, `"caf\u00e9"`, `"café"`, `"\ud83d\ude00 smile"`,
		`"a\u0000b"`, `"tab\tin escape"`, `"long ` + strings.Repeat("x", 100) + `\n"`, ` "spaced" `,
	} {
		got, ok := readString(in)
		require.True(t, ok, in)
		var want string
		require.NoError(t, json.Unmarshal([]byte(in), &want), in)
		assert.Equal(t, want, got, in)
	}
	for _, in := range []string{
		`"\ud800"`, `"\udc00"`, `"\ud800\u0041"`, `"\ufffd"`, "\"\xff\"", "\"raw\tcontrol\"",
		`"\x"`, `"\u12"`, `"unterminated`, `"trailing\`, `"x" y`, `'single'`,
	} {
		_, ok := readString(in)
		assert.False(t, ok, in)
	}
}

// TestObjectKeys: a known key is found whether or not it is escaped, and a map's keys are
// unescaped as encoding/json unescapes them.
func TestObjectKeys(t *testing.T) {
	read := func(body string, known []string) (map[string]string, bool) {
		it := Borrow([]byte(body))
		defer Return(it)
		got := map[string]string{}
		Object(it, known, func(key string) { got[key] = String(it) })
		return got, Done(it)
	}
	got, ok := read(`{"n\u0061me":"x","other":{"deep":[1,{"a":null}]},"id":"y"}`, []string{"name", "id"})
	require.True(t, ok)
	assert.Equal(t, map[string]string{"name": "x", "id": "y"}, got)

	got, ok = read(`{"a\"b":"1","\u00e9":"2"}`, nil)
	require.True(t, ok)
	assert.Equal(t, map[string]string{`a"b`: "1", "é": "2"}, got)

	for _, in := range []string{`{"Name":"x"}`, `{"name":"x","name":"y"}`, `{"name" "x"}`, `{"name":"x",}`, `{name:"x"}`, `{"other":[1,]}`, `{"other":01}`} {
		_, ok := read(in, []string{"name"})
		assert.False(t, ok, in)
	}
}

// TestDepthIsBounded: nesting deeper than the scanner follows declines instead of
// recursing without bound.
func TestDepthIsBounded(t *testing.T) {
	deep := `{"x":` + strings.Repeat("[", maxDepth+1) + strings.Repeat("]", maxDepth+1) + `}`
	it := Borrow([]byte(deep))
	defer Return(it)
	Object(it, []string{"y"}, func(string) { t.Fatal("no known key") })
	assert.False(t, Done(it))
}

// TestInternedStringsAreStable: a string handed out before stays what it was after the
// iterator read other bodies, and a repeat is the same text.
func TestInternedStringsAreStable(t *testing.T) {
	first, ok := readString(`"browser"`)
	require.True(t, ok)
	for i := range 3 * internSlots {
		_, ok := readString(`"v` + strings.Repeat("x", i%20) + string(rune('a'+i%26)) + `"`)
		require.True(t, ok)
	}
	again, ok := readString(`"browser"`)
	require.True(t, ok)
	assert.Equal(t, "browser", first)
	assert.Equal(t, first, again)
}

// TestPlainPrefixMatchesByteByByte: the word scan of str finds the same first byte that
// needs a look as looking at the eight bytes one by one, for every byte value at every
// position, and for words of random bytes.
func TestPlainPrefixMatchesByteByByte(t *testing.T) {
	prefix := func(b []byte) int {
		for i, c := range b {
			if c == '"' || c == '\\' || c < 0x20 || c >= 0x80 {
				return i
			}
		}
		return len(b)
	}
	check := func(b []byte) {
		if got, want := plainPrefix(binary.LittleEndian.Uint64(b)), prefix(b); got != want {
			t.Fatalf("plainPrefix(%q) = %v, want %v", b, got, want)
		}
	}
	for pos := range 8 {
		for c := range 256 {
			b := []byte("abcdefgh")
			b[pos] = byte(c)
			check(b)
			b[(pos+3)%8] = '"'
			check(b)
		}
	}
	rng := rand.New(rand.NewPCG(1, 2))
	for range 200000 {
		var b [8]byte
		binary.LittleEndian.PutUint64(b[:], rng.Uint64())
		for i := range b {
			if rng.IntN(2) == 0 {
				b[i] = byte(0x20 + rng.IntN(0x60)) // mostly plain, so that every prefix length occurs
			}
		}
		check(b[:])
	}
}
