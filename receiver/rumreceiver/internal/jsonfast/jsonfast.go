// Copyright The otelcol-rum Authors
// SPDX-License-Identifier: Apache-2.0

// Package jsonfast holds strict readers over a JSON token scanner of its own for the
// receiver's fast decoders (the Faro readers, generated from the Faro types: see
// internal/faro/fast.go).
//
// Why: encoding/json decodes a typical 5 KB Faro batch at about 30 MB/s on the reference
// machine, which alone costs more than the whole HTTP round trip the receiver is measured
// against. Reading the known fields straight off a token stream is several times faster.
// The scanner reads the body in place: a known key is matched without making a string of
// it, a number is parsed from the body's bytes, and the strings it does make come from a
// small cache of recent ones (intern.go), so that a request allocates little more than
// the strings it keeps for the first time.
//
// The readers are deliberately strict: whenever encoding/json could decide differently
// (a key that differs only in case, a non-finite or fractional number where an integer is
// expected, invalid UTF-8, any type mismatch) they report an error, and the caller falls
// back to its encoding/json path. So the fast path is an optimisation only: it never
// accepts what the exact path would refuse, and never decodes differently; tests and a
// differential fuzz target hold it to that.
package jsonfast // import "github.com/otelcol-rum/otelcol-rum/receiver/rumreceiver/internal/jsonfast"

import (
	"bytes"
	"errors"
	"math"
	"strconv"
	"sync"
	"unicode/utf8"
)

// Iter reads one body, token by token.
type Iter struct {
	buf   []byte
	pos   int
	depth int
	err   error
	// scratch holds the text of the last escaped string read.
	scratch []byte
	strings internCache
}

// errDecline is the only error: what went wrong matters only to the exact path, which
// the caller takes next and which says it precisely.
var errDecline = errors.New("jsonfast: not decoded exactly; use encoding/json")

// maxScratch is the largest scratch buffer kept in the pool, so that one long escaped
// string does not stay in memory with every pooled iterator.
const maxScratch = 4 << 10

// The pool keeps the iterators with their scratch buffers and string caches, so that a
// request allocates neither.
var iters = sync.Pool{New: func() any { return new(Iter) }}

// Borrow returns a pooled iterator over body; give it back with Return.
func Borrow(body []byte) *Iter {
	it := iters.Get().(*Iter)
	it.buf, it.pos, it.depth, it.err = body, 0, 0, nil
	return it
}

// Return gives an iterator back to the pool. Strings it returned stay valid: they never
// share memory with the body or the scratch buffer.
func Return(it *Iter) {
	it.buf = nil
	if cap(it.scratch) > maxScratch {
		it.scratch = nil
	}
	iters.Put(it)
}

// fail records that the body cannot be read exactly; every read after it does nothing.
func (it *Iter) fail() {
	if it.err == nil {
		it.err = errDecline
	}
}

// Decline marks the body as one the fast path does not read: a caller that finds a value
// it cannot take as encoding/json would makes every later read do nothing.
func Decline(it *Iter) { it.fail() }

// Failed reports whether the body was declined so far.
func Failed(it *Iter) bool { return it.err != nil }

// Try runs read on the next value and reports whether it read it exactly. If read
// declined, the iterator is put back where it was, so that the caller can read the value
// another way (as Raw text for a decoder that takes it whole).
func Try(it *Iter, read func()) bool {
	if it.err != nil {
		return false
	}
	pos, depth := it.pos, it.depth
	read()
	if it.err == nil {
		return true
	}
	it.pos, it.depth, it.err = pos, depth, nil
	return false
}

// Done reports whether the whole body was read without error and only whitespace is left.
func Done(it *Iter) bool {
	if it.err != nil {
		return false
	}
	it.peek()
	return it.pos == len(it.buf)
}

// ValueType is the kind of the next value.
type ValueType int

// Value kinds.
const (
	InvalidValue ValueType = iota
	StringValue
	NumberValue
	NilValue
	BoolValue
	ArrayValue
	ObjectValue
)

// Kind tells what comes next without consuming it.
func Kind(it *Iter) ValueType {
	if it.err != nil {
		return InvalidValue
	}
	switch c := it.peek(); {
	case c == '"':
		return StringValue
	case c == '{':
		return ObjectValue
	case c == '[':
		return ArrayValue
	case c == 'n':
		return NilValue
	case c == 't' || c == 'f':
		return BoolValue
	case c == '-' || isDigit(c):
		return NumberValue
	}
	return InvalidValue
}

// Object reads an object, calling field for each key in known and skipping other keys.
// null is an empty object, as encoding/json treats it. A key that matches a known key
// only case-insensitively is an error, because encoding/json would bind it to the field;
// so is a known key given twice, which encoding/json merges in ways not worth copying.
// With known == nil every key is passed to field (a map). A known key is passed as the
// string of known, so reading a struct allocates nothing for its keys.
func Object(it *Iter, known []string, field func(key string)) {
	if !it.begin(ObjectValue, '}') {
		return
	}
	var seen uint64 // bit i: known[i] was read; known lists are far shorter than 64
	for it.err == nil {
		if it.peek() != '"' {
			it.fail()
			return
		}
		key, ascii := it.str()
		if !it.expect(':') {
			return
		}
		if known == nil {
			if !ascii && !exactUTF8(key) {
				it.fail()
				return
			}
			field(it.strings.intern(key))
		} else if i := index(known, key); i >= 0 {
			if seen&(1<<i) != 0 {
				it.fail()
				return
			}
			seen |= 1 << i
			field(known[i])
		} else if foldMatch(known, key) {
			it.fail()
			return
		} else {
			it.skip()
		}
		if !it.more('}') {
			return
		}
	}
}

