// Copyright The otelcol-rum Authors
// SPDX-License-Identifier: Apache-2.0

package jserrorsprocessor

import (
	"bytes"
	"encoding/json"
	"flag"
	"fmt"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/open-telemetry/opentelemetry-collector-contrib/pkg/pdatatest/plogtest"
	"github.com/open-telemetry/opentelemetry-collector-contrib/pkg/pdatatest/pmetrictest"
	"github.com/stretchr/testify/require"
	"go.opentelemetry.io/collector/pdata/plog"

	"github.com/otelcol-rum/otelcol-rum/internal/goldenfile"
	"github.com/otelcol-rum/otelcol-rum/internal/modroot"
	"github.com/otelcol-rum/otelcol-rum/internal/sdkcaptures"
)

var update = flag.Bool("update", false, "rewrite the golden files under testdata/golden from the current output")

// build is one of the real bundles of internal/sourcemaps/testdata, deployed as a release
// of an app: its map goes where the directory layout puts it, and its error is the one
// V8 printed for it (frames.json), the same bug (addToCart of src/cart.js throwing) in
// every build.
type build struct {
	dir     string // under testdata/dist, and the bundle's URL path
	app     string
	release string
}

var builds = []build{
	{dir: "esbuild", app: "shop-web", release: "1.4.2"},
	{dir: "terser", app: "shop-web", release: "1.4.3"},
	{dir: "sections", app: "shop-web-otel", release: "1.4.2"},
	{dir: "nocontent", app: "shop-web-otel", release: "1.4.3"},
}

// errorMessage is what addToCart throws.
const errorMessage = "item without a sku: broken"

func bundlesDir(t testing.TB) string {
	t.Helper()
	return filepath.Join(modroot.Dir(t), "internal", "sourcemaps", "testdata")
}

// recordedFrame is a frame of frames.json.
type recordedFrame struct {
	Function string `json:"function"`
	URL      string `json:"url"`
	Line     int    `json:"line"`
	Column   int    `json:"column"`
}

func recordedFrames(t testing.TB) map[string][]recordedFrame {
	t.Helper()
	raw, err := os.ReadFile(filepath.Join(bundlesDir(t), "frames.json"))
	require.NoError(t, err)
	var frames map[string][]recordedFrame
	require.NoError(t, json.Unmarshal(raw, &frames))
	return frames
}

// deployMaps lays the builds' maps out in a directory as a deploy step would:
// <app>/<release>/<bundle URL path>.map.
func deployMaps(t testing.TB) string {
	t.Helper()
	root := t.TempDir()
	for _, b := range builds {
		raw, err := os.ReadFile(filepath.Join(bundlesDir(t), "dist", b.dir, "app.js.map"))
		require.NoError(t, err)
		dst := filepath.Join(root, b.app, b.release, b.dir, "app.js.map")
		require.NoError(t, os.MkdirAll(filepath.Dir(dst), 0o755))
		require.NoError(t, os.WriteFile(dst, raw, 0o600))
	}
	return root
}

// v8Stack prints frames as V8 does.
func v8Stack(frames []recordedFrame) string {
	lines := []string{"Error: " + errorMessage}
	for _, f := range frames {
		lines = append(lines, fmt.Sprintf("    at %s (%s:%d:%d)", f.Function, f.URL, f.Line, f.Column))
	}
	return strings.Join(lines, "\n")
}

// faroPayload is the real Faro capture's first payload with its exceptions replaced by
// the error of b, and the session and release its own.
func faroPayload(t *testing.T, b build, session string, frames []recordedFrame) []byte {
	t.Helper()
	raw, err := os.ReadFile(filepath.Join(sdkcaptures.Dir(t), "faro-01-collect.json"))
	require.NoError(t, err)
	var p map[string]any
	require.NoError(t, json.Unmarshal(raw, &p))
	meta := p["meta"].(map[string]any)
	meta["app"].(map[string]any)["version"] = b.release
	meta["session"].(map[string]any)["id"] = session
	var faroFrames []map[string]any
	for _, f := range frames {
		faroFrames = append(faroFrames, map[string]any{"filename": f.URL, "function": f.Function, "lineno": f.Line, "colno": f.Column})
	}
	p["exceptions"] = []map[string]any{{
		"type": "Error", "value": errorMessage, "timestamp": "2026-11-21T10:53:16.816Z",
		"stacktrace": map[string]any{"frames": faroFrames},
	}}
	for _, key := range []string{"logs", "events", "measurements"} {
		delete(p, key)
	}
	out, err := json.Marshal(p)
	require.NoError(t, err)
	return out
}

