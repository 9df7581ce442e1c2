// Copyright The otelcol-rum Authors
// SPDX-License-Identifier: Apache-2.0

package sourcemaps

import (
	"encoding/json"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"

	"github.com/stretchr/testify/require"
	"go.uber.org/zap"

	"github.com/otelcol-rum/otelcol-rum/internal/jsstack"
)

// The origin testdata/generate.sh recorded the bundles' frames from; bundle b is
// <shopOrigin>/<b>/app.js.
const shopOrigin = "https://shop.example"

// recordedFrame is a frame V8 printed for the error of a bundle (testdata/frames.json).
type recordedFrame struct {
	Function string `json:"function"`
	URL      string `json:"url"`
	Line     int    `json:"line"`
	Column   int    `json:"column"`
}

func recordedFrames(t testing.TB, bundle string) []recordedFrame {
	t.Helper()
	b, err := os.ReadFile(filepath.Join("testdata", "frames.json"))
	require.NoError(t, err)
	var all map[string][]recordedFrame
	require.NoError(t, json.Unmarshal(b, &all))
	frames := all[bundle]
	require.NotEmpty(t, frames, "no frames recorded for %s", bundle)
	return frames
}

// traceOf builds the trace a browser would print for the frames, under the error's head
// line and over a frame without a map, with the frames' URLs moved to origin.
func traceOf(frames []recordedFrame, origin string) jsstack.Trace {
	t := jsstack.Trace{Lines: []jsstack.Line{{Text: "Error: item without a sku: broken"}}}
	for _, f := range frames {
		t.Lines = append(t.Lines, jsstack.Line{IsFrame: true, Frame: jsstack.Frame{
			Function: f.Function,
			URL:      strings.Replace(f.URL, shopOrigin, origin, 1),
			Line:     f.Line,
			Column:   f.Column,
		}})
	}
	t.Lines = append(t.Lines, jsstack.Line{IsFrame: true, Frame: jsstack.Frame{Function: "HTMLButtonElement.onclick", URL: "native"}})
	return t
}

// bundleMap reads the map of a generated bundle.
func bundleMap(t testing.TB, bundle string) []byte {
	t.Helper()
	b, err := os.ReadFile(filepath.Join("testdata", "dist", bundle, "app.js.map"))
	require.NoError(t, err)
	return b
}

// parseBundleMap parses the map of a bundle as the Store would for a script at
// <shopOrigin>/<bundle>/app.js.
func parseBundleMap(t testing.TB, bundle string) *Map {
	t.Helper()
	m, err := parseMap(shopOrigin+"/"+bundle+"/app.js.map", bundleMap(t, bundle))
	require.NoError(t, err)
	return m
}

// sourcePos finds the 1-based line and column of the first occurrence of needle in a
// file of testdata/src: the expected original position, found rather than written down
// so that regenerating the testdata keeps the tests true.
func sourcePos(t testing.TB, file, needle string) (line, col int) {
	t.Helper()
	b, err := os.ReadFile(filepath.Join("testdata", "src", file))
	require.NoError(t, err)
	for i, l := range strings.Split(string(b), "\n") {
		if c := strings.Index(l, needle); c >= 0 {
			return i + 1, c + 1
		}
	}
	t.Fatalf("%q not in %s", needle, file)
	return 0, 0
}

// sourceLine returns a 1-based line of a file of testdata/src.
func sourceLine(t testing.TB, file string, line int) string {
	t.Helper()
	b, err := os.ReadFile(filepath.Join("testdata", "src", file))
	require.NoError(t, err)
	return strings.Split(string(b), "\n")[line-1]
}

// countingObserver records the Store's telemetry for assertions.
type countingObserver struct {
	mu         sync.Mutex
	loaded     map[Source]int
	failed     map[Reason]int
	lookups    map[Outcome]int
	bytes      int64
	entries    int64
	resolved   int
	unresolved int
}

func newCountingObserver() *countingObserver {
	return &countingObserver{loaded: map[Source]int{}, failed: map[Reason]int{}, lookups: map[Outcome]int{}}
}

func (o *countingObserver) MapLoaded(s Source) {
	o.mu.Lock()
	defer o.mu.Unlock()
	o.loaded[s]++
}

func (o *countingObserver) LoadFailed(r Reason) {
	o.mu.Lock()
	defer o.mu.Unlock()
	o.failed[r]++
}

func (o *countingObserver) CacheLookup(out Outcome) {
	o.mu.Lock()
	defer o.mu.Unlock()
	o.lookups[out]++
}

func (o *countingObserver) CacheChanged(b, e int64) {
	o.mu.Lock()
	defer o.mu.Unlock()
	o.bytes += b
	o.entries += e
}

func (o *countingObserver) FramesSymbolicated(r, u int) {
	o.mu.Lock()
	defer o.mu.Unlock()
	o.resolved += r
	o.unresolved += u
}

func (o *countingObserver) failures(r Reason) int {
	o.mu.Lock()
	defer o.mu.Unlock()
	return o.failed[r]
}

func (o *countingObserver) loads(s Source) int {
	o.mu.Lock()
	defer o.mu.Unlock()
	return o.loaded[s]
}

func mustParse(t testing.TB, s string) *url.URL {
	t.Helper()
	u, err := url.Parse(s)
	require.NoError(t, err)
	return u
}

// copyRelease copies the maps of one release of app shop in a directory layout to
// another release, as a deploy would.
func copyRelease(dir, from, to string) error {
	return os.CopyFS(filepath.Join(dir, "shop", to), os.DirFS(filepath.Join(dir, "shop", from)))
}

func zapNop() *zap.Logger { return zap.NewNop() }
