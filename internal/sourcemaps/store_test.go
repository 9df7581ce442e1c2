// Copyright The otelcol-rum Authors
// SPDX-License-Identifier: Apache-2.0

package sourcemaps

import (
	"context"
	"fmt"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// Concurrent Gets of one key share one load: one request, one parse, one map.
func TestConcurrentGetsLoadOnce(t *testing.T) {
	site := newTestOrigin(t)
	release := site.holdMap("esbuild")
	s := newTestStore(t, downloadConfig(site.URL))

	const callers = 32
	maps := make([]*Map, callers)
	var wg sync.WaitGroup
	for i := range callers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			maps[i], _ = s.Get(context.Background(), scriptKey(site.URL, "/esbuild/app.js"))
		}()
	}
	eventually(t, func() bool { return site.count("/esbuild/app.js.map") == 1 }, "the map is requested")
	time.Sleep(20 * time.Millisecond) // let the other callers join while the map is held back
	release()
	wg.Wait()

	assert.Equal(t, 1, site.count("/esbuild/app.js"))
	assert.Equal(t, 1, site.count("/esbuild/app.js.map"))
	for i := range callers {
		require.NotNil(t, maps[i], i)
		assert.Same(t, maps[0], maps[i])
	}
	assert.Equal(t, 1, s.obs.loads(SourceDownload))
}

// Past max_concurrent_loads, a lookup of another key does not wait: it reports a
// timeout at once and starts nothing.
func TestLoadsAreBounded(t *testing.T) {
	site := newTestOrigin(t)
	site.route("/esbuild/app.js", hang)
	cfg := downloadConfig(site.URL)
	cfg.MaxConcurrentLoads = 1
	s := newTestStore(t, cfg)

	_, st, _ := s.getWithin(t, 10*time.Millisecond, scriptKey(site.URL, "/esbuild/app.js"))
	require.Equal(t, StatusTimeout, st)
	_, st, took := s.getWithin(t, 5*time.Second, scriptKey(site.URL, "/terser/app.js"))
	assert.Equal(t, StatusTimeout, st)
	assert.Less(t, took, time.Second)
	assert.Equal(t, 1, s.obs.failures(ReasonBusy))
	assert.Zero(t, site.count("/terser/app.js"))
}

// Close ends the loads in flight and forgets nothing it did not learn.
func TestCloseEndsLoads(t *testing.T) {
	site := newTestOrigin(t)
	site.route("/esbuild/app.js", hang)
	s := newTestStore(t, downloadConfig(site.URL))
	_, st, _ := s.getWithin(t, 10*time.Millisecond, scriptKey(site.URL, "/esbuild/app.js"))
	require.Equal(t, StatusTimeout, st)

	done := make(chan struct{})
	go func() { s.Close(); close(done) }()
	select {
	case <-done:
	case <-time.After(5 * time.Second):
		t.Fatal("Close did not end the load in flight")
	}
	assert.Zero(t, s.failures.len(), "a load cut short says nothing of the map")
	assert.Zero(t, s.obs.failures(ReasonTimeout))
	assert.Zero(t, s.logs.Len())
	_, st = s.Get(context.Background(), scriptKey(site.URL, "/esbuild/app.js"))
	assert.Equal(t, StatusTimeout, st, "no load starts after Close")
}

// A bad map is logged once per key, however often it is loaded again.
func TestBadMapLoggedOnce(t *testing.T) {
	site := newTestOrigin(t)
	site.route("/html/app.js", serveText("a();\n//# sourceMappingURL=app.js.map\n"))
	site.route("/html/app.js.map", serveText("<html>not a map</html>"))
	s := newTestStore(t, downloadConfig(site.URL))
	clock := newFakeClock()
	s.now = clock.now

	for i := 0; i < 3; i++ {
		_, st := s.Get(context.Background(), scriptKey(site.URL, "/html/app.js"))
		require.Equal(t, StatusError, st)
		clock.advance(2 * s.cfg.Cache.NegativeTTL)
	}
	assert.Equal(t, 3, s.obs.failures(ReasonInvalid), "every load is counted")
	assert.Equal(t, 1, s.logs.FilterMessage("source map not usable").Len(), "one log line per key")
	entry := s.logs.All()[0]
	assert.Equal(t, string(ReasonInvalid), entry.ContextMap()["reason"])
	assert.Equal(t, site.URL+"/html/app.js", entry.ContextMap()["script_url"])
}

func TestOnceLoggerIsBounded(t *testing.T) {
	s := newTestStore(t, NewDefaultConfig())
	for i := 0; i < maxLoggedKeys+10; i++ {
		s.once.log(Key{ScriptURL: fmt.Sprintf("k%d", i)}, "bad")
	}
	assert.Len(t, s.once.logged, maxLoggedKeys)
	assert.Equal(t, maxLoggedKeys, s.logs.FilterMessage("bad").Len())
	assert.Equal(t, 1, s.logs.FilterMessageSnippet("no longer logged").Len())
}
