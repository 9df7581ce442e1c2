// Copyright The otelcol-rum Authors
// SPDX-License-Identifier: Apache-2.0

package clientaddr

import (
	"fmt"
	"net/http"
	"net/netip"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// testTrusted is a load balancer network, a single CDN edge and an IPv6 network.
var testTrusted = []string{"10.0.0.0/8", "192.0.2.1", "2001:db8::/32"}

func newTestResolver(t testing.TB, header string) *Resolver {
	t.Helper()
	var prefixes []netip.Prefix
	for _, s := range testTrusted {
		p, err := ParsePrefix(s)
		require.NoError(t, err)
		prefixes = append(prefixes, p)
	}
	return NewResolver(prefixes, header)
}

// headers builds a header from name, value pairs; a name given twice is a repeated
// header line.
func headers(kv ...string) http.Header {
	h := http.Header{}
	for i := 0; i+1 < len(kv); i += 2 {
		h.Add(kv[i], kv[i+1])
	}
	return h
}

func TestResolve(t *testing.T) {
	const (
		proxy     = "10.1.2.3"
		untrusted = "198.51.100.7"
	)
	cases := []struct {
		name   string
		header string // client_address_header
		peer   string
		h      http.Header
		want   string
	}{
		// Whom to believe.
		{name: "untrusted peer without headers", peer: untrusted, h: headers(), want: untrusted},
		{name: "untrusted peer's XFF is ignored", peer: untrusted, h: headers("X-Forwarded-For", "203.0.113.5"), want: untrusted},
		{name: "untrusted peer's Forwarded is ignored", peer: untrusted, h: headers("Forwarded", "for=203.0.113.5"), want: untrusted},
		{name: "untrusted peer's custom header is ignored", header: "CF-Connecting-IP", peer: untrusted, h: headers("CF-Connecting-IP", "203.0.113.5"), want: untrusted},
		{name: "trusted peer without headers", peer: proxy, h: headers(), want: proxy},
		{name: "single trusted address", peer: "192.0.2.1", h: headers("X-Forwarded-For", "203.0.113.5"), want: "203.0.113.5"},
		{name: "192.0.2.2 is not the trusted 192.0.2.1", peer: "192.0.2.2", h: headers("X-Forwarded-For", "203.0.113.5"), want: "192.0.2.2"},
		{name: "IPv4-mapped peer is trusted as IPv4", peer: "::ffff:10.1.2.3", h: headers("X-Forwarded-For", "203.0.113.5"), want: "203.0.113.5"},
		{name: "trusted IPv6 peer", peer: "2001:db8::9", h: headers("X-Forwarded-For", "2001:db9::1"), want: "2001:db9::1"},

		// X-Forwarded-For.
		{name: "XFF one hop", peer: proxy, h: headers("X-Forwarded-For", "203.0.113.5"), want: "203.0.113.5"},
		{name: "XFF right-most untrusted wins over a spoofed left", peer: proxy, h: headers("X-Forwarded-For", "1.1.1.1, 203.0.113.5, 10.0.0.2"), want: "203.0.113.5"},
		{name: "XFF over repeated lines", peer: proxy, h: headers("X-Forwarded-For", "1.1.1.1", "X-Forwarded-For", "203.0.113.5, 10.0.0.2"), want: "203.0.113.5"},
		{name: "XFF all trusted gives the left-most", peer: proxy, h: headers("X-Forwarded-For", "10.0.0.9, 10.0.0.2"), want: "10.0.0.9"},
		{name: "XFF with port", peer: proxy, h: headers("X-Forwarded-For", "203.0.113.5:51234"), want: "203.0.113.5"},
		{name: "XFF IPv6", peer: proxy, h: headers("X-Forwarded-For", "2001:db9::17"), want: "2001:db9::17"},
		{name: "XFF IPv6 in brackets with port", peer: proxy, h: headers("X-Forwarded-For", "[2001:db9::17]:443"), want: "2001:db9::17"},
		{name: "XFF IPv6 zone is stripped", peer: proxy, h: headers("X-Forwarded-For", "fe80::1%eth0"), want: "fe80::1"},
		{name: "XFF bracketed zone is stripped", peer: proxy, h: headers("X-Forwarded-For", "[fe80::1%eth0]:80"), want: "fe80::1"},
		{name: "XFF IPv4-mapped is unmapped", peer: proxy, h: headers("X-Forwarded-For", "::ffff:203.0.113.5"), want: "203.0.113.5"},
		{name: "XFF spaces and tabs", peer: proxy, h: headers("X-Forwarded-For", " \t203.0.113.5 ,\t10.0.0.2 "), want: "203.0.113.5"},

		// Malformed hops stop the walk at the last good address.
		{name: "XFF garbage right-most gives the peer", peer: proxy, h: headers("X-Forwarded-For", "203.0.113.5, not-an-ip"), want: proxy},
		{name: "XFF garbage behind a trusted hop gives that hop", peer: proxy, h: headers("X-Forwarded-For", "garbage, 10.0.0.2"), want: "10.0.0.2"},
		{name: "XFF garbage left of the client is never read", peer: proxy, h: headers("X-Forwarded-For", "garbage, 203.0.113.5"), want: "203.0.113.5"},
		{name: "XFF empty entry", peer: proxy, h: headers("X-Forwarded-For", "203.0.113.5,"), want: proxy},
		{name: "XFF unknown", peer: proxy, h: headers("X-Forwarded-For", "unknown, 10.0.0.2"), want: "10.0.0.2"},
		{name: "XFF IPv4 with bad port", peer: proxy, h: headers("X-Forwarded-For", "203.0.113.5:http"), want: proxy},
		{name: "XFF IPv4 in brackets", peer: proxy, h: headers("X-Forwarded-For", "[203.0.113.5]"), want: proxy},
		{name: "XFF out of range octet", peer: proxy, h: headers("X-Forwarded-For", "203.0.113.256"), want: proxy},

		// Forwarded (RFC 7239).
		{name: "Forwarded for", peer: proxy, h: headers("Forwarded", "for=203.0.113.5"), want: "203.0.113.5"},
		{name: "Forwarded case-insensitive name and other params", peer: proxy, h: headers("Forwarded", "proto=https;FOR=203.0.113.5;by=10.0.0.1"), want: "203.0.113.5"},
		{name: "Forwarded quoted IPv6 with port", peer: proxy, h: headers("Forwarded", `for="[2001:db9:cafe::17]:4711"`), want: "2001:db9:cafe::17"},
		{name: "Forwarded quoted IPv4 with port", peer: proxy, h: headers("Forwarded", `for="203.0.113.5:4711"`), want: "203.0.113.5"},
		{name: "Forwarded unquoted IPv6 tolerated", peer: proxy, h: headers("Forwarded", `for=[2001:db9::1]`), want: "2001:db9::1"},
		{name: "Forwarded chain", peer: proxy, h: headers("Forwarded", "for=1.1.1.1, for=203.0.113.5;proto=https, for=10.0.0.2"), want: "203.0.113.5"},
		{name: "Forwarded over repeated lines", peer: proxy, h: headers("Forwarded", "for=203.0.113.5", "Forwarded", "for=10.0.0.2"), want: "203.0.113.5"},
		{name: "Forwarded unknown stops", peer: proxy, h: headers("Forwarded", "for=203.0.113.5, for=unknown, for=10.0.0.2"), want: "10.0.0.2"},
		{name: "Forwarded obfuscated stops", peer: proxy, h: headers("Forwarded", `for=203.0.113.5, for="_hidden"`), want: proxy},
		{name: "Forwarded obfuscated port is fine", peer: proxy, h: headers("Forwarded", `for="203.0.113.5:_p1"`), want: "203.0.113.5"},
		{name: "Forwarded element without for stops", peer: proxy, h: headers("Forwarded", "for=203.0.113.5, proto=https"), want: proxy},
		{name: "Forwarded two fors in one element", peer: proxy, h: headers("Forwarded", "for=203.0.113.5;for=1.1.1.1"), want: proxy},
		{name: "Forwarded empty elements skipped", peer: proxy, h: headers("Forwarded", ", for=203.0.113.5 , ,"), want: "203.0.113.5"},
		{name: "Forwarded quoted comma does not split", peer: proxy, h: headers("Forwarded", `for=203.0.113.5, for="_a,b";proto=x`), want: proxy},
		{name: "Forwarded escaped quote", peer: proxy, h: headers("Forwarded", `for=203.0.113.5;x="a\"b"`), want: "203.0.113.5"},
		{name: "Forwarded escaped node", peer: proxy, h: headers("Forwarded", `for="\203.0.113.5"`), want: "203.0.113.5"},
		{name: "Forwarded unterminated quote", peer: proxy, h: headers("Forwarded", `for="203.0.113.5`), want: proxy},
		{name: "Forwarded garbage element", peer: proxy, h: headers("Forwarded", "for=203.0.113.5, ;=;, for=10.0.0.2"), want: "10.0.0.2"},
		{name: "Forwarded garbage after value", peer: proxy, h: headers("Forwarded", "for=203.0.113.5 x"), want: proxy},
		{name: "Forwarded empty value", peer: proxy, h: headers("Forwarded", "for="), want: proxy},
		{name: "Forwarded zone", peer: proxy, h: headers("Forwarded", `for="[fe80::1%eth0]:80"`), want: "fe80::1"},
		{name: "Forwarded wins over XFF", peer: proxy, h: headers("Forwarded", "for=203.0.113.5", "X-Forwarded-For", "203.0.113.9"), want: "203.0.113.5"},
		{name: "blank Forwarded falls back to XFF", peer: proxy, h: headers("Forwarded", " ", "X-Forwarded-For", "203.0.113.9"), want: "203.0.113.9"},

		// A configured header.
		{name: "custom header", header: "CF-Connecting-IP", peer: proxy, h: headers("Cf-Connecting-Ip", "203.0.113.5"), want: "203.0.113.5"},
		{name: "custom header with spaces and port", header: "true-client-ip", peer: proxy, h: headers("True-Client-IP", "  203.0.113.5:8080 "), want: "203.0.113.5"},
		{name: "custom header IPv6", header: "True-Client-IP", peer: proxy, h: headers("True-Client-IP", "2001:db9::5"), want: "2001:db9::5"},
		{name: "custom header invalid gives the peer", header: "True-Client-IP", peer: proxy, h: headers("True-Client-IP", "nope"), want: proxy},
		{name: "custom header list gives the peer", header: "True-Client-IP", peer: proxy, h: headers("True-Client-IP", "203.0.113.5, 1.1.1.1"), want: proxy},
		{name: "custom header twice gives the peer", header: "True-Client-IP", peer: proxy, h: headers("True-Client-IP", "203.0.113.5", "True-Client-IP", "1.1.1.1"), want: proxy},
		{name: "custom header missing gives the peer", header: "True-Client-IP", peer: proxy, h: headers("X-Forwarded-For", "203.0.113.5"), want: proxy},
		{name: "custom header may be trusted itself", header: "True-Client-IP", peer: proxy, h: headers("True-Client-IP", "10.0.0.5"), want: "10.0.0.5"},
		{name: "pinned XFF ignores Forwarded", header: "x-forwarded-for", peer: proxy, h: headers("Forwarded", "for=1.1.1.1", "X-Forwarded-For", "203.0.113.5, 10.0.0.2"), want: "203.0.113.5"},
		{name: "pinned Forwarded ignores XFF", header: "forwarded", peer: proxy, h: headers("Forwarded", "for=203.0.113.5", "X-Forwarded-For", "1.1.1.1"), want: "203.0.113.5"},
		{name: "pinned Forwarded without it gives the peer", header: "Forwarded", peer: proxy, h: headers("X-Forwarded-For", "1.1.1.1"), want: proxy},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			r := newTestResolver(t, tc.header)
			got := r.Resolve(netip.MustParseAddr(tc.peer), tc.h)
			assert.Equal(t, tc.want, got.String())
		})
	}
}

