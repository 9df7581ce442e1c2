// Copyright The otelcol-rum Authors
// SPDX-License-Identifier: Apache-2.0

package harness

import (
	"net"
	"net/http"
	"net/http/httptest"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestForwardingProxyConnectsFromItsSourceAndAppendsTheClient(t *testing.T) {
	type seen struct{ peer, xff string }
	got := make(chan seen, 1)
	target := httptest.NewServer(http.HandlerFunc(func(_ http.ResponseWriter, r *http.Request) {
		host, _, _ := net.SplitHostPort(r.RemoteAddr)
		got <- seen{host, r.Header.Get("X-Forwarded-For")}
	}))
	defer target.Close()
	p := StartForwardingProxy(t, target.URL, "203.0.113.7")

	req, err := http.NewRequest(http.MethodGet, p.URL()+"/x", http.NoBody)
	require.NoError(t, err)
	req.Header.Set("X-Forwarded-For", "198.51.100.1")
	resp, err := http.DefaultClient.Do(req)
	require.NoError(t, err)
	resp.Body.Close()
	s := <-got
	assert.Equal(t, ProxySource, s.peer)
	assert.Equal(t, "198.51.100.1, 203.0.113.7", s.xff)
}
