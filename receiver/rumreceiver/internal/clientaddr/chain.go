// Copyright The otelcol-rum Authors
// SPDX-License-Identifier: Apache-2.0

package clientaddr // import "github.com/otelcol-rum/otelcol-rum/receiver/rumreceiver/internal/clientaddr"

import (
	"net/netip"
	"strings"
)

// maxHops is how many hops of a chain, counted from the right, are kept. The walk
// rarely goes past the first two; keeping a fixed number lets the chain live on the
// stack however long a header a client sends, and a chain whose right-most maxHops hops
// are all trusted resolves to the left-most of them.
const maxHops = 16

// chain is the right-most hops of a forwarding header, in a ring: hops[i%maxHops] is
// the i-th hop from the left, for the last maxHops of the n seen. An invalid address
// stands for a hop that does not name a usable address.
type chain struct {
	hops [maxHops]netip.Addr
	n    int
}

func (c *chain) add(a netip.Addr) {
	c.hops[c.n%maxHops] = a
	c.n++
}

// addXForwardedFor adds the entries of X-Forwarded-For: comma-separated addresses, the
// lines of a repeated header read as one list, in order.
func (c *chain) addXForwardedFor(lines []string) {
	for _, line := range lines {
		for entry := range strings.SplitSeq(line, ",") {
			c.add(parseNode(entry))
		}
	}
}

// parseNode reads one hop: an IPv4 address, an IPv6 address with or without brackets,
// either with a port, surrounded by spaces. Anything else ("unknown", an obfuscated
// identifier such as "_proxy1", an empty entry, garbage) gives an invalid address.
func parseNode(s string) netip.Addr {
	s = strings.Trim(s, " \t")
	if s == "" {
		return netip.Addr{}
	}
	if s[0] == '[' {
		end := strings.IndexByte(s, ']')
		if end < 0 || !validPort(s[end+1:]) {
			return netip.Addr{}
		}
		a, err := netip.ParseAddr(s[1:end])
		if err != nil || !a.Is6() {
			return netip.Addr{}
		}
		return clean(a)
	}
	// One colon is an IPv4 address with a port (a bare IPv6 address with a port would be
	// ambiguous, and has more). Split first: a failed parse allocates its error.
	if colon := strings.IndexByte(s, ':'); colon >= 0 && strings.IndexByte(s[colon+1:], ':') < 0 {
		if !validPort(s[colon:]) {
			return netip.Addr{}
		}
		a, err := netip.ParseAddr(s[:colon])
		if err != nil || !a.Is4() {
			return netip.Addr{}
		}
		return a
	}
	a, err := netip.ParseAddr(s)
	if err != nil {
		return netip.Addr{}
	}
	return clean(a)
}

// validPort accepts nothing, or a colon and a port: up to five digits, or an obfuscated
// port ("_" and token characters) as RFC 7239 allows.
func validPort(s string) bool {
	if s == "" {
		return true
	}
	if s[0] != ':' || len(s) == 1 {
		return false
	}
	p := s[1:]
	if p[0] == '_' {
		return isToken(p)
	}
	if len(p) > 5 {
		return false
	}
	for i := range len(p) {
		if p[i] < '0' || p[i] > '9' {
			return false
		}
	}
	return true
}
