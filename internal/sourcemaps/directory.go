// Copyright The otelcol-rum Authors
// SPDX-License-Identifier: Apache-2.0

package sourcemaps // import "github.com/otelcol-rum/otelcol-rum/internal/sourcemaps"

import (
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"syscall"
)

// readFromDirectory reads <dir>/<segs...> through an os.Root, which refuses any path
// that leaves dir, symbolic links included. The root is opened for each read, not once:
// a deploy step that replaces the directory must be seen at the next read.
func readFromDirectory(dir string, segs []string, maxSize int64) ([]byte, Reason, error) {
	root, err := os.OpenRoot(dir)
	if err != nil {
		return nil, fileFailure(err), err
	}
	defer root.Close()
	f, err := root.Open(filepath.Join(segs...))
	if err != nil {
		return nil, fileFailure(err), err
	}
	defer f.Close()
	info, err := f.Stat()
	if err != nil {
		return nil, ReasonFetchError, err
	}
	if !info.Mode().IsRegular() {
		return nil, ReasonNotFound, errors.New(info.Name() + ": not a regular file")
	}
	if info.Size() > maxSize {
		return nil, ReasonTooLarge, errTooLarge
	}
	b, reason, err := readBounded(f, maxSize)
	if err != nil && reason == "" {
		reason = ReasonFetchError
	}
	return b, reason, err
}

// fileFailure classifies an error of opening a file: missing (a path segment missing or
// not a directory), unreadable, or refused by the root (a link out of the directory).
func fileFailure(err error) Reason {
	switch {
	case errors.Is(err, fs.ErrNotExist) || errors.Is(err, syscall.ENOTDIR):
		return ReasonNotFound
	case errors.Is(err, fs.ErrPermission):
		return ReasonFetchError
	}
	return ReasonRefused
}
