//go:build e2e

package e2e

import (
	"bytes"
	"fmt"
	"net"
	"net/http"
	"os"
	"os/exec"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
)

// proc is a background process of the test, its output kept for the failure report.
type proc struct {
	name   string
	cmd    *exec.Cmd
	output *lockedBuffer
	exited chan struct{} // closed once the process has exited; err is set by then
	err    error         // what cmd.Wait returned
}

// lockedBuffer is written by the process while the test may read it.
type lockedBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (b *lockedBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.Write(p)
}

func (b *lockedBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.String()
}

// startProc runs name in dir with extra environment; it is stopped at the end of the test
// and its output logged if the test failed.
func startProc(t *testing.T, dir string, env []string, name string, args ...string) *proc {
	t.Helper()
	p := &proc{name: name, cmd: exec.Command(name, args...), output: &lockedBuffer{}, exited: make(chan struct{})}
	p.cmd.Dir = dir
	p.cmd.Env = append(os.Environ(), env...)
	p.cmd.Stdout, p.cmd.Stderr = p.output, p.output
	require.NoError(t, p.cmd.Start(), "start %s", name)
	go func() {
		p.err = p.cmd.Wait()
		close(p.exited)
	}()
	t.Cleanup(func() {
		_ = p.stop(t)
		if t.Failed() {
			t.Logf("---- output of %s ----\n%s", name, p.output.String())
		}
	})
	return p
}

// stop sends SIGTERM, waits up to 20 s for the process to exit (then kills it) and returns
// how it exited: nil for status 0. A process that already exited is not signalled again.
func (p *proc) stop(t *testing.T) error {
	select {
	case <-p.exited:
		return p.err
	default:
	}
	_ = p.cmd.Process.Signal(syscall.SIGTERM)
	select {
	case <-p.exited:
	case <-time.After(20 * time.Second):
		_ = p.cmd.Process.Kill()
		<-p.exited
		t.Errorf("%s did not stop within 20s of SIGTERM", p.name)
	}
	return p.err
}

// waitHTTP waits until url answers 2xx.
func waitHTTP(t *testing.T, p *proc, url string) {
	t.Helper()
	require.Eventually(t, func() bool {
		resp, err := http.Get(url)
		if err != nil {
			return false
		}
		resp.Body.Close()
		return resp.StatusCode/100 == 2
	}, 60*time.Second, 200*time.Millisecond, "%s did not answer on %s:\n%s", p.name, url, p.output)
}

// freePort returns a TCP port on 127.0.0.1 that was free a moment ago.
func freePort(t *testing.T) int {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	require.NoError(t, err)
	defer ln.Close()
	return ln.Addr().(*net.TCPAddr).Port
}

func loopback(port int) string { return fmt.Sprintf("127.0.0.1:%d", port) }
