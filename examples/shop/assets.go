// Copyright The otelcol-rum Authors
// SPDX-License-Identifier: Apache-2.0

package main

import (
	"errors"
	"io/fs"
	"net/http"
	"os"
	"regexp"
	"strings"
)

// Only plain bundle names: no directories, no dot files.
var assetName = regexp.MustCompile(`^[A-Za-z0-9][A-Za-z0-9._-]*\.js(\.map)?$`)

// assetHandler serves the esbuild bundles (GET /dist/{file}) from dir. Files are
// read per request, so rebuilding the bundles needs no restart of the shop.
func assetHandler(dir string) http.Handler {
	// Served through an fs.FS rooted at dir, which refuses names with ".." or a leading
	// "/", whatever assetName lets through.
	bundles := os.DirFS(dir)
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		name := r.PathValue("file")
		if !assetName.MatchString(name) {
			http.NotFound(w, r)
			return
		}
		if _, err := fs.Stat(bundles, name); errors.Is(err, fs.ErrNotExist) {
			http.Error(w, "bundle "+name+" not found in "+dir+
				": build it with `cd tools/browser && npm ci && node build.mjs`", http.StatusNotFound)
			return
		}
		if strings.HasSuffix(name, ".js") {
			w.Header().Set("Content-Type", "text/javascript; charset=utf-8")
		} else {
			w.Header().Set("Content-Type", "application/json")
		}
		w.Header().Set("Cache-Control", "no-cache")
		http.ServeFileFS(w, r, bundles, name) //nolint:gosec // an fs.FS cannot open a path outside its root
	})
}
