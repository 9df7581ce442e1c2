// Copyright The otelcol-rum Authors
// SPDX-License-Identifier: Apache-2.0

//go:build linux

package harness

import (
	"bufio"
	"fmt"
	"os"
	"os/exec"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
)

const orphanHelperEnv = "HARNESS_ORPHAN_HELPER"

// TestProcessDiesWithTheTest: when the test binary dies without running its cleanups (go
// test's -timeout panics, a test goroutine panics), the processes it started must not keep
// running, holding their ports and files, until someone kills them by hand. The test runs
// itself as a helper that starts a process and exits at once.
func TestProcessDiesWithTheTest(t *testing.T) {
	if os.Getenv(orphanHelperEnv) == "1" {
		p := StartProc(t, t.TempDir(), nil, "sleep", "60")
		fmt.Printf("child %d\n", p.Pid())
		os.Exit(3) // no cleanup, as after a panic
	}
	helper := exec.Command(os.Args[0], "-test.run=^TestProcessDiesWithTheTest$", "-test.count=1")
	helper.Env = append(os.Environ(), orphanHelperEnv+"=1")
	out, err := helper.Output()
	require.Error(t, err, "the helper exits with status 3")
	pid := 0
	sc := bufio.NewScanner(strings.NewReader(string(out)))
	for sc.Scan() {
		if v, ok := strings.CutPrefix(sc.Text(), "child "); ok {
			pid, err = strconv.Atoi(v)
			require.NoError(t, err)
		}
	}
	require.Positive(t, pid, "the helper named its child: %s", out)

	deadline := time.Now().Add(10 * time.Second)
	for running(pid) {
		if time.Now().After(deadline) {
			_ = syscall.Kill(pid, syscall.SIGKILL)
			t.Fatalf("process %d outlived the test binary that started it", pid)
		}
		time.Sleep(20 * time.Millisecond)
	}
}

// running reports whether pid is a live process (a zombie waiting to be reaped is not).
func running(pid int) bool {
	stat, err := os.ReadFile(fmt.Sprintf("/proc/%d/stat", pid))
	if err != nil {
		return false
	}
	// pid (comm) state ...: the state follows the last ')'.
	fields := strings.Fields(string(stat[strings.LastIndexByte(string(stat), ')')+1:]))
	return len(fields) > 0 && fields[0] != "Z" && fields[0] != "X"
}
