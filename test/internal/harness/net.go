// Copyright The otelcol-rum Authors
// SPDX-License-Identifier: Apache-2.0

package harness // import "github.com/otelcol-rum/otelcol-rum/test/internal/harness"

import (
	"fmt"
	"net"
	"net/http"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
)

// handedOut are the ports FreePort returned in this process. A port is free again once
// its probe listener is closed, and the kernel can pick it for the next one: a collector
// given the same port for two listeners does not start.
var handedOut = struct {
	sync.Mutex
	ports map[int]bool
}{ports: map[int]bool{}}

// FreePort returns a TCP port on 127.0.0.1 that was free a moment ago and that no other
// call in this process returned.
func FreePort(t testing.TB) int {
	t.Helper()
	handedOut.Lock()
	defer handedOut.Unlock()
	for range 100 {
		ln, err := net.Listen("tcp", "127.0.0.1:0")
		require.NoError(t, err)
		port := ln.Addr().(*net.TCPAddr).Port
		require.NoError(t, ln.Close())
		if !handedOut.ports[port] {
			handedOut.ports[port] = true
			return port
		}
	}
	t.Fatalf("no free loopback port that was not handed out before, in 100 tries (%d handed out)", len(handedOut.ports))
	return 0
}

// FreeAddr is FreePort as an address to listen on.
func FreeAddr(t testing.TB) string { return Loopback(FreePort(t)) }

// Loopback is the address of port on 127.0.0.1.
func Loopback(port int) string { return fmt.Sprintf("127.0.0.1:%d", port) }

// WaitHTTP waits up to a minute until url answers 2xx, and fails with the process's
// output if it never does or exits first.
func WaitHTTP(t testing.TB, p *Proc, url string) {
	t.Helper()
	deadline := time.Now().Add(time.Minute)
	for !Healthy(url) {
		select {
		case <-p.Exited():
			t.Fatalf("%s exited (%v) before it answered on %s:\n%s", p.Name, p.err, url, p.Output())
		default:
		}
		if time.Now().After(deadline) {
			t.Fatalf("%s did not answer on %s within a minute:\n%s", p.Name, url, p.Output())
		}
		time.Sleep(100 * time.Millisecond)
	}
}

// Healthy reports whether a GET of url answers 2xx within a second.
func Healthy(url string) bool {
	client := http.Client{Timeout: time.Second}
	resp, err := client.Get(url)
	if err != nil {
		return false
	}
	resp.Body.Close()
	return resp.StatusCode/100 == 2
}
