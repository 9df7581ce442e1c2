// Copyright The otelcol-rum Authors
// SPDX-License-Identifier: Apache-2.0

package modroot

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestDirIsTheModuleRoot: from this package's directory, two levels down, Dir finds the
// go.mod of this module.
func TestDirIsTheModuleRoot(t *testing.T) {
	root := Dir(t)
	wd, err := os.Getwd()
	require.NoError(t, err)
	assert.Equal(t, filepath.Join(root, "internal", "modroot"), wd)
	gomod, err := os.ReadFile(filepath.Join(root, "go.mod"))
	require.NoError(t, err)
	assert.True(t, strings.HasPrefix(string(gomod), "module github.com/otelcol-rum/otelcol-rum\n"))
}

// TestDirFromAnotherDirectory: the answer follows the working directory, not the source.
func TestDirFromAnotherDirectory(t *testing.T) {
	other := t.TempDir()
	require.NoError(t, os.MkdirAll(filepath.Join(other, "a", "b"), 0o755))
	require.NoError(t, os.WriteFile(filepath.Join(other, "go.mod"), []byte("module example\n"), 0o600))
	t.Chdir(filepath.Join(other, "a", "b"))
	got, err := filepath.EvalSymlinks(Dir(t))
	require.NoError(t, err)
	want, err := filepath.EvalSymlinks(other)
	require.NoError(t, err)
	assert.Equal(t, want, got)
}