func TestNoTrustedProxiesTrustsNoOne(t *testing.T) {
	r := NewResolver(nil, "")
	peer := netip.MustParseAddr("10.1.2.3")
	assert.Equal(t, peer, r.Resolve(peer, headers("X-Forwarded-For", "203.0.113.5", "Forwarded", "for=203.0.113.5")))
}

func TestLongChainsKeepTheRightMostHops(t *testing.T) {
	r := newTestResolver(t, "")
	peer := netip.MustParseAddr("10.1.2.3")
	// A client behind more trusted hops than are kept resolves to the left-most kept one.
	trustedHops := make([]string, 3*maxHops)
	for i := range trustedHops {
		trustedHops[i] = netip.AddrFrom4([4]byte{10, 0, 0, byte(i + 1)}).String()
	}
	got := r.Resolve(peer, headers("X-Forwarded-For", "203.0.113.5, "+strings.Join(trustedHops, ", ")))
	assert.Equal(t, trustedHops[len(trustedHops)-maxHops], got.String())
	// A long spoofed prefix is read without harm; the right-most untrusted hop wins.
	spoofed := strings.Repeat("1.1.1.1, ", 10_000)
	got = r.Resolve(peer, headers("X-Forwarded-For", spoofed+"203.0.113.5, 10.0.0.2"))
	assert.Equal(t, "203.0.113.5", got.String())
}

