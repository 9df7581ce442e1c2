// Copyright The otelcol-rum Authors
// SPDX-License-Identifier: Apache-2.0

package rumreceiver // import "github.com/otelcol-rum/otelcol-rum/receiver/rumreceiver"

import (
	"context"
	"net"
	"net/http"

	"go.opentelemetry.io/collector/client"

	"github.com/otelcol-rum/otelcol-rum/receiver/rumreceiver/internal/clientaddr"
)

// resolveClient finds the request's client, once per request: the peer, or behind a
// trusted proxy the client the proxy names (trusted_proxies, client_address_header). It
// returns the address, the key of the per-client rate limit and client.address, and the
// context to forward, whose client.Info.Addr is that address, so that the processors
// behind the receiver (session assignment, geolocation) see the browser, not the proxy.
// The rest of client.Info (metadata, auth) is kept as confighttp put it there.
func (r *rumReceiver) resolveClient(req *http.Request) (string, context.Context) {
	ctx := req.Context()
	peer, ok := clientaddr.ParsePeer(req.RemoteAddr)
	if !ok {
		return req.RemoteAddr, ctx
	}
	addr := r.clients.Resolve(peer, req.Header)
	// confighttp already put the peer there: only a proxied request needs a new one, and
	// one that came the direct route (direct.go), which confighttp did not see.
	if info := client.FromContext(ctx); addr != peer || info.Addr == nil {
		info.Addr = &net.IPAddr{IP: addr.AsSlice()}
		ctx = client.NewContext(ctx, info)
	}
	return addr.String(), ctx
}
