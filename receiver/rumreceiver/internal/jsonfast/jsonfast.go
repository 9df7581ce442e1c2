// Copyright The otelcol-rum Authors
// SPDX-License-Identifier: Apache-2.0

// Package jsonfast holds strict readers over jsoniter's streaming Iterator for the
// receiver's fast decoders (the Faro readers, generated from the Faro types: see
// internal/faro/fast.go).
//
// Why: encoding/json decodes a typical 5 KB Faro batch at about 30 MB/s on the reference
// machine, which alone costs more than the whole HTTP round trip the receiver is measured
// against. Reading the known fields straight off a token stream is several times faster.
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
	"io"
	"math"
	"strconv"
	"strings"
	"unicode/utf8"

	jsoniter "github.com/json-iterator/go"
)

// api has jsoniter's defaults; only its Iterator is used, never its reflection decoder.
var api = jsoniter.Config{}.Froze()

// Iter is a token stream over one body.
type Iter = jsoniter.Iterator

// Borrow returns a pooled iterator over body; give it back with Return.
func Borrow(body []byte) *Iter { return api.BorrowIterator(body) }

// Return gives an iterator back to the pool.
func Return(it *Iter) { api.ReturnIterator(it) }

// Done reports whether the whole body was read without error and only whitespace is left.
func Done(it *Iter) bool {
	if it.Error != nil {
		return false
	}
	// Looking past the end of the body sets io.EOF; any other byte left is not JSON
	// white space and makes the body invalid.
	return it.WhatIsNext() == jsoniter.InvalidValue && errors.Is(it.Error, io.EOF)
}

// Object reads an object, calling field for each key in known and skipping other keys.
// null is an empty object, as encoding/json treats it. A key that matches a known key
// only case-insensitively is an error, because encoding/json would bind it to the field;
// so is a known key given twice, which encoding/json merges in ways not worth copying.
// With known == nil every key is passed to field (a map).
func Object(it *Iter, known []string, field func(key string)) {
	switch it.WhatIsNext() {
	case jsoniter.NilValue:
		it.ReadNil()
		return
	case jsoniter.ObjectValue:
	default:
		it.ReportError("object", "not an object")
		return
	}
	var seen uint64 // bit i: known[i] was read; known lists are far shorter than 64
	it.ReadObjectCB(func(it *Iter, key string) bool {
		i := index(known, key)
		switch {
		case i >= 0:
			if seen&(1<<i) != 0 {
				it.ReportError("object", "repeated key")
				return false
			}
			seen |= 1 << i
			field(key)
		case known == nil:
			if !exactUTF8(key) {
				it.ReportError("object", "key needs exact UTF-8 handling")
				return false
			}
			field(key)
		case foldMatch(known, key):
			it.ReportError("object", "key differs from a field only in case")
		default:
			it.Skip()
		}
		return it.Error == nil
	})
}

func index(list []string, s string) int {
	for i, k := range list {
		if k == s {
			return i
		}
	}
	return -1
}

func foldMatch(list []string, s string) bool {
	for _, k := range list {
		if strings.EqualFold(k, s) {
			return true
		}
	}
	return false
}

// Array reads an array, calling item for each element; null is an empty array.
func Array(it *Iter, item func()) {
	switch it.WhatIsNext() {
	case jsoniter.NilValue:
		it.ReadNil()
		return
	case jsoniter.ArrayValue:
	default:
		it.ReportError("array", "not an array")
		return
	}
	it.ReadArrayCB(func(it *Iter) bool {
		item()
		return it.Error == nil
	})
}

// IsNull consumes a null and reports whether there was one.
func IsNull(it *Iter) bool {
	if it.WhatIsNext() == jsoniter.NilValue {
		it.ReadNil()
		return true
	}
	return false
}

// String reads a string; null is "".
func String(it *Iter) string {
	switch it.WhatIsNext() {
	case jsoniter.NilValue:
		it.ReadNil()
		return ""
	case jsoniter.StringValue:
		s := it.ReadString()
		if !exactUTF8(s) {
			it.ReportError("string", "needs exact UTF-8 handling")
		}
		return s
	}
	it.ReportError("string", "not a string")
	return ""
}

// exactUTF8 is false where encoding/json would substitute U+FFFD (invalid UTF-8, lone
// surrogates) or the text already holds one, so that both decoders cannot differ.
func exactUTF8(s string) bool {
	return utf8.ValidString(s) && !strings.ContainsRune(s, utf8.RuneError)
}

// numberText reads the text of a number for Float and Int: "" for null, which both read
// as 0, and "" with an error for anything but a number.
func numberText(it *Iter) string {
	switch it.WhatIsNext() {
	case jsoniter.NilValue:
		it.ReadNil()
		return ""
	case jsoniter.NumberValue:
		return string(it.ReadNumber())
	}
	it.ReportError("number", "not a number")
	return ""
}

// Float reads a finite number; null is 0.
func Float(it *Iter) float64 {
	n := numberText(it)
	if n == "" {
		return 0
	}
	f, err := strconv.ParseFloat(n, 64)
	if err != nil || !validNumber(n) || math.IsInf(f, 0) || math.IsNaN(f) {
		it.ReportError("number", "not a finite float64")
	}
	return f
}

// Int reads an integer that fits int64; null is 0.
func Int(it *Iter) int64 {
	text := numberText(it)
	if text == "" {
		return 0
	}
	n, err := strconv.ParseInt(text, 10, 64)
	if err != nil || !validNumber(text) {
		it.ReportError("number", "not an int64")
	}
	return n
}

// Bool reads a boolean; null is nil.
func Bool(it *Iter) *bool {
	switch it.WhatIsNext() {
	case jsoniter.NilValue:
		it.ReadNil()
		return nil
	case jsoniter.BoolValue:
		b := it.ReadBool()
		return &b
	}
	it.ReportError("bool", "not a boolean")
	return nil
}

// Kind tells what comes next without consuming it.
func Kind(it *Iter) jsoniter.ValueType { return it.WhatIsNext() }

// Raw returns the exact text of the next value (copied, so it may be kept), without the
// white space before it that the iterator's capture includes, as json.RawMessage has it.
func Raw(it *Iter) []byte {
	return bytes.TrimLeft(it.SkipAndReturnBytes(), " \t\r\n")
}

// Value kinds, re-exported so callers need not import jsoniter.
const (
	StringValue = jsoniter.StringValue
	NilValue    = jsoniter.NilValue
	ObjectValue = jsoniter.ObjectValue
)

// validNumber checks the JSON number grammar, which is stricter than strconv (no leading
// zeros, no "+", digits on both sides of the point):
// -? (0 | [1-9][0-9]*) (. [0-9]+)? ([eE] [+-]? [0-9]+)?
func validNumber(s string) bool {
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
