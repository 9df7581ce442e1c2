// Copyright The otelcol-rum Authors
// SPDX-License-Identifier: Apache-2.0

package jsonfast // import "github.com/otelcol-rum/otelcol-rum/receiver/rumreceiver/internal/jsonfast"

import (
	"encoding/binary"
	"math/bits"
	"unicode/utf8"
)

// The scanner: tokens straight off the body, strictly by the JSON grammar. Whatever it
// does not take exactly as encoding/json would (a lone surrogate, say) fails the read, and
// the caller takes its encoding/json path.

// maxDepth bounds the nesting the scanner follows. encoding/json allows 10000; deeper
// bodies than this are not Faro payloads and only decline to the exact path.
const maxDepth = 512

// peek skips white space and returns the next byte without taking it; 0 at the end (a
// NUL byte in the body is no JSON either, and every caller fails on it).
func (it *Iter) peek() byte {
	for it.pos < len(it.buf) {
		switch c := it.buf[it.pos]; c {
		case ' ', '\t', '\n', '\r':
			it.pos++
		default:
			return c
		}
	}
	return 0
}

// expect takes the next byte if it is c, and fails otherwise.
func (it *Iter) expect(c byte) bool {
	if it.peek() != c {
		it.fail()
		return false
	}
	it.pos++
	return true
}

// literal takes the word w (true, false, null) at the current position.
func (it *Iter) literal(w string) {
	if len(it.buf)-it.pos < len(w) || string(it.buf[it.pos:it.pos+len(w)]) != w {
		it.fail()
		return
	}
	it.pos += len(w)
}

// enter and leave count the nesting of objects and arrays.
func (it *Iter) enter() bool {
	it.depth++
	if it.depth > maxDepth {
		it.fail()
		return false
	}
	return true
}

func (it *Iter) leave() { it.depth-- }

// str reads the string at the current position (its opening quote) and returns its text:
// the body's own bytes when it has no escape, else the unescaped text in the iterator's
// scratch buffer, valid until the next string is read. ascii is true when every
// character is ASCII, so that the text needs no UTF-8 check.
func (it *Iter) str() (text []byte, ascii bool) {
	start := it.pos + 1
	ascii = true
	for i := start; i < len(it.buf); i++ {
		// Eight bytes at a time, straight to the first that needs a look: user agents,
		// URLs and ids are long runs of plain ASCII.
		for i+8 <= len(it.buf) {
			n := plainPrefix(binary.LittleEndian.Uint64(it.buf[i:]))
			i += n
			if n < 8 {
				break
			}
		}
		if i == len(it.buf) {
			break
		}
		switch c := it.buf[i]; {
		case c == '"':
			it.pos = i + 1
			return it.buf[start:i], ascii
		case c == '\\':
			return it.unescape(start, i, ascii)
		case c < 0x20:
			it.fail() // a raw control character
			return nil, false
		case c >= utf8.RuneSelf:
			ascii = false
		}
	}
	it.fail() // unterminated
	return nil, false
}

// Bytes of a word, for plainPrefix.
const (
	eachByte = 0x0101010101010101
	highBits = 0x8080808080808080
)

// plainPrefix is how many of the eight bytes of w (in memory order) come before the first
// that ends a string or needs a look: a quote, a backslash, a control character, a byte
// beyond ASCII. A byte is zero in w^(eachByte*c) where it is c, and (v-eachByte)&^v&highBits
// flags the zero bytes of v; likewise (w-eachByte*0x20)&^w&highBits the bytes below 0x20.
// The borrow of a flagged byte can flag a byte above it too, never one below, so the
// lowest flag is exact.
func plainPrefix(w uint64) int {
	quote := w ^ (eachByte * '"')
	backslash := w ^ (eachByte * '\\')
	special := ((quote-eachByte)&^quote | (backslash-eachByte)&^backslash | (w-eachByte*0x20)&^w | w) & highBits
	return bits.TrailingZeros64(special) / 8
}

