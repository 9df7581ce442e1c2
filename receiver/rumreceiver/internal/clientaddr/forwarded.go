// Copyright The otelcol-rum Authors
// SPDX-License-Identifier: Apache-2.0

package clientaddr // import "github.com/otelcol-rum/otelcol-rum/receiver/rumreceiver/internal/clientaddr"

import (
	"net/netip"
	"strings"
)

// addForwarded adds one hop per element of the Forwarded header (RFC 7239): elements
// separated by commas, the lines of a repeated header read as one list, each element
// name=value pairs separated by semicolons, a value a token or a quoted string. The hop
// is the element's for= node. An element without for=, with two, or that cannot be read
// is a hop without a usable address; empty elements are skipped, as the list syntax of
// RFC 9110 asks.
func (c *chain) addForwarded(lines []string) {
	for _, line := range lines {
		p := forwardedParser{s: line}
		for !p.eof() {
			if a, present := p.element(); present {
				c.add(a)
			}
		}
	}
}

type forwardedParser struct {
	s string
	i int
}

func (p *forwardedParser) eof() bool { return p.i >= len(p.s) }

// element reads one element and the comma after it. present is false for an empty one.
func (p *forwardedParser) element() (addr netip.Addr, present bool) {
	var node string
	pairs, fors := 0, 0
	for {
		p.skipSpace()
		if p.eof() {
			break
		}
		if p.s[p.i] == ',' {
			p.i++
			break
		}
		if p.s[p.i] == ';' {
			p.i++
			continue
		}
		name, value, ok := p.pair()
		p.skipSpace()
		if !ok || (!p.eof() && p.s[p.i] != ';' && p.s[p.i] != ',') {
			p.skipElement()
			return netip.Addr{}, true
		}
		pairs++
		if strings.EqualFold(name, "for") {
			fors++
			node = value
		}
	}
	if pairs == 0 {
		return netip.Addr{}, false
	}
	if fors != 1 {
		return netip.Addr{}, true
	}
	return parseNode(node), true
}

// pair reads name=value.
func (p *forwardedParser) pair() (name, value string, ok bool) {
	start := p.i
	for !p.eof() && isTchar(p.s[p.i]) {
		p.i++
	}
	name = p.s[start:p.i]
	if name == "" || p.eof() || p.s[p.i] != '=' {
		return "", "", false
	}
	p.i++
	if !p.eof() && p.s[p.i] == '"' {
		value, ok = p.quoted()
		return name, value, ok
	}
	// Leniently also ':' and brackets, which a token cannot hold: some proxies write an
	// IPv6 node or a port without the quotes RFC 7239 asks for.
	start = p.i
	for !p.eof() && (isTchar(p.s[p.i]) || p.s[p.i] == ':' || p.s[p.i] == '[' || p.s[p.i] == ']') {
		p.i++
	}
	return name, p.s[start:p.i], p.i > start
}

// quoted reads a quoted string, p.i at its opening quote, and returns its content with
// the backslash escapes undone.
func (p *forwardedParser) quoted() (string, bool) {
	p.i++
	start, escaped := p.i, false
	for ; !p.eof(); p.i++ {
		switch p.s[p.i] {
		case '\\':
			escaped = true
			p.i++
		case '"':
			content := p.s[start:p.i]
			p.i++
			if escaped {
				content = unescape(content)
			}
			return content, true
		}
	}
	return "", false
}

func unescape(s string) string {
	var b strings.Builder
	b.Grow(len(s))
	for i := 0; i < len(s); i++ {
		if s[i] == '\\' && i+1 < len(s) {
			i++
		}
		b.WriteByte(s[i])
	}
	return b.String()
}

// skipElement moves past the next comma outside a quoted string, or to the end.
func (p *forwardedParser) skipElement() {
	inQuotes := false
	for ; !p.eof(); p.i++ {
		switch c := p.s[p.i]; {
		case inQuotes && c == '\\':
			p.i++
		case c == '"':
			inQuotes = !inQuotes
		case !inQuotes && c == ',':
			p.i++
			return
		}
	}
}

func (p *forwardedParser) skipSpace() {
	for !p.eof() && (p.s[p.i] == ' ' || p.s[p.i] == '\t') {
		p.i++
	}
}
