// Copyright The otelcol-rum Authors
// SPDX-License-Identifier: Apache-2.0

package errorgroup

import "strings"

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
	// maxSchemeLen, maxLocalPartLen and maxDomainLen bound the scans for a URL's scheme
	// and an e-mail address, so that a long run of dots costs linear time.
	maxSchemeLen    = 32
	maxLocalPartLen = 64
	maxDomainLen    = 255
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

// quoteIndex numbers the quote characters, or returns -1.
func quoteIndex(c byte) int {
	return strings.IndexByte("'\"`", c)
}

// closingQuote returns the index of the quote that closes the one at open: the next
// same quote at the end of a word, or -1.
func closingQuote(msg string, open int) int {
	q := msg[open]
	for j := open + 1; j < len(msg); j++ {
		if msg[j] == q && (j+1 == len(msg) || !isWordish(msg[j+1])) {
			return j
		}
	}
	return -1
}

// urlLen returns the length of the URL at the start of s: a scheme, "://", and
// everything up to the next space but trailing punctuation ("see https://x/a.")
func urlLen(s string) int {
	// The scheme may nest ("blob:https://…"), hence the colons.
	i := 0
	for i < len(s) && i < maxSchemeLen && (isAlnum(s[i]) || strings.IndexByte("+-.:", s[i]) >= 0) {
		i++
	}
	if i < 2 || !isAlpha(s[0]) || s[i-1] != ':' || !strings.HasPrefix(s[i:], "//") {
		return 0
	}
	i--
	end := i + len("://")
	for end < len(s) && !isSpace(s[end]) {
		end++
	}
	for end > i+len("://") && strings.IndexByte(".,;:!?'\")]}", s[end-1]) >= 0 {
		end--
	}
	return end
}

// emailLen returns the length of the e-mail address at the start of s: a local part,
// "@", and a domain of two or more labels.
func emailLen(s string) int {
	at := 0
	for at < len(s) && at < maxLocalPartLen && isLocalPart(s[at]) {
		at++
	}
	if at == 0 || at == len(s) || s[at] != '@' {
		return 0
	}
	end, labels := at+1, 0
	for end < len(s) && end-at <= maxDomainLen {
		n := 0
		for end+n < len(s) && isDomainLabel(s[end+n]) {
			n++
		}
		if n == 0 {
			break
		}
		labels++
		end += n
		if end+1 < len(s) && s[end] == '.' && isDomainLabel(s[end+1]) {
			end++
			continue
		}
		break
	}
	if labels < 2 {
		return 0
	}
	return end
}

// uuidLen is the length of a UUID in canonical form.
const uuidLen = 36

// isUUID reports a UUID at the start of s: 8-4-4-4-12 hex digits, at least one of them a
// digit (so that a masked message, which has none, never holds one), and not followed by
// more of a word.
func isUUID(s string) bool {
	if len(s) < uuidLen || (len(s) > uuidLen && isAlnum(s[uuidLen])) {
		return false
	}
	digit := false
	for i := range uuidLen {
		c := s[i]
		switch i {
		case 8, 13, 18, 23:
			if c != '-' {
				return false
			}
			continue
		}
		if !isDigit(c) && !isHexLetter(c) {
			return false
		}
		digit = digit || isDigit(c)
	}
	return digit
}

func isHexDigits(s string) bool {
	for i := 0; i < len(s); i++ {
		if !isDigit(s[i]) && !isHexLetter(s[i]) {
			return false
		}
	}
	return s != ""
}

// isWordish reports a character that continues a word for the boundaries of quotes,
// URLs and e-mail addresses. The placeholders' "<" and ">" count, so that a boundary
// that was no boundary before masking is none after it either.
func isWordish(c byte) bool { return isAlnum(c) || c == '_' || c == '<' || c == '>' }

func isLocalPart(c byte) bool {
	return isAlnum(c) || strings.IndexByte("._%+-", c) >= 0
}

func isDomainLabel(c byte) bool { return isAlnum(c) || c == '-' }

func isSpace(c byte) bool { return c == ' ' || c == '\t' || c == '\n' || c == '\r' }

func isAlnum(c byte) bool { return isDigit(c) || isAlpha(c) }

func isDigit(c byte) bool { return '0' <= c && c <= '9' }

func isAlpha(c byte) bool { c |= 0x20; return 'a' <= c && c <= 'z' }

func isHexLetter(c byte) bool { c |= 0x20; return 'a' <= c && c <= 'f' }
