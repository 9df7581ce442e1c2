// Copyright The otelcol-rum Authors
// SPDX-License-Identifier: Apache-2.0

// Package modroot finds the root of this repository's Go module for tests that read files
// outside their own package: the SDK captures, the shipped configuration, the built
// binary. It starts from the working directory, where go test runs every test (its
// package's directory), so it does not depend on the path the source was compiled from.
package modroot // import "github.com/otelcol-rum/otelcol-rum/internal/modroot"

import (
	"os"
	"path/filepath"
	"testing"
)

// Dir returns the module's root: the nearest directory, from the working directory up,
// that holds a go.mod, which for a test in this module is this module's. The test fails
// when there is none.
func Dir(t testing.TB) string {
	t.Helper()
	start, err := os.Getwd()
	if err != nil {
		t.Fatalf("finding the module root: %v", err)
	}
	for dir := start; ; {
		if _, err := os.Stat(filepath.Join(dir, "go.mod")); err == nil {
			return dir
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			t.Fatalf("no go.mod in %s or above it: run the test with go test, from within the module", start)
		}
		dir = parent
	}
}
