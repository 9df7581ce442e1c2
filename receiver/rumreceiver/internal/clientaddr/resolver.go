// Copyright The otelcol-rum Authors
// SPDX-License-Identifier: Apache-2.0

// Package clientaddr finds the address of the browser behind the proxies, load balancers
// and CDNs in front of the receiver. Forwarding headers are believed only when the peer
// that sent them is a configured trusted proxy: anyone else can write any address into
// them.
package clientaddr // import "github.com/otelcol-rum/otelcol-rum/receiver/rumreceiver/internal/clientaddr"

import (
	"net/http"
	"net/netip"
	"net/textproto"
)

// Forwarding headers read when no single header is configured: Forwarded first, since
// it is the standard one, then the de facto X-Forwarded-For.
const (
	HeaderForwarded     = "Forwarded"
	HeaderXForwardedFor = "X-Forwarded-For"
)

// Resolver finds a request's client. It holds no state beyond its configuration and is
// safe for concurrent use.
type Resolver struct {
	trusted []netip.Prefix
	// header is the canonical name of the one header that names the client, or "" to
	// read Forwarded, then X-Forwarded-For.
	header string
}

// NewResolver returns a resolver that believes the forwarding headers of peers inside
// trusted. A header names the one header to read; Forwarded and X-Forwarded-For are read
// as the lists they are, any other header as a single address.
func NewResolver(trusted []netip.Prefix, header string) *Resolver {
	if header != "" {
		header = textproto.CanonicalMIMEHeaderKey(header)
	}
	return &Resolver{trusted: trusted, header: header}
}

// Resolve returns the client of a request that came from peer with headers h. For an
// untrusted peer that is the peer, whatever the headers say. For a trusted one it is the
// right-most hop of the forwarding chain that is not itself trusted, or the left-most hop
// when all are; the walk stops at a hop that is unknown, obfuscated or malformed, and
// the last address it had (the peer, or a trusted hop) is the client.
func (r *Resolver) Resolve(peer netip.Addr, h http.Header) netip.Addr {
	peer = clean(peer)
	if !r.trusts(peer) {
		return peer
	}
	switch r.header {
	case "":
		var c chain
		c.addForwarded(h[HeaderForwarded])
		if c.n == 0 {
			c.addXForwardedFor(h[HeaderXForwardedFor])
		}
		return r.walk(peer, &c)
	case HeaderForwarded:
		var c chain
		c.addForwarded(h[HeaderForwarded])
		return r.walk(peer, &c)
	case HeaderXForwardedFor:
		var c chain
		c.addXForwardedFor(h[HeaderXForwardedFor])
		return r.walk(peer, &c)
	}
	return single(peer, h[r.header])
}

// single reads a header that names the client alone (CF-Connecting-IP, True-Client-IP):
// one line holding one address. Anything else means the header is not what the proxy
// wrote, and the peer is the client.
func single(peer netip.Addr, lines []string) netip.Addr {
	if len(lines) != 1 {
		return peer
	}
	if a := parseNode(lines[0]); a.IsValid() {
		return a
	}
	return peer
}

// walk goes through the chain from the right, from the hop nearest to the receiver.
func (r *Resolver) walk(peer netip.Addr, c *chain) netip.Addr {
	last := peer
	for i := c.n - 1; i >= max(0, c.n-maxHops); i-- {
		a := c.hops[i%maxHops]
		if !a.IsValid() {
			return last
		}
		if !r.trusts(a) {
			return a
		}
		last = a
	}
	return last
}

func (r *Resolver) trusts(a netip.Addr) bool {
	for _, p := range r.trusted {
		if p.Contains(a) {
			return true
		}
	}
	return false
}

// ParsePeer reads the peer's address from net/http's RemoteAddr ("ip:port"). False when
// it holds no IP address, as for a Unix socket.
func ParsePeer(remoteAddr string) (netip.Addr, bool) {
	if ap, err := netip.ParseAddrPort(remoteAddr); err == nil {
		return clean(ap.Addr()), true
	}
	if a, err := netip.ParseAddr(remoteAddr); err == nil {
		return clean(a), true
	}
	return netip.Addr{}, false
}

// clean drops what would make one client look like two: an IPv6 zone, which names an
// interface of the host that saw the address and not the client, and the IPv4-mapped
// IPv6 form of an IPv4 address.
func clean(a netip.Addr) netip.Addr {
	return a.WithZone("").Unmap()
}
