// Copyright The otelcol-rum Authors
// SPDX-License-Identifier: Apache-2.0

package harness // import "github.com/otelcol-rum/otelcol-rum/test/internal/harness"

import (
	"os/exec"
	"syscall"
)

// dieWithTest has the kernel kill the process when the test binary dies without running
// its cleanups (a -timeout panic, a panic in a test goroutine): otherwise a collector
// keeps running, with its ports and storage, after the test is gone. The signal comes
// when the thread that started the process exits; Go ends a thread only with a goroutine
// locked to it, which the tests do not do.
func dieWithTest(cmd *exec.Cmd) {
	cmd.SysProcAttr = &syscall.SysProcAttr{Pdeathsig: syscall.SIGKILL}
}