// unescape continues str from the first backslash at i, writing the text into scratch.
func (it *Iter) unescape(start, i int, ascii bool) ([]byte, bool) {
	out := append(it.scratch[:0], it.buf[start:i]...)
	defer func() { it.scratch = out[:0] }()
	for i < len(it.buf) {
		c := it.buf[i]
		switch {
		case c == '"':
			it.pos = i + 1
			return out, ascii
		case c < 0x20:
			it.fail()
			return nil, false
		case c != '\\':
			if c >= utf8.RuneSelf {
				ascii = false
			}
			out = append(out, c)
			i++
			continue
		}
		if i+1 >= len(it.buf) {
			break
		}
		switch e := it.buf[i+1]; e {
		case '"', '\\', '/':
			out = append(out, e)
		case 'b':
			out = append(out, '\b')
		case 'f':
			out = append(out, '\f')
		case 'n':
			out = append(out, '\n')
		case 'r':
			out = append(out, '\r')
		case 't':
			out = append(out, '\t')
		case 'u':
			r, n := it.escapedRune(i)
			if n == 0 {
				it.fail()
				return nil, false
			}
			if r >= utf8.RuneSelf {
				ascii = false
			}
			out = utf8.AppendRune(out, r)
			i += n
			continue
		default:
			it.fail()
			return nil, false
		}
		i += 2
	}
	it.fail()
	return nil, false
}

// escapedRune reads the \uXXXX escape at i, or the surrogate pair it starts, and returns
// the rune and how many bytes it took; n == 0 for a malformed escape or a lone surrogate,
// which encoding/json would replace by U+FFFD.
func (it *Iter) escapedRune(i int) (r rune, n int) {
	r, ok := hex4(it.buf, i+2)
	switch {
	case !ok:
		return 0, 0
	case r < 0xD800 || r > 0xDFFF:
		return r, 6
	case r > 0xDBFF: // a low surrogate first
		return 0, 0
	}
	if i+12 > len(it.buf) || it.buf[i+6] != '\\' || it.buf[i+7] != 'u' {
		return 0, 0
	}
	lo, ok := hex4(it.buf, i+8)
	if !ok || lo < 0xDC00 || lo > 0xDFFF {
		return 0, 0
	}
	return 0x10000 + (r-0xD800)<<10 + (lo - 0xDC00), 12
}

// hex4 reads four hex digits at b[i:].
func hex4(b []byte, i int) (rune, bool) {
	if i+4 > len(b) {
		return 0, false
	}
	var r rune
	for _, c := range b[i : i+4] {
		switch {
		case c >= '0' && c <= '9':
			c -= '0'
		case c >= 'a' && c <= 'f':
			c -= 'a' - 10
		case c >= 'A' && c <= 'F':
			c -= 'A' - 10
		default:
			return 0, false
		}
		r = r<<4 | rune(c)
	}
	return r, true
}

// number reads the number at the current position and returns its text; it fails
// unless the text follows the JSON number grammar.
func (it *Iter) number() []byte {
	start := it.pos
	for it.pos < len(it.buf) {
		c := it.buf[it.pos]
		if !isDigit(c) && c != '-' && c != '+' && c != '.' && c != 'e' && c != 'E' {
			break
		}
		it.pos++
	}
	text := it.buf[start:it.pos]
	if !validNumber(text) {
		it.fail()
	}
	return text
}

// skip reads past the next value, checking it as strictly as the readers would.
func (it *Iter) skip() {
	switch c := it.peek(); {
	case c == '"':
		it.str()
	case c == '{':
		it.skipObject()
	case c == '[':
		it.skipArray()
	case c == 't':
		it.literal("true")
	case c == 'f':
		it.literal("false")
	case c == 'n':
		it.literal("null")
	case c == '-' || isDigit(c):
		it.number()
	default:
		it.fail()
	}
}

func (it *Iter) skipObject() {
	if !it.open('}') {
		return
	}
	for it.err == nil {
		if it.peek() != '"' {
			it.fail()
			return
		}
		it.str()
		if !it.expect(':') {
			return
		}
		it.skip()
		if !it.more('}') {
			return
		}
	}
}

func (it *Iter) skipArray() {
	if !it.open(']') {
		return
	}
	for it.err == nil {
		it.skip()
		if !it.more(']') {
			return
		}
	}
}

// begin starts reading an object or array (kind, closed by end) at the current
// position; null reads as an empty one. It reports whether members follow.
func (it *Iter) begin(kind ValueType, end byte) bool {
	switch Kind(it) {
	case NilValue:
		it.literal("null")
		return false
	case kind:
		return it.open(end)
	}
	it.fail()
	return false
}

// open takes the opening byte of an object or array; false when it is empty (its
// closing byte end is taken too) or nested too deep.
func (it *Iter) open(end byte) bool {
	if !it.enter() {
		return false
	}
	it.pos++
	if it.peek() == end {
		it.pos++
		it.leave()
		return false
	}
	return true
}

// more takes the separator after a member: true after a comma (another member follows),
// false after the closing byte end, or on an error.
func (it *Iter) more(end byte) bool {
	if it.err != nil {
		return false
	}
	switch it.peek() {
	case ',':
		it.pos++
		return true
	case end:
		it.pos++
		it.leave()
		return false
	}
	it.fail()
	return false
}
