// Copyright The otelcol-rum Authors
// SPDX-License-Identifier: Apache-2.0

package sourcemaps

import (
	"context"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
	"go.uber.org/zap"
	"go.uber.org/zap/zaptest/observer"
)

// origin is a test web server on 127.0.0.1 that serves testdata/dist as a site would
// and records every request it gets, so that a test can assert it got none.
type testOrigin struct {
	*httptest.Server
	mu       sync.Mutex
	requests []string
	routes   map[string]http.HandlerFunc
}

func newTestOrigin(t *testing.T) *testOrigin {
	t.Helper()
	o := &testOrigin{routes: map[string]http.HandlerFunc{}}
	files := http.FileServer(http.Dir(filepath.Join("testdata", "dist")))
	o.Server = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		o.mu.Lock()
		o.requests = append(o.requests, r.URL.Path)
		h := o.routes[r.URL.Path]
		o.mu.Unlock()
		if h != nil {
			h(w, r)
			return
		}
		files.ServeHTTP(w, r)
	}))
	t.Cleanup(o.Close)
	return o
}

// route serves path with h instead of the files.
func (o *testOrigin) route(path string, h http.HandlerFunc) {
	o.mu.Lock()
	defer o.mu.Unlock()
	o.routes[path] = h
}

func (o *testOrigin) seen() []string {
	o.mu.Lock()
	defer o.mu.Unlock()
	return append([]string(nil), o.requests...)
}

func (o *testOrigin) count(path string) int {
	n := 0
	for _, p := range o.seen() {
		if p == path {
			n++
		}
	}
	return n
}

// serveText serves a fixed body.
func serveText(body string, header ...string) http.HandlerFunc {
	return func(w http.ResponseWriter, _ *http.Request) {
		for i := 0; i+1 < len(header); i += 2 {
			w.Header().Set(header[i], header[i+1])
		}
		_, _ = w.Write([]byte(body))
	}
}

// fakeClock is the Store's clock in tests of the TTLs.
type fakeClock struct{ t atomic.Int64 }

func newFakeClock() *fakeClock {
	c := &fakeClock{}
	c.t.Store(time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC).UnixNano())
	return c
}

func (c *fakeClock) now() time.Time          { return time.Unix(0, c.t.Load()) }
func (c *fakeClock) advance(d time.Duration) { c.t.Add(int64(d)) }

// testStore builds a Store from cfg with a counting observer and an observed logger,
// closed at the end of the test.
type testStore struct {
	*Store
	obs  *countingObserver
	logs *observer.ObservedLogs
}

func newTestStore(t *testing.T, cfg Config) *testStore {
	t.Helper()
	core, logs := observer.New(zap.InfoLevel)
	obs := newCountingObserver()
	s, err := NewStore(cfg, obs, zap.New(core), nil)
	require.NoError(t, err)
	t.Cleanup(s.Close)
	return &testStore{Store: s, obs: obs, logs: logs}
}

// mapsDir lays testdata/dist out as the directory source expects for app shop,
// release 1.0.0, and returns the directory.
func mapsDir(t *testing.T) string {
	t.Helper()
	dir := t.TempDir()
	require.NoError(t, os.MkdirAll(filepath.Join(dir, "shop"), 0o755))
	require.NoError(t, os.CopyFS(filepath.Join(dir, "shop", "1.0.0"), os.DirFS(filepath.Join("testdata", "dist"))))
	return dir
}

// within runs Get with a deadline and fails if it takes much longer than the deadline.
func (s *testStore) getWithin(t *testing.T, d time.Duration, k Key) (*Map, Status, time.Duration) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), d)
	defer cancel()
	start := time.Now()
	m, st := s.Get(ctx, k)
	return m, st, time.Since(start)
}

// eventually waits, boundedly, for cond.
func eventually(t *testing.T, cond func() bool, msg string) {
	t.Helper()
	require.Eventually(t, cond, 10*time.Second, 5*time.Millisecond, msg)
}

// hang answers nothing until the client gives up: a server that is too slow.
func hang(_ http.ResponseWriter, r *http.Request) { <-r.Context().Done() }

// topSource gets the map of k and returns the original source of the top frame recorded
// for bundle.
func (s *testStore) topSource(t *testing.T, k Key, bundle string) string {
	t.Helper()
	m, st := s.Get(context.Background(), k)
	require.Equal(t, StatusOK, st)
	frames := recordedFrames(t, bundle)
	p, ok := m.Resolve(frames[0].Line, frames[0].Column)
	require.True(t, ok)
	return p.Source
}

// dirStore is a Store of the testdata maps laid out in a directory.
func dirStore(t *testing.T) *testStore {
	t.Helper()
	cfg := NewDefaultConfig()
	cfg.Directory = mapsDir(t)
	return newTestStore(t, cfg)
}

// holdMap serves the map of a testdata bundle only once release is called.
func (o *testOrigin) holdMap(bundle string) (release func()) {
	gate := make(chan struct{})
	o.route("/"+bundle+"/app.js.map", func(w http.ResponseWriter, r *http.Request) {
		<-gate
		http.ServeFile(w, r, filepath.Join("testdata", "dist", bundle, "app.js.map"))
	})
	return func() { close(gate) }
}
