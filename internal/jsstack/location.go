// Copyright The otelcol-rum Authors
// SPDX-License-Identifier: Apache-2.0

package jsstack

import "strings"

// maxNumberDigits bounds the digits read as a line or column number: more could overflow
// an int, and no script has a billion lines or columns.
const maxNumberDigits = 9

// splitLocation splits "url:line:col" or "url:line" into its parts. The numbers are taken
// from the end because a URL has colons of its own (scheme, port, "blob:https://…",
// "file:///C:/…"). A trailing number right after a bare authority ("http://host:8080") is
// a port, not a line. Without a number the whole text is the URL, line and column 0.
func splitLocation(s string) (url string, line, col int) {
	rest, last, ok := cutNumber(s)
	if !ok {
		return s, 0, 0
	}
	if rest2, prev, ok := cutNumber(rest); ok && !isAuthorityOnly(rest2) {
		return rest2, prev, last
	}
	if !isAuthorityOnly(rest) {
		return rest, last, 0
	}
	return s, 0, 0
}

// cutNumber cuts a trailing ":digits" off s. The text before it must not be empty: a
// location is never a number alone.
func cutNumber(s string) (rest string, n int, ok bool) {
	i := len(s)
	for i > 0 && isDigit(s[i-1]) {
		i--
	}
	digits := len(s) - i
	if digits == 0 || digits > maxNumberDigits || i < 2 || s[i-1] != ':' {
		return s, 0, false
	}
	for j := i; j < len(s); j++ {
		n = n*10 + int(s[j]-'0')
	}
	return s[:i-1], n, true
}

// isAuthorityOnly reports "scheme://host" with nothing after the host, where a ":digits"
// that follows is the port.
func isAuthorityOnly(s string) bool {
	i := strings.Index(s, "://")
	return i > 0 && !strings.ContainsAny(s[i+3:], "/?#")
}

// hasScheme reports a URL that starts with a scheme ("https:", "blob:",
// "webpack-internal:") or is an absolute path: what a line made of a location alone, as
// JavaScriptCore prints anonymous frames, must look like before it counts as a frame.
func hasScheme(s string) bool {
	if s != "" && s[0] == '/' {
		return true
	}
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case isAlpha(c):
		case i > 0 && (isDigit(c) || c == '+' || c == '-' || c == '.'):
		case i > 0 && c == ':':
			return true
		default:
			return false
		}
	}
	return false
}

func isDigit(c byte) bool { return '0' <= c && c <= '9' }

func isAlpha(c byte) bool { c |= 0x20; return 'a' <= c && c <= 'z' }
