// Copyright The otelcol-rum Authors
// SPDX-License-Identifier: Apache-2.0

package clientaddr

import (
	"net/http"
	"net/netip"
	"testing"
)

// BenchmarkResolve measures a request through a CDN and a load balancer: three hops in
// X-Forwarded-For, of which the right-most two are trusted; and the same in Forwarded.
func BenchmarkResolve(b *testing.B) {
	r := newTestResolver(b, "")
	peer := netip.MustParseAddr("10.1.2.3")
	cases := map[string]http.Header{
		"xff-3-hops":       headers("X-Forwarded-For", "203.0.113.5, 192.0.2.1, 10.0.0.2"),
		"forwarded-3-hops": headers("Forwarded", `for=203.0.113.5;proto=https, for=192.0.2.1, for="10.0.0.2:4711"`),
		"untrusted-peer":   headers("X-Forwarded-For", "203.0.113.5, 192.0.2.1, 10.0.0.2"),
	}
	for name, h := range cases {
		from := peer
		if name == "untrusted-peer" {
			from = netip.MustParseAddr("198.51.100.7")
		}
		b.Run(name, func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				_ = r.Resolve(from, h)
			}
		})
	}
}
