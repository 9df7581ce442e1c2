// Copyright The otelcol-rum Authors
// SPDX-License-Identifier: Apache-2.0

package errorgroup

import "strings"

// maxSchemeLen, maxLocalPartLen and maxDomainLen bound the scans for a URL's scheme and
// an e-mail address, so that a long run of dots costs linear time.
const (
	maxSchemeLen    = 32
	maxLocalPartLen = 64
	maxDomainLen    = 255
)

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
