// Copyright The otelcol-rum Authors
// SPDX-License-Identifier: Apache-2.0

package errorgroup

import "strings"

// The byte classes of the scans. Messages and URLs are read byte by byte: every
// character that matters is ASCII, and a multi-byte one is never taken for one of them.

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
