package harness // import "github.com/otelcol-rum/otelcol-rum/test/internal/harness"

import (
	"fmt"
	"net"
	"net/http"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
)

// FreePort returns a TCP port on 127.0.0.1 that was free a moment ago.
func FreePort(t testing.TB) int {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	require.NoError(t, err)
	defer ln.Close()
	return ln.Addr().(*net.TCPAddr).Port
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
