// Copyright The otelcol-rum Authors
// SPDX-License-Identifier: Apache-2.0

package main

import (
	"errors"
	"io/fs"
	"net/http"
	"os"
	"regexp"
)

// Only plain bundle names: no directories, no dot files. Source maps (*.js.map) sit next
// to the bundles in dir but are not served: as on many production sites, the maps are
// not public, so that the collector can symbolicate the shop's errors only with the maps
// deployed to its own source-map directory (tools/browser/deploy-maps.mjs).
var assetName = regexp.MustCompile(`^[A-Za-z0-9][A-Za-z0-9._-]*\.js$`)

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
		w.Header().Set("Content-Type", "text/javascript; charset=utf-8")
		w.Header().Set("Cache-Control", "no-cache")
		http.ServeFileFS(w, r, bundles, name) //nolint:gosec // an fs.FS cannot open a path outside its root
	})
}