// assertParses checks that each input parses to the address or prefix beside it.
func assertParses[T fmt.Stringer](t *testing.T, parse func(string) (T, bool), want map[string]string) {
	t.Helper()
	for in, w := range want {
		got, ok := parse(in)
		if assert.True(t, ok, in) {
			assert.Equal(t, w, got.String(), in)
		}
	}
}

func TestParsePeer(t *testing.T) {
	assertParses(t, ParsePeer, map[string]string{
		"203.0.113.5:1234":      "203.0.113.5",
		"[2001:db8::1]:443":     "2001:db8::1",
		"[fe80::1%eth0]:443":    "fe80::1",
		"[::ffff:10.0.0.1]:443": "10.0.0.1",
		"203.0.113.5":           "203.0.113.5",
	})
	for _, remote := range []string{"", "@", "/run/rum.sock", "host:80"} {
		_, ok := ParsePeer(remote)
		assert.False(t, ok, remote)
	}
}

func TestParsePrefix(t *testing.T) {
	parses := func(s string) (netip.Prefix, bool) {
		p, err := ParsePrefix(s)
		assert.NoError(t, err, s)
		return p, err == nil
	}
	assertParses(t, parses, map[string]string{
		"10.0.0.0/8":          "10.0.0.0/8",
		"10.1.2.3/8":          "10.0.0.0/8",
		"192.0.2.1":           "192.0.2.1/32",
		" 2001:db8::/32 ":     "2001:db8::/32",
		"2001:db8::1":         "2001:db8::1/128",
		"::ffff:10.0.0.0/104": "10.0.0.0/8",
	})
	for in, msg := range map[string]string{
		"10.0.0.0/33":  `"10.0.0.0/33" is not a CIDR prefix`,
		"10.0.0.300":   `"10.0.0.300" is neither an IP address nor a CIDR prefix`,
		"":             `"" is neither`,
		"fe80::1%eth0": "zone",
		"proxy.local":  "neither",
	} {
		_, err := ParsePrefix(in)
		require.Error(t, err, in)
		assert.Contains(t, err.Error(), msg, in)
	}
}

func TestValidHeaderName(t *testing.T) {
	for _, ok := range []string{"CF-Connecting-IP", "True-Client-IP", "x_real_ip", "Fastly-Client-IP"} {
		assert.True(t, ValidHeaderName(ok), ok)
	}
	for _, bad := range []string{"", "Client IP", "X-IP:", "X-Ip\n", "é"} {
		assert.False(t, ValidHeaderName(bad), bad)
	}
}
