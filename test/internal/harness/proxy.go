// Copyright The otelcol-rum Authors
// SPDX-License-Identifier: Apache-2.0

package harness // import "github.com/otelcol-rum/otelcol-rum/test/internal/harness"

import (
	"context"
	"net"
	"net/http"
	"net/http/httptest"
	"net/http/httputil"
	"net/url"
	"testing"

	"github.com/stretchr/testify/require"
)

// ProxySource is the loopback address a ForwardingProxy connects to its target from. A
// collector that lists it (alone) in trusted_proxies trusts the proxy and nobody else on
// the machine: every other test client connects from 127.0.0.1. Linux routes all of
// 127.0.0.0/8 to the loopback interface, so no setup is needed.
const ProxySource = "127.0.0.2"

// ForwardingProxy is a reverse proxy in front of a collector, as a CDN or a load balancer
// would be: it connects from ProxySource and appends the client it pretends to have seen
// to X-Forwarded-For.
type ForwardingProxy struct {
	server *httptest.Server
}

// URL is where browsers reach the collector through the proxy.
func (p *ForwardingProxy) URL() string { return p.server.URL }

// StartForwardingProxy forwards every request to target (a base URL on loopback) and
// says it came from client. It stops with the test.
func StartForwardingProxy(t testing.TB, target, client string) *ForwardingProxy {
	to, err := url.Parse(target)
	require.NoError(t, err)
	dialer := &net.Dialer{LocalAddr: &net.TCPAddr{IP: net.ParseIP(ProxySource)}}
	transport := &http.Transport{
		DialContext: func(ctx context.Context, network, addr string) (net.Conn, error) {
			return dialer.DialContext(ctx, network, addr)
		},
		MaxIdleConnsPerHost: 16,
	}
	rp := &httputil.ReverseProxy{
		Rewrite: func(r *httputil.ProxyRequest) {
			r.SetURL(to)
			r.Out.Host = r.In.Host
			// What a CDN appends: the address it was connected from (here, the one it
			// pretends to have seen) to whatever the client sent.
			r.Out.Header.Set("X-Forwarded-For", forwardedFor(r.In.Header.Get("X-Forwarded-For"), client))
		},
		Transport: transport,
	}
	p := &ForwardingProxy{server: httptest.NewServer(rp)}
	t.Cleanup(func() {
		p.server.Close()
		transport.CloseIdleConnections()
	})
	return p
}

func forwardedFor(sent, client string) string {
	if sent == "" {
		return client
	}
	return sent + ", " + client
}