func index(list []string, key []byte) int {
	for i, k := range list {
		if k == string(key) {
			return i
		}
	}
	return -1
}

func foldMatch(list []string, key []byte) bool {
	for _, k := range list {
		if bytes.EqualFold([]byte(k), key) {
			return true
		}
	}
	return false
}

// Array reads an array, calling item for each element; null is an empty array.
func Array(it *Iter, item func()) {
	if !it.begin(ArrayValue, ']') {
		return
	}
	for it.err == nil {
		item()
		if !it.more(']') {
			return
		}
	}
}

// IsNull consumes a null and reports whether there was one.
func IsNull(it *Iter) bool {
	if Kind(it) == NilValue {
		it.literal("null")
		return true
	}
	return false
}

// String reads a string; null is "".
func String(it *Iter) string {
	switch Kind(it) {
	case NilValue:
		it.literal("null")
		return ""
	case StringValue:
		text, ascii := it.str()
		if !ascii && !exactUTF8(text) {
			it.fail()
			return ""
		}
		return it.strings.intern(text)
	}
	it.fail()
	return ""
}

// exactUTF8 is false where encoding/json would substitute U+FFFD (invalid UTF-8, lone
// surrogates) or the text already holds one, so that both decoders cannot differ.
func exactUTF8(b []byte) bool {
	return utf8.Valid(b) && !bytes.ContainsRune(b, utf8.RuneError)
}

// numberText reads the text of a number for Float and Int: nil for null, which both read
// as 0, and nil with an error for anything but a number. The text is the body's.
func numberText(it *Iter) []byte {
	switch Kind(it) {
	case NilValue:
		it.literal("null")
		return nil
	case NumberValue:
		return it.number()
	}
	it.fail()
	return nil
}

// Number reads a number and returns its text, which follows the JSON number grammar; it
// declines anything else, null included. The text is the body's: valid until the
// iterator is returned.
func Number(it *Iter) []byte {
	if Kind(it) != NumberValue {
		it.fail()
		return nil
	}
	return it.number()
}

// PlainString reads a string without escapes and returns its bytes, the body's own (valid
// until the iterator is returned); it declines anything else. For values such as hex ids,
// which a reader that does not unescape (pdata's) takes as they are written.
func PlainString(it *Iter) []byte {
	if Kind(it) != StringValue {
		it.fail()
		return nil
	}
	start := it.pos + 1
	text, _ := it.str()
	if it.err == nil && it.pos-1-start != len(text) {
		it.fail() // an escape: the text is not the body's
		return nil
	}
	return text
}

// Float reads a finite number; null is 0.
func Float(it *Iter) float64 {
	n := numberText(it)
	if len(n) == 0 || it.err != nil {
		return 0
	}
	f, err := strconv.ParseFloat(string(n), 64)
	if err != nil || math.IsInf(f, 0) || math.IsNaN(f) {
		it.fail()
	}
	return f
}

// Int reads an integer that fits int64; null is 0.
func Int(it *Iter) int64 {
	text := numberText(it)
	if len(text) == 0 || it.err != nil {
		return 0
	}
	n, err := strconv.ParseInt(string(text), 10, 64)
	if err != nil {
		it.fail()
	}
	return n
}

// Bool reads a boolean; null is nil.
func Bool(it *Iter) *bool {
	var b bool
	switch it.peek() {
	case 'n':
		it.literal("null")
		return nil
	case 't':
		it.literal("true")
		b = true
	case 'f':
		it.literal("false")
	default:
		it.fail()
		return nil
	}
	return &b
}

// Raw returns the exact text of the next value (copied, so it may be kept), without
// surrounding white space, as json.RawMessage has it.
func Raw(it *Iter) []byte {
	return bytes.Clone(rawText(it))
}

// RawString is Raw as a string, for a value kept as its JSON text.
func RawString(it *Iter) string {
	return it.strings.intern(rawText(it))
}

func rawText(it *Iter) []byte {
	it.peek()
	start := it.pos
	it.skip()
	if it.err != nil {
		return nil
	}
	return it.buf[start:it.pos]
}

// validNumber checks the JSON number grammar, which is stricter than strconv (no leading
// zeros, no "+", digits on both sides of the point):
// -? (0 | [1-9][0-9]*) (. [0-9]+)? ([eE] [+-]? [0-9]+)?
func validNumber[T string | []byte](s T) bool {
	i := 0
	if i < len(s) && s[i] == '-' {
		i++
	}
	switch {
	case i < len(s) && s[i] == '0':
		i++
	case i < len(s) && s[i] >= '1' && s[i] <= '9':
		for i < len(s) && isDigit(s[i]) {
			i++
		}
	default:
		return false
	}
	if i < len(s) && s[i] == '.' {
		i++
		if i >= len(s) || !isDigit(s[i]) {
			return false
		}
		for i < len(s) && isDigit(s[i]) {
			i++
		}
	}
	if i < len(s) && (s[i] == 'e' || s[i] == 'E') {
		i++
		if i < len(s) && (s[i] == '+' || s[i] == '-') {
			i++
		}
		if i >= len(s) || !isDigit(s[i]) {
			return false
		}
		for i < len(s) && isDigit(s[i]) {
			i++
		}
	}
	return i == len(s)
}

func isDigit(c byte) bool { return c >= '0' && c <= '9' }
