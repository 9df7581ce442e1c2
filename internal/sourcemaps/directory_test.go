// Copyright The otelcol-rum Authors
// SPDX-License-Identifier: Apache-2.0

package sourcemaps

import (
	"context"
	"net/http"
	"os"
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestDirectoryLayout(t *testing.T) {
	s := dirStore(t)

	// The query versions the script; the layout uses the path only.
	assert.Equal(t, shopOrigin+"/src/cart.js", s.topSource(t, Key{App: "shop", Release: "1.0.0", ScriptURL: shopOrigin + "/esbuild/app.js?v=3f2c1"}, "esbuild"),
		"sources resolve against the script's location, not the file's")
	assert.Equal(t, 1, s.obs.loads(SourceDirectory))

	_, st := s.Get(context.Background(), Key{App: "shop", Release: "2.0.0", ScriptURL: shopOrigin + "/esbuild/app.js"})
	assert.Equal(t, StatusNotFound, st, "another release has no map")
	_, st = s.Get(context.Background(), Key{App: "shop", Release: "", ScriptURL: shopOrigin + "/esbuild/app.js"})
	assert.Equal(t, StatusRefused, st, "without a release the layout names no file")
}

// Keys that would name a file outside the directory are refused, whatever their
// spelling; a symbolic link out of the directory is not followed.
func TestDirectoryRefusesEscapes(t *testing.T) {
	dir := mapsDir(t)
	secret := filepath.Join(t.TempDir(), "secret.js.map")
	require.NoError(t, os.WriteFile(secret, bundleMap(t, "esbuild"), 0o600))
	require.NoError(t, os.Symlink(filepath.Dir(secret), filepath.Join(dir, "shop", "1.0.0", "linked")))
	// A map beside the directory that a ../ could reach.
	require.NoError(t, os.WriteFile(filepath.Join(filepath.Dir(dir), "outside.js.map"), bundleMap(t, "esbuild"), 0o600))

	cfg := NewDefaultConfig()
	cfg.Directory = dir
	s := newTestStore(t, cfg)
	for _, k := range []Key{
		{App: "shop", Release: "1.0.0", ScriptURL: shopOrigin + "/../../../outside.js"},
		{App: "shop", Release: "1.0.0", ScriptURL: shopOrigin + "/esbuild/..%2F..%2F..%2F..%2Foutside.js"},
		{App: "shop", Release: "1.0.0", ScriptURL: shopOrigin + "/%2e%2e/%2e%2e/%2e%2e/outside.js"},
		{App: "shop", Release: "1.0.0", ScriptURL: shopOrigin + "//etc/passwd"},
		{App: "shop", Release: "1.0.0", ScriptURL: shopOrigin + "/esbuild%5C..%5C..%5Coutside.js"},
		{App: "..", Release: "..", ScriptURL: shopOrigin + "/outside.js"},
		{App: "shop", Release: "1.0.0/../..", ScriptURL: shopOrigin + "/outside.js"},
		{App: "shop", Release: "1.0.0", ScriptURL: shopOrigin + "/linked/secret.js"},
		{App: "shop", Release: "1.0.0", ScriptURL: shopOrigin + "/"},
		{App: "shop", Release: "1.0.0", ScriptURL: "file:///etc/passwd"},
		{App: "shop", Release: "1.0.0", ScriptURL: "<anonymous>"},
	} {
		m, st := s.Get(context.Background(), k)
		assert.Nil(t, m, "%+v", k)
		assert.Equal(t, StatusRefused, st, "%+v", k)
	}
	assert.Zero(t, s.obs.loads(SourceDirectory))
}

func TestDirectoryMapTooLarge(t *testing.T) {
	cfg := NewDefaultConfig()
	cfg.Directory = mapsDir(t)
	cfg.MaxMapSize = int64(len(bundleMap(t, "esbuild")) - 1)
	s := newTestStore(t, cfg)
	_, st := s.Get(context.Background(), Key{App: "shop", Release: "1.0.0", ScriptURL: shopOrigin + "/esbuild/app.js"})
	assert.Equal(t, StatusError, st)
	assert.Equal(t, 1, s.obs.failures(ReasonTooLarge))
}

func TestBaseURL(t *testing.T) {
	store := newTestOrigin(t)
	mux := http.StripPrefix("/maps/shop/1.0.0", http.FileServer(http.Dir(filepath.Join("testdata", "dist"))))
	store.route("/maps/shop/1.0.0/terser/app.js.map", mux.ServeHTTP)
	store.route("/maps/shop/1.0.0/broken/app.js.map", func(w http.ResponseWriter, _ *http.Request) {
		http.Error(w, "boom", http.StatusInternalServerError)
	})

	cfg := NewDefaultConfig()
	cfg.BaseURL = store.URL + "/maps"
	s := newTestStore(t, cfg)

	assert.Equal(t, shopOrigin+"/src/cart.js", s.topSource(t, dirKey("terser"), "terser"))
	assert.Equal(t, 1, s.obs.loads(SourceBaseURL))

	_, st := s.Get(context.Background(), Key{App: "shop", Release: "1.0.0", ScriptURL: shopOrigin + "/missing/app.js"})
	assert.Equal(t, StatusNotFound, st)
	_, st = s.Get(context.Background(), Key{App: "shop", Release: "1.0.0", ScriptURL: shopOrigin + "/broken/app.js"})
	assert.Equal(t, StatusError, st)
	assert.Equal(t, 1, s.obs.failures(ReasonFetchError))
	assert.Equal(t, []string{"/maps/shop/1.0.0/terser/app.js.map", "/maps/shop/1.0.0/missing/app.js.map", "/maps/shop/1.0.0/broken/app.js.map"}, store.seen())
}

// The directory comes first; base_url is asked only for what it does not have.
func TestSourcesInOrder(t *testing.T) {
	store := newTestOrigin(t)
	cfg := NewDefaultConfig()
	cfg.Directory = mapsDir(t)
	cfg.BaseURL = store.URL
	s := newTestStore(t, cfg)
	_, st := s.Get(context.Background(), Key{App: "shop", Release: "1.0.0", ScriptURL: shopOrigin + "/esbuild/app.js"})
	require.Equal(t, StatusOK, st)
	assert.Empty(t, store.seen())
	_, st = s.Get(context.Background(), Key{App: "shop", Release: "9.9.9", ScriptURL: shopOrigin + "/esbuild/app.js"})
	assert.Equal(t, StatusNotFound, st)
	assert.Equal(t, []string{"/shop/9.9.9/esbuild/app.js.map"}, store.seen())
}

// The base URL's server reads the path the collector sends after decoding it, as every
// HTTP server does: a browser-chosen name or script path that decodes to "..", a slash, a
// "?" or a "#" there must reach the server as the literal text it was, never as a step
// out of <base_url>/<app>/<release>/. Each request is answered 404; what matters is what
// the server was asked for.
func TestBaseURLPathStaysInTheLayout(t *testing.T) {
	store := newTestOrigin(t)
	cfg := NewDefaultConfig()
	cfg.BaseURL = store.URL + "/maps"
	s := newTestStore(t, cfg)
	for _, k := range []struct {
		key  Key
		want string // the decoded path the server must see
	}{
		{Key{App: "%2e%2e", Release: "1", ScriptURL: shopOrigin + "/app.js"}, "/maps/%2e%2e/1/app.js.map"},
		{Key{App: "shop", Release: "..%2F..%2Fadmin", ScriptURL: shopOrigin + "/app.js"}, "/maps/shop/..%2F..%2Fadmin/app.js.map"},
		{Key{App: "shop", Release: "1", ScriptURL: shopOrigin + "/%252e%252e/%252e%252e/x.js"}, "/maps/shop/1/%2e%2e/%2e%2e/x.js.map"},
		{Key{App: "shop", Release: "1", ScriptURL: shopOrigin + "/a%253Fb.js"}, "/maps/shop/1/a%3Fb.js.map"},
		{Key{App: "sh?op", Release: "1#x", ScriptURL: shopOrigin + "/a%3Fb%23c.js"}, "/maps/sh?op/1#x/a?b#c.js.map"},
	} {
		_, st := s.Get(context.Background(), k.key)
		assert.Equal(t, StatusNotFound, st, "%+v", k.key)
		assert.Equal(t, 1, store.count(k.want), "%+v: the server saw %q", k.key, store.seen())
	}
	assert.Len(t, store.seen(), 5)
}
