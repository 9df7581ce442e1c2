// Copyright The otelcol-rum Authors
// SPDX-License-Identifier: Apache-2.0

package harness // import "github.com/otelcol-rum/otelcol-rum/test/internal/harness"

import (
	"os"
	"os/exec"
	"syscall"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
)

// StopTimeout is how long Stop waits after SIGTERM before it kills the process.
const StopTimeout = 20 * time.Second

// Proc is a background process of the test, its output kept for the failure report.
type Proc struct {
	Name   string
	cmd    *exec.Cmd
	output *tailBuffer
	exited chan struct{} // closed once the process has exited; err is set by then
	err    error         // what cmd.Wait returned
}

// StartProc runs name in dir with extra environment; it is stopped at the end of the test
// and the end of its output logged if the test failed.
func StartProc(t testing.TB, dir string, env []string, name string, args ...string) *Proc {
	t.Helper()
	p := &Proc{Name: name, cmd: exec.Command(name, args...), output: newTailBuffer(outputKept), exited: make(chan struct{})}
	p.cmd.Dir = dir
	p.cmd.Env = append(os.Environ(), env...)
	p.cmd.Stdout, p.cmd.Stderr = p.output, p.output
	dieWithTest(p.cmd)
	require.NoError(t, p.cmd.Start(), "start %s", name)
	go func() {
		p.err = p.cmd.Wait()
		close(p.exited)
	}()
	t.Cleanup(func() {
		_ = p.Stop(t)
		if t.Failed() {
			t.Logf("---- output of %s (pid %d, last %d KiB) ----\n%s", p.Name, p.Pid(), outputKept>>10, p.Output())
		}
	})
	return p
}

// Pid is the process id.
func (p *Proc) Pid() int { return p.cmd.Process.Pid }

// Output is the end of what the process wrote to stdout and stderr.
func (p *Proc) Output() string { return p.output.String() }

// Exited is closed once the process has exited.
func (p *Proc) Exited() <-chan struct{} { return p.exited }

// Err is how the process exited (nil for status 0); valid once Exited is closed.
func (p *Proc) Err() error {
	<-p.exited
	return p.err
}

// Stop sends SIGTERM, waits up to StopTimeout for the process to exit (then kills it and
// fails the test) and returns how it exited: nil for status 0. A process that already
// exited is not signalled again.
func (p *Proc) Stop(t testing.TB) error {
	if exited, _ := p.Terminate(StopTimeout); !exited {
		p.Kill()
		t.Errorf("%s did not stop within %s of SIGTERM", p.Name, StopTimeout)
	}
	return p.Err()
}

// Terminate sends SIGTERM and waits up to within for the process to exit. It reports
// whether it exited and how long that took; a process that does not exit keeps running.
func (p *Proc) Terminate(within time.Duration) (exited bool, took time.Duration) {
	select {
	case <-p.exited:
		return true, 0
	default:
	}
	start := time.Now()
	_ = p.cmd.Process.Signal(syscall.SIGTERM)
	timer := time.NewTimer(within)
	defer timer.Stop()
	select {
	case <-p.exited:
		return true, time.Since(start)
	case <-timer.C:
		return false, time.Since(start)
	}
}

// Kill sends SIGKILL and waits for the process to be gone.
func (p *Proc) Kill() {
	select {
	case <-p.exited:
		return
	default:
	}
	_ = p.cmd.Process.Kill()
	<-p.exited
}
