// Copyright The otelcol-rum Authors
// SPDX-License-Identifier: Apache-2.0

package harness // import "github.com/otelcol-rum/otelcol-rum/test/internal/harness"

import (
	"os"
	"path/filepath"
	"testing"

	"github.com/otelcol-rum/otelcol-rum/internal/modroot"
)

// RequiredEnv is set to 1 by the make targets that run tests of the built binary
// (`make e2e`, `make faults`): a missing prerequisite is then a failure, not a skip.
const RequiredEnv = "RUM_TEST_REQUIRED"

// RepoRoot is the absolute path of the repository: where the Makefile builds the binary
// and where the shipped configurations and tools/browser live.
func RepoRoot(t testing.TB) string {
	t.Helper()
	return modroot.Dir(t)
}

// RequirePrereq fails when a make target asked for the test (RequiredEnv=1) and skips
// otherwise, so that `go test -tags ...` on a bare machine says what is missing.
func RequirePrereq(t testing.TB, ok bool, what string) {
	t.Helper()
	if ok {
		return
	}
	if os.Getenv(RequiredEnv) == "1" {
		t.Fatalf("prerequisite missing: %s (the make target that runs this test installs it)", what)
	}
	t.Skipf("prerequisite missing: %s (run the test through make)", what)
}

// FileExists reports whether path exists.
func FileExists(path string) bool {
	_, err := os.Stat(path)
	return err == nil
}

// CollectorBinary is the absolute path of the binary `make build` made; the test skips
// (or fails, under make) without it.
func CollectorBinary(t testing.TB) string {
	t.Helper()
	bin := filepath.Join(RepoRoot(t), "build", "otelcol-rum", "otelcol-rum")
	RequirePrereq(t, FileExists(bin), "the otelcol-rum binary ("+bin+", make build)")
	return bin
}
