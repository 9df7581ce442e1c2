// Copyright The otelcol-rum Authors
// SPDX-License-Identifier: Apache-2.0

package clientaddr // import "github.com/otelcol-rum/otelcol-rum/receiver/rumreceiver/internal/clientaddr"

import "strings"

// ValidHeaderName reports whether s can name an HTTP header: a token of RFC 9110.
func ValidHeaderName(s string) bool { return isToken(s) }

func isToken(s string) bool {
	if s == "" {
		return false
	}
	for i := range len(s) {
		if !isTchar(s[i]) {
			return false
		}
	}
	return true
}

func isTchar(c byte) bool {
	return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' ||
		c < 0x80 && strings.IndexByte("!#$%&'*+-.^_`|~", c) >= 0
}
