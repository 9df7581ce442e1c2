// Copyright The otelcol-rum Authors
// SPDX-License-Identifier: Apache-2.0

package clientaddr

import (
	"net/http"
	"net/netip"
	"testing"

	"github.com/stretchr/testify/require"
)

// FuzzResolve feeds arbitrary forwarding headers from a trusted and an untrusted peer.
// The seeds, run on every `go test`, are the shapes proxies write and the malformed ones
// of TestResolve.
func FuzzResolve(f *testing.F) {
	seeds := []struct{ forwarded, xff, custom string }{
		{"", "203.0.113.5", ""},
		{"", "1.1.1.1, 203.0.113.5, 10.0.0.2", ""},
		{"", "[2001:db9::17]:443, fe80::1%eth0, ::ffff:203.0.113.5", ""},
		{"", "unknown, garbage,, 203.0.113.5:http", ""},
		{"for=203.0.113.5;proto=https;by=10.0.0.1", "", ""},
		{`for="[2001:db9:cafe::17]:4711", for=unknown, for="_hidden"`, "", ""},
		{`for=203.0.113.5, for="_a,b";proto=x, ;=;, for="\203.0.113.5`, "", ""},
		{`for="[fe80::1%eth0]:80";for=1.1.1.1, proto=https`, "203.0.113.9", ""},
		{"", "", " 203.0.113.5:8080 "},
		{"", "", "2001:db9::5, 1.1.1.1"},
	}
	for _, s := range seeds {
		f.Add(s.forwarded, s.xff, s.custom)
	}
	trusted := []netip.Prefix{netip.MustParsePrefix("10.0.0.0/8"), netip.MustParsePrefix("2001:db8::/32")}
	resolvers := []*Resolver{NewResolver(trusted, ""), NewResolver(trusted, "True-Client-IP"), NewResolver(trusted, HeaderForwarded)}
	proxy, stranger := netip.MustParseAddr("10.1.2.3"), netip.MustParseAddr("198.51.100.7")
	f.Fuzz(func(t *testing.T, forwarded, xff, custom string) {
		h := http.Header{
			HeaderForwarded:     {forwarded},
			HeaderXForwardedFor: {xff},
			"True-Client-Ip":    {custom},
		}
		for _, r := range resolvers {
			require.Equal(t, stranger, r.Resolve(stranger, h), "an untrusted peer's headers are never read")
			got := r.Resolve(proxy, h)
			require.True(t, got.IsValid())
			require.Empty(t, got.Zone(), "zones are stripped")
			require.False(t, got.Is4In6(), "IPv4-mapped addresses are unmapped")
			require.Equal(t, got, r.Resolve(proxy, h), "resolution depends on nothing but its input")
		}
		// The parsers on their own: a hop is an address without a zone, or invalid.
		var c chain
		c.addForwarded([]string{forwarded})
		c.addXForwardedFor([]string{xff})
		for _, a := range c.hops {
			require.True(t, !a.IsValid() || a.Zone() == "")
		}
	})
}
