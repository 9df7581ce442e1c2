// Copyright The otelcol-rum Authors
// SPDX-License-Identifier: Apache-2.0

package route

import "strings"

// MaxPathLen is how many bytes of a URL's path are read; the rest is ignored.
const MaxPathLen = 4096

// stripQuery cuts the fragment and then the query: a "?" after a "#" belongs to the
// fragment.
func stripQuery(s string) string {
	if i := strings.IndexByte(s, '#'); i >= 0 {
		s = s[:i]
	}
	if i := strings.IndexByte(s, '?'); i >= 0 {
		s = s[:i]
	}
	return s
}

// pathOf returns the path of s, a URL or a path without its query and fragment. ok is
// false when s has no path: it is empty or an opaque URL (about:blank, data:…).
func pathOf(s string) (path string, ok bool) {
	s = trimControls(s)
	if s == "" {
		return "", false
	}
	if isAlpha(s[0]) {
		for i := 1; i < len(s); i++ {
			c := s[i]
			if c == ':' {
				rest := s[i+1:]
				if len(rest) < 2 || !isSlash(rest[0]) || !isSlash(rest[1]) {
					return "", false // opaque: about:blank, data:…, blob:…, mailto:…
				}
				rest = rest[2:]
				for j := 0; j < len(rest); j++ {
					if isSlash(rest[j]) {
						return rest[j:], true
					}
				}
				return "/", true // https://shop.example
			}
			if !isAlpha(c) && !isDigit(c) && c != '+' && c != '-' && c != '.' {
				break // not a scheme: a relative path such as product/42
			}
		}
	}
	return s, true
}

// trimControls trims what browsers trim from a URL: C0 controls and spaces.
func trimControls(s string) string {
	i, j := 0, len(s)
	for i < j && s[i] <= ' ' {
		i++
	}
	for j > i && s[j-1] <= ' ' {
		j--
	}
	return s[i:j]
}

// appendSegments appends the cleaned segments of path to segs: split on "/" and "\",
// path parameters (from ";") and then empty segments dropped, each segment in canonical
// form, dot segments resolved.
func appendSegments(segs []string, path string) []string {
	if len(path) > MaxPathLen {
		path = path[:MaxPathLen]
	}
	base := len(segs)
	for i := 0; i < len(path); {
		if isSlash(path[i]) {
			i++
			continue
		}
		j := i + 1
		for j < len(path) && !isSlash(path[j]) {
			j++
		}
		seg := path[i:j]
		i = j
		if k := strings.IndexByte(seg, ';'); k >= 0 {
			seg = seg[:k] // path parameters: ;jsessionid=…
		}
		seg = cleanSegment(seg)
		switch seg {
		case "", ".":
		case "..":
			if len(segs) > base {
				segs = segs[:len(segs)-1]
			}
		default:
			segs = append(segs, seg)
		}
	}
	return segs
}

// cleanSegment returns seg in canonical percent-encoded form (see the package comment).
// It returns seg itself, without allocating, when seg already is.
func cleanSegment(seg string) string {
	i := 0
	for i < len(seg) && pchar[seg[i]] {
		i++
	}
	if i == len(seg) {
		return seg
	}
	var b strings.Builder
	b.Grow(len(seg) + 8)
	b.WriteString(seg[:i])
	for ; i < len(seg); i++ {
		c := seg[i]
		switch {
		case pchar[c]:
			b.WriteByte(c)
		case c == '%' && i+2 < len(seg) && isHex(seg[i+1]) && isHex(seg[i+2]):
			v := unhex(seg[i+1])<<4 | unhex(seg[i+2])
			if unreserved(v) {
				b.WriteByte(v)
			} else {
				writeEscape(&b, v)
			}
			i += 2
		default:
			writeEscape(&b, c)
		}
	}
	return b.String()
}

const upperHex = "0123456789ABCDEF"

func writeEscape(b *strings.Builder, c byte) {
	b.WriteByte('%')
	b.WriteByte(upperHex[c>>4])
	b.WriteByte(upperHex[c&15])
}

// pchar marks the bytes that stand for themselves in a cleaned segment: RFC 3986's pchar
// (unreserved, sub-delims, ":" and "@") without "%", which always starts an escape, and
// without "*", which in a template only stands for folded segments.
var pchar = func() (t [256]bool) {
	for c := 0; c < 256; c++ {
		t[c] = unreserved(byte(c)) || strings.IndexByte("!$&'()+,;=:@", byte(c)) >= 0
	}
	return t
}()

func unreserved(c byte) bool {
	return isAlpha(c) || isDigit(c) || c == '-' || c == '.' || c == '_' || c == '~'
}

func isSlash(c byte) bool { return c == '/' || c == '\\' }
func isAlpha(c byte) bool { return c|0x20 >= 'a' && c|0x20 <= 'z' }
func isDigit(c byte) bool { return c >= '0' && c <= '9' }
func isHex(c byte) bool   { return isDigit(c) || c|0x20 >= 'a' && c|0x20 <= 'f' }

func unhex(c byte) byte {
	if isDigit(c) {
		return c - '0'
	}
	return (c | 0x20) - 'a' + 10
}
