// Copyright The otelcol-rum Authors
// SPDX-License-Identifier: Apache-2.0

package sourcemaps

import (
	"context"
	"net/http"
	"os"
	"path/filepath"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/otelcol-rum/otelcol-rum/internal/jsstack"
)

func TestSymbolicateRealBundles(t *testing.T) {
	throwLine, throwCol := sourcePos(t, "cart.js", "new Error(")
	callLine, callCol := sourcePos(t, "checkout.js", "addToCart(cart, item)")
	for _, bundle := range []string{"esbuild", "terser", "nocontent", "sections"} {
		t.Run(bundle, func(t *testing.T) {
			s := dirStore(t)
			frames := recordedFrames(t, bundle)
			in := traceOf(frames, shopOrigin)
			out, res := s.Symbolicate(context.Background(), "shop", "1.0.0", in)

			assert.Equal(t, len(frames), res.Resolved)
			assert.Zero(t, res.Unresolved)
			assert.Zero(t, res.TimedOut)
			assert.Equal(t, SummarySymbolicated, res.Summary())
			require.Len(t, out.Lines, len(in.Lines))
			assert.Equal(t, in.Lines[0], out.Lines[0], "the head line is kept")
			assert.Equal(t, in.Lines[len(in.Lines)-1], out.Lines[len(in.Lines)-1], "a frame without a map is kept")

			top := out.Lines[1].Frame
			assert.Equal(t, jsstack.Frame{Function: "addToCart", URL: shopOrigin + "/src/cart.js", Line: throwLine, Column: throwCol}, top)
			caller := out.Lines[2].Frame
			assert.Equal(t, shopOrigin+"/src/checkout.js", caller.URL)
			assert.Equal(t, callLine, caller.Line)
			assert.Equal(t, callCol, caller.Column)
			outer := out.Lines[len(frames)].Frame
			assert.Equal(t, frames[len(frames)-1].Function, outer.Function, "the outermost frame keeps its printed name")
			assert.Equal(t, shopOrigin+"/src/main.js", outer.URL)

			if bundle == "nocontent" {
				assert.False(t, res.HasContextLine)
			} else {
				assert.True(t, res.HasContextLine)
				assert.Equal(t, sourceLine(t, "cart.js", throwLine), res.ContextLine)
			}
			assert.Equal(t, len(frames), s.obs.resolved)
			assert.Zero(t, s.obs.unresolved)
			assert.NotEqual(t, in.Lines[1], out.Lines[1], "the input is not modified")
		})
	}
}

// The esbuild bundle keeps checkout as its own function: the frame that calls addToCart
// is named checkout from the call in main.js.
func TestSymbolicateNamesFramesFromTheirCallers(t *testing.T) {
	s := dirStore(t)
	frames := recordedFrames(t, "esbuild")
	out, _ := s.Symbolicate(context.Background(), "shop", "1.0.0", traceOf(frames, shopOrigin))
	var names []string
	for _, f := range out.Frames() {
		names = append(names, f.Function)
	}
	assert.Equal(t, []string{"addToCart", "checkout", "globalThis.breakShop", "HTMLButtonElement.onclick"}, names)
}

func TestSymbolicatePartialAndUnresolved(t *testing.T) {
	s := dirStore(t)
	frames := recordedFrames(t, "esbuild")
	in := traceOf(frames, shopOrigin)
	extra := jsstack.Line{IsFrame: true, Frame: jsstack.Frame{Function: "r", URL: shopOrigin + "/unknown/vendor.js", Line: 1, Column: 99}}
	in.Lines = append(in.Lines, extra)
	out, res := s.Symbolicate(context.Background(), "shop", "1.0.0", in)
	assert.Equal(t, len(frames), res.Resolved)
	assert.Equal(t, 1, res.Unresolved)
	assert.Equal(t, SummaryPartial, res.Summary())
	assert.Equal(t, extra, out.Lines[len(out.Lines)-1])

	// Another release: no map at all; the trace comes back as it was.
	out, res = s.Symbolicate(context.Background(), "shop", "0.9.0", traceOf(frames, shopOrigin))
	assert.Equal(t, SummaryUnresolved, res.Summary())
	assert.Equal(t, traceOf(frames, shopOrigin), out)
	assert.Equal(t, 1+len(frames), s.obs.unresolved)
}

