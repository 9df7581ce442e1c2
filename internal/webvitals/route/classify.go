// Copyright The otelcol-rum Authors
// SPDX-License-Identifier: Apache-2.0

package route

import "strings"

// Placeholders of automatic templating.
const (
	ID    = "{id}"
	UUID  = "{uuid}"
	Hex   = "{hex}"
	Token = "{token}"
)

const (
	// MaxSegments is how many segments an automatic template keeps; deeper paths end
	// in "/*".
	MaxSegments = 8
	// MaxSegmentLen is the longest cleaned segment kept as it is; longer ones are
	// {token}.
	MaxSegmentLen = 128
	// MinTokenLen is the shortest segment the {token} rule applies to.
	MinTokenLen = 20
	// minHexLen is the shortest segment the {hex} rule applies to.
	minHexLen = 8
)

// autoTemplate builds the automatic template of cleaned segments.
func autoTemplate(segs []string) string {
	if len(segs) == 0 {
		return "/"
	}
	n := min(len(segs), MaxSegments)
	size := 0
	for _, s := range segs[:n] {
		size += 1 + len(s)
	}
	var b strings.Builder
	b.Grow(size + 2)
	for _, s := range segs[:n] {
		b.WriteByte('/')
		writeClassified(&b, s)
	}
	if len(segs) > MaxSegments {
		b.WriteString("/*")
	}
	return b.String()
}

// writeClassified writes the placeholder of a cleaned segment, or the segment itself.
func writeClassified(b *strings.Builder, s string) {
	if len(s) > MaxSegmentLen {
		b.WriteString(Token)
		return
	}
	if isDigits(s) {
		b.WriteString(ID)
		return
	}
	if ph := classifyPart(s); ph != "" {
		b.WriteString(ph)
		return
	}
	dot := strings.IndexByte(s, '.')
	if dot < 0 {
		b.WriteString(s)
		return
	}
	// A file name: classify its dot-separated parts. The stem is {id} only before an
	// extension (12345.pdf), not in versions and addresses (1.5, 10.0.0.1).
	stem, rest := s[:dot], s[dot:]
	switch {
	case isDigits(stem) && hasLetter(rest):
		b.WriteString(ID)
	default:
		writePart(b, stem)
	}
	for rest != "" {
		rest = rest[1:] // the "."
		part := rest
		if dot = strings.IndexByte(rest, '.'); dot >= 0 {
			part, rest = rest[:dot], rest[dot:]
		} else {
			rest = ""
		}
		b.WriteByte('.')
		writePart(b, part)
	}
}

func writePart(b *strings.Builder, part string) {
	if ph := classifyPart(part); ph != "" {
		b.WriteString(ph)
	} else {
		b.WriteString(part)
	}
}

// classifyPart returns the placeholder of a machine-made value, or "" for anything else:
// {uuid}, {hex} or {token}.
func classifyPart(s string) string {
	switch {
	case isUUID(s):
		return UUID
	case isHexID(s):
		return Hex
	case isToken(s):
		return Token
	}
	return ""
}

func isDigits(s string) bool {
	if s == "" {
		return false
	}
	for i := 0; i < len(s); i++ {
		if !isDigit(s[i]) {
			return false
		}
	}
	return true
}

func hasLetter(s string) bool {
	for i := 0; i < len(s); i++ {
		if isAlpha(s[i]) {
			return true
		}
	}
	return false
}

// isUUID reports a UUID in canonical form: 8-4-4-4-12 hex digits, any case.
func isUUID(s string) bool {
	if len(s) != 36 {
		return false
	}
	for i := 0; i < len(s); i++ {
		switch i {
		case 8, 13, 18, 23:
			if s[i] != '-' {
				return false
			}
		default:
			if !isHex(s[i]) {
				return false
			}
		}
	}
	return true
}

// isHexID reports at least minHexLen hex digits mixing letters and digits.
func isHexID(s string) bool {
	if len(s) < minHexLen {
		return false
	}
	letter, digit := false, false
	for i := 0; i < len(s); i++ {
		switch c := s[i]; {
		case isDigit(c):
			digit = true
		case isHex(c):
			letter = true
		default:
			return false
		}
	}
	return letter && digit
}

// isToken reports at least MinTokenLen characters of [A-Za-z0-9_-] mixing letters and
// digits, unless it is a slug: parts split by "-" or "_" that are each only letters or
// only digits.
func isToken(s string) bool {
	if len(s) < MinTokenLen {
		return false
	}
	letter, digit, sep := false, false, false
	slug := true
	partLetter, partDigit := false, false
	for i := 0; i < len(s); i++ {
		switch c := s[i]; {
		case isAlpha(c):
			letter, partLetter = true, true
		case isDigit(c):
			digit, partDigit = true, true
		case c == '-' || c == '_':
			sep = true
			if partLetter && partDigit {
				slug = false
			}
			partLetter, partDigit = false, false
		default:
			return false
		}
	}
	if partLetter && partDigit {
		slug = false
	}
	isSlug := sep && slug
	return letter && digit && !isSlug
}
