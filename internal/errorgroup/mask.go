// Copyright The otelcol-rum Authors
// SPDX-License-Identifier: Apache-2.0

package errorgroup

// The placeholders MaskMessage writes. They hold no digit, quote, "@" or "://", so
// masking a masked message changes nothing.
const (
	maskNumber = "<n>"
	maskHex    = "<hex>"
	maskUUID   = "<uuid>"
	maskID     = "<id>"
	maskURL    = "<url>"
	maskEmail  = "<email>"
	maskQuoted = "<str>"
)

const (
	// minHexLen is the shortest run of hex digits masked whole as an id (8f3a2b); shorter
	// ones only have their digits masked (e<n>b), which keeps words like "a1" readable.
	minHexLen = 6
	// minIDLen is the shortest run of letters and digits masked whole as an id or token
	// when it is not hex; shorter ones keep their letters (Int<n>Array, utf<n>).
	minIDLen = 16
)

// MaskMessage replaces the parts of an error message that vary between occurrences of
// one bug, so that "Order 1234 not found" and "Order 987 not found" read the same:
//
//   - a quoted value ('…', "…" or `…`) with <str>: "reading 'x'", "Unexpected token '<'";
//   - a URL (a scheme followed by "://", up to the next space) with <url>;
//   - an e-mail address with <email>;
//   - a UUID with <uuid>;
//   - a run of letters and digits that holds a digit: all digits, <n>; "0x" and hex
//     digits, or six or more hex digits, <hex>; sixteen or more characters, <id>;
//     otherwise each run of digits is <n> ("item<n>", "Int<n>Array").
//
// A quote opens a value only at the start of a word and closes it only at the end of
// one, so the apostrophe of "can't" opens nothing. Masking is idempotent: masking a
// masked message changes nothing.
func MaskMessage(msg string) string {
	return string(appendMasked(make([]byte, 0, len(msg)), msg))
}

// appendMasked appends the masked message to b, for MaskMessage and for the fingerprint,
// which masks straight into its buffer.
func appendMasked(b []byte, msg string) []byte {
	// unclosed remembers a quote character with no closing one left in the message:
	// later openings of it are not tried, so the scan stays linear.
	var unclosed [3]bool
	for i := 0; i < len(msg); {
		c := msg[i]
		if i == 0 || !isWordish(msg[i-1]) {
			if q := quoteIndex(c); q >= 0 && !unclosed[q] {
				if end := closingQuote(msg, i); end > 0 {
					b = append(b, maskQuoted...)
					i = end + 1
					continue
				}
				unclosed[q] = true
			}
			if n := urlLen(msg[i:]); n > 0 {
				b = append(b, maskURL...)
				i += n
				continue
			}
			if n := emailLen(msg[i:]); n > 0 {
				b = append(b, maskEmail...)
				i += n
				continue
			}
		}
		if !isAlnum(c) || (i > 0 && isAlnum(msg[i-1])) {
			b = append(b, c)
			i++
			continue
		}
		if isUUID(msg[i:]) {
			b = append(b, maskUUID...)
			i += uuidLen
			continue
		}
		j := i + 1
		for j < len(msg) && isAlnum(msg[j]) {
			j++
		}
		b = appendMaskedWord(b, msg[i:j])
		i = j
	}
	return b
}

// appendMaskedWord appends a run of letters and digits, masked as MaskMessage says.
func appendMaskedWord(b []byte, w string) []byte {
	digits, hex := 0, true
	for i := 0; i < len(w); i++ {
		switch c := w[i]; {
		case isDigit(c):
			digits++
		case !isHexLetter(c):
			hex = false
		}
	}
	switch {
	case digits == 0:
		return append(b, w...)
	case digits == len(w):
		return append(b, maskNumber...)
	case len(w) > 2 && w[0] == '0' && w[1]|0x20 == 'x' && isHexDigits(w[2:]):
		return append(b, maskHex...)
	case hex && len(w) >= minHexLen:
		return append(b, maskHex...)
	case len(w) >= minIDLen:
		return append(b, maskID...)
	}
	for i := 0; i < len(w); {
		if !isDigit(w[i]) {
			b = append(b, w[i])
			i++
			continue
		}
		for i < len(w) && isDigit(w[i]) {
			i++
		}
		b = append(b, maskNumber...)
	}
	return b
}