// otelPayload is the real OTel web SDK capture of a fetch span, recording the error of b
// on it as span.recordException does, under b's release.
func otelPayload(t *testing.T, b build, frames []recordedFrame) []byte {
	t.Helper()
	raw, err := os.ReadFile(filepath.Join(sdkcaptures.Dir(t), "otel-03-v1-traces.json"))
	require.NoError(t, err)
	var p map[string]any
	require.NoError(t, json.Unmarshal(raw, &p))
	rs := p["resourceSpans"].([]any)[0].(map[string]any)
	for _, a := range rs["resource"].(map[string]any)["attributes"].([]any) {
		if attr := a.(map[string]any); attr["key"] == "service.version" {
			attr["value"] = map[string]any{"stringValue": b.release}
		}
	}
	span := rs["scopeSpans"].([]any)[0].(map[string]any)["spans"].([]any)[0].(map[string]any)
	str := func(k, v string) map[string]any {
		return map[string]any{"key": k, "value": map[string]any{"stringValue": v}}
	}
	span["events"] = append(span["events"].([]any), map[string]any{
		"name": "exception", "timeUnixNano": "1795258407999000000",
		"attributes": []any{str("exception.type", "Error"), str("exception.message", errorMessage), str("exception.stacktrace", v8Stack(frames))},
	})
	out, err := json.Marshal(p)
	require.NoError(t, err)
	return out
}

func post(t *testing.T, url, contentType string, body []byte) {
	t.Helper()
	resp, err := http.Post(url, contentType, bytes.NewReader(body))
	require.NoError(t, err)
	require.NoError(t, resp.Body.Close())
	require.Less(t, resp.StatusCode, 300, url)
}

// exceptionLogs keeps the exception records of the output, with their resources.
func exceptionLogs(all []plog.Logs) []plog.Logs {
	out := plog.NewLogs()
	for _, ld := range all {
		for _, rl := range ld.ResourceLogs().All() {
			for _, sl := range rl.ScopeLogs().All() {
				sl.LogRecords().RemoveIf(func(lr plog.LogRecord) bool { return lr.EventName() != "exception" })
			}
			rl.ScopeLogs().RemoveIf(func(sl plog.ScopeLogs) bool { return sl.LogRecords().Len() == 0 })
		}
		ld.ResourceLogs().RemoveIf(func(rl plog.ResourceLogs) bool { return rl.ScopeLogs().Len() == 0 })
		ld.ResourceLogs().MoveAndAppendTo(out.ResourceLogs())
	}
	return []plog.Logs{out}
}

// TestGoldenSymbolicatedErrors sends the same bug from four real builds (esbuild and
// terser bundles as Faro exceptions, an index map and a map without sources as OTel span
// events) through rum receiver → session → jserrors with the maps deployed in a
// directory, and compares the exception records, the spans and browser.errors with
// testdata/golden/symbolicated.{logs,traces,metrics}.json. Only the collector's clock
// (observed times, emission times) is ignored. After a deliberate change, rewrite them
// with `go test -run TestGoldenSymbolicatedErrors -update` and review the diff.
func TestGoldenSymbolicatedErrors(t *testing.T) {
	cfg := testConfig()
	cfg.Sourcemaps.Directory = deployMaps(t)
	cfg.Timeout = 30 * time.Second // generous: the maps load from a local directory
	c := startChain(t, cfg, productionParts(cfg))
	frames := recordedFrames(t)
	for i, b := range builds[:2] {
		post(t, c.url+"/collect", "application/json", faroPayload(t, b, fmt.Sprintf("session-%d", i+1), frames[b.dir]))
	}
	for _, b := range builds[2:] {
		post(t, c.url+"/v1/traces", "application/json", otelPayload(t, b, frames[b.dir]))
	}
	c.stop(t)

	// What the golden files hold, said outright: one bug, one group, in every build.
	groups := map[string]bool{}
	for _, ld := range c.logs.AllLogs() {
		for _, rl := range ld.ResourceLogs().All() {
			for _, sl := range rl.ScopeLogs().All() {
				for _, lr := range sl.LogRecords().All() {
					if lr.EventName() == "exception" {
						groups[str(t, lr, "rum.error.group")] = true
						require.Contains(t, str(t, lr, "exception.stacktrace"), "at addToCart (https://shop.example/src/cart.js:9:11)")
					}
				}
			}
		}
	}
	for _, td := range c.traces.AllTraces() {
		ev := td.ResourceSpans().At(0).ScopeSpans().At(0).Spans().At(0).Events()
		attrs := ev.At(ev.Len() - 1).Attributes()
		g, _ := attrs.Get("rum.error.group")
		groups[g.Str()] = true
	}
	require.Len(t, groups, 1, "four builds, one group")

	golden := func(signal string) string { return filepath.Join("testdata", "golden", "symbolicated."+signal+".json") }
	goldenfile.Logs(t, golden("logs"), exceptionLogs(c.logs.AllLogs()), *update, plogtest.IgnoreObservedTimestamp())
	goldenfile.Traces(t, golden("traces"), c.traces.AllTraces(), *update)
	goldenfile.Metrics(t, golden("metrics"), c.metrics.AllMetrics()[len(c.metrics.AllMetrics())-1:], *update,
		pmetrictest.IgnoreTimestamp(), pmetrictest.IgnoreStartTimestamp())
}
