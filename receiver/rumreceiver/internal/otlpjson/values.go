// Copyright The otelcol-rum Authors
// SPDX-License-Identifier: Apache-2.0

package otlpjson // import "github.com/otelcol-rum/otelcol-rum/receiver/rumreceiver/internal/otlpjson"

import (
	"strconv"

	jf "github.com/otelcol-rum/otelcol-rum/receiver/rumreceiver/internal/jsonfast"
)

// The scalar readers take what pdata's iterator takes, restricted to where both surely
// agree: a decimal string goes through the strconv call pdata makes on it; a number is
// read only as a plain integer short enough that no reader can overflow on it (pdata reads
// numbers with jsoniter, whose edge cases are its own); null, fractions and exponents
// decline.

// maxIntDigits is the longest number read as an integer: 18 digits fit an int64.
const maxIntDigits = 18

// maxInt32Digits is that for the 32-bit fields.
const maxInt32Digits = 9

// text reads a string; null declines.
func text(it *jf.Iter) string {
	if jf.Kind(it) != jf.StringValue {
		jf.Decline(it)
		return ""
	}
	return jf.String(it)
}

func uint64Value(it *jf.Iter) uint64 {
	return uint64(unsigned(it, 64, maxIntDigits))
}

func uint32Value(it *jf.Iter) uint32 {
	return uint32(unsigned(it, 32, maxInt32Digits)) //nolint:gosec // parsed with bitSize 32: it fits
}

// unsigned reads an unsigned integer of bits bits, as a decimal string or a number of
// at most digits digits.
func unsigned(it *jf.Iter, bits, digits int) uint64 {
	s, ok := integerText(it, false, digits, true)
	if !ok {
		return 0
	}
	v, err := strconv.ParseUint(s, 10, bits)
	if err != nil {
		jf.Decline(it)
	}
	return v
}

// signed is unsigned for a signed integer; strings tells whether a decimal string is
// taken too.
func signed(it *jf.Iter, bits, digits int, strings bool) int64 {
	s, ok := integerText(it, true, digits, strings)
	if !ok {
		return 0
	}
	v, err := strconv.ParseInt(s, 10, bits)
	if err != nil {
		jf.Decline(it)
	}
	return v
}

// integerText is the text of an integer given as a number of at most digits digits (a
// sign allowed when negative is set) or, when strings is set, as a string; anything else
// declines.
func integerText(it *jf.Iter, negative bool, digits int, strings bool) (string, bool) {
	switch jf.Kind(it) {
	case jf.StringValue:
		if strings {
			return jf.String(it), true
		}
	case jf.NumberValue:
		if n := jf.Number(it); plainInteger(n, negative, digits) {
			return string(n), true
		}
	}
	jf.Decline(it)
	return "", false
}

// enumValue reads a span kind or status code given as its number; its name (a string,
// looked up by pdata) declines.
func enumValue(it *jf.Iter) int32 {
	return int32(signed(it, 32, maxInt32Digits, false)) //nolint:gosec // parsed with bitSize 32: it fits
}

// plainInteger reports whether n (a JSON number) is an integer of at most digits digits,
// with a minus sign only where negative is true.
func plainInteger(n []byte, negative bool, digits int) bool {
	if negative && len(n) > 0 && n[0] == '-' {
		n = n[1:]
	}
	if len(n) == 0 || len(n) > digits {
		return false
	}
	for _, c := range n {
		if c < '0' || c > '9' {
			return false
		}
	}
	return true
}
