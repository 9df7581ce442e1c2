// Copyright The otelcol-rum Authors
// SPDX-License-Identifier: Apache-2.0

//go:build !linux

package harness // import "github.com/otelcol-rum/otelcol-rum/test/internal/harness"

import "os/exec"

// dieWithTest does nothing where the kernel cannot tie a process to its parent's life.
func dieWithTest(*exec.Cmd) {}