func TestSymbolicateNotAttempted(t *testing.T) {
	s := dirStore(t)
	in := jsstack.Trace{Lines: []jsstack.Line{
		{Text: "TypeError: e is undefined"},
		{IsFrame: true, Frame: jsstack.Frame{Function: "eval", URL: "<anonymous>", Line: 1, Column: 1}},
		{IsFrame: true, Frame: jsstack.Frame{Function: "f", URL: "chrome-extension://abc/content.js", Line: 3, Column: 9}},
		{IsFrame: true, Frame: jsstack.Frame{Function: "Array.forEach", URL: "native"}},
	}}
	out, res := s.Symbolicate(context.Background(), "shop", "1.0.0", in)
	assert.Equal(t, in, out)
	assert.Equal(t, SummaryNotAttempted, res.Summary())
	assert.Empty(t, s.obs.lookups, "no map is looked up")
	_, res = s.Symbolicate(context.Background(), "shop", "1.0.0", jsstack.Trace{})
	assert.Equal(t, SummaryNotAttempted, res.Summary())
}

// Symbolicate returns at its deadline; the frames whose map is still loading count as
// timed out and are kept as they were.
func TestSymbolicateTimeout(t *testing.T) {
	site := newTestOrigin(t)
	site.route("/esbuild/app.js.map", hang)
	cfg := downloadConfig(site.URL)
	cfg.FetchTimeout = 2 * time.Second
	s := newTestStore(t, cfg)
	frames := recordedFrames(t, "esbuild")
	in := traceOf(frames, site.URL)

	ctx, cancel := context.WithTimeout(context.Background(), 50*time.Millisecond)
	defer cancel()
	start := time.Now()
	out, res := s.Symbolicate(ctx, "shop", "1.0.0", in)
	assert.Less(t, time.Since(start), time.Second)
	assert.Equal(t, in, out)
	assert.Equal(t, len(frames), res.TimedOut)
	assert.Equal(t, SummaryTimeout, res.Summary())
}

// The maps of a trace's scripts load at once: each of the two map requests is held until
// both have arrived, which only loads in parallel get past.
func TestSymbolicateLoadsScriptsInParallel(t *testing.T) {
	site := newTestOrigin(t)
	var barrier sync.WaitGroup
	barrier.Add(2)
	for _, b := range []string{"esbuild", "terser"} {
		site.route("/"+b+"/app.js.map", func(w http.ResponseWriter, r *http.Request) {
			barrier.Done()
			barrier.Wait()
			http.ServeFile(w, r, filepath.Join("testdata", "dist", b, "app.js.map"))
		})
	}
	s := newTestStore(t, downloadConfig(site.URL))
	in := traceOf(recordedFrames(t, "esbuild"), site.URL)
	in.Lines = append(in.Lines, traceOf(recordedFrames(t, "terser"), site.URL).Lines[1:]...)

	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	_, res := s.Symbolicate(ctx, "shop", "1.0.0", in)
	assert.Zero(t, res.TimedOut)
	assert.Equal(t, len(recordedFrames(t, "esbuild"))+len(recordedFrames(t, "terser")), res.Resolved)
}

// A map whose mappings point outside its sources leaves the frames unresolved, and is
// counted and logged once.
func TestSymbolicateDamagedMap(t *testing.T) {
	cfg := NewDefaultConfig()
	cfg.Directory = t.TempDir()
	dir := filepath.Join(cfg.Directory, "shop", "1.0.0", "bad")
	require.NoError(t, os.MkdirAll(dir, 0o755))
	require.NoError(t, os.WriteFile(filepath.Join(dir, "app.js.map"), []byte(`{"version":3,"sources":["a.js"],"names":[],"mappings":"AKAA"}`), 0o600))
	s := newTestStore(t, cfg)
	in := jsstack.Trace{Lines: []jsstack.Line{{IsFrame: true, Frame: jsstack.Frame{Function: "t", URL: shopOrigin + "/bad/app.js", Line: 1, Column: 1}}}}
	for i := 0; i < 3; i++ {
		out, res := s.Symbolicate(context.Background(), "shop", "1.0.0", in)
		assert.Equal(t, in, out)
		assert.Equal(t, SummaryUnresolved, res.Summary())
	}
	assert.Equal(t, 1, s.obs.failures(ReasonInvalid))
	assert.Equal(t, 1, s.logs.FilterMessage("source map not usable").Len())
}

func TestSummary(t *testing.T) {
	for res, want := range map[SymbolicationResult]Summary{
		{}:                           SummaryNotAttempted,
		{Resolved: 3}:                SummarySymbolicated,
		{Resolved: 2, Unresolved: 1}: SummaryPartial,
		{Resolved: 1, TimedOut: 1}:   SummaryPartial,
		{Unresolved: 2}:              SummaryUnresolved,
		{Unresolved: 1, TimedOut: 1}: SummaryTimeout,
		{TimedOut: 4}:                SummaryTimeout,
	} {
		assert.Equal(t, want, res.Summary(), "%+v", res)
	}
}
