// Copyright The otelcol-rum Authors
// SPDX-License-Identifier: Apache-2.0

//go:build e2e

package e2e

import (
	"context"
	"encoding/json"
	"fmt"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/otelcol-rum/otelcol-rum/test/internal/harness"
)

// shopBuild is tools/browser/dist/shop-build.json: what build.mjs knows about the shop's
// minified bundles, the one place the test learns where the Break button's error comes
// from in the original source.
type shopBuild struct {
	Release string `json:"release"`
	Bundles []struct {
		Entry   string `json:"entry"`
		App     string `json:"app"`
		URLPath string `json:"url_path"`
		Map     string `json:"map"`
	} `json:"bundles"`
	Break struct {
		Source   string `json:"source"`
		Function string `json:"function"`
		Line     int    `json:"line"`
		Column   int    `json:"column"`
	} `json:"break"`
}

// The Break button's error, per SDK of the shop: the bundle entry of its page and the
// route template of the product pages where demo.mjs presses it (the demo's `routes`).
var breakPages = map[string]struct{ entry, route string }{
	"faro": {"shop-faro", "/product/{id}"},
	"otel": {"shop-otel", "/otel/product/{id}"},
}

// requireComponent fails unless the binary has the processor: the demo configuration
// names it, so without it the collector would not start.
func requireComponent(t *testing.T, bin, processor string) {
	out, err := exec.Command(bin, "components").Output()
	require.NoError(t, err, "%s components", bin)
	procs := string(out)
	if i := strings.Index(procs, "processors:"); i >= 0 {
		procs = procs[i:]
	}
	require.Contains(t, procs, "- name: "+processor+"\n",
		"this build has no %s processor, which examples/demo/otelcol.yaml uses", processor)
}

// deployMaps builds the shop's bundles and deploys their source maps into dir, as make
// demo does (tools/browser/deploy-maps.mjs), checks the layout the jserrors processor
// reads, <dir>/<service.name>/<service.version>/<bundle URL path>.map, and returns the
// build's description.
func deployMaps(t *testing.T, root, dir string) shopBuild {
	browserDir := filepath.Join(root, "tools", "browser")
	_, nodeErr := exec.LookPath("node")
	harness.RequirePrereq(t, nodeErr == nil, "node")
	harness.RequirePrereq(t, harness.FileExists(filepath.Join(browserDir, "node_modules")), "tools/browser/node_modules (npm ci)")
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	cmd := exec.CommandContext(ctx, "node", "deploy-maps.mjs", "--build", "--dir", dir)
	cmd.Dir = browserDir
	out, err := cmd.Output()
	require.NoError(t, err, "deploy-maps.mjs: %s", out)
	var deployed struct {
		Release string   `json:"release"`
		Maps    []string `json:"maps"`
	}
	require.NoError(t, json.Unmarshal(out, &deployed), "%s", out)

	raw, err := os.ReadFile(filepath.Join(browserDir, "dist", "shop-build.json"))
	require.NoError(t, err)
	var b shopBuild
	require.NoError(t, json.Unmarshal(raw, &b))
	require.Regexp(t, `^[0-9a-f]{12}$`, b.Release)
	require.Equal(t, b.Release, deployed.Release)
	require.Len(t, b.Bundles, len(breakPages))
	for _, bundle := range b.Bundles {
		deployedMap := filepath.Join(dir, bundle.App, b.Release, filepath.FromSlash(bundle.URLPath)+".map")
		require.Contains(t, deployed.Maps, deployedMap)
		built, err := os.ReadFile(filepath.Join(browserDir, "dist", bundle.Map))
		require.NoError(t, err)
		copied, err := os.ReadFile(deployedMap)
		require.NoError(t, err)
		require.Equal(t, built, copied, "%s is the map of %s", deployedMap, bundle.URLPath)
	}
	return b
}

func (b shopBuild) bundle(entry string) (app, urlPath string) {
	for _, x := range b.Bundles {
		if x.Entry == entry {
			return x.App, x.URLPath
		}
	}
	return "", ""
}

// v8Frame is a frame line as the jserrors processor prints a symbolicated stack trace
// (V8's form): "    at fn (file:line:col)", "    at file:line:col".
var v8Frame = regexp.MustCompile(`^\s+at (?:async )?(?:(.*?) \()?(\S+?):(\d+):(\d+)\)?$`)

type frame struct {
	function, file string
	line, column   int
}

// topFrame is the first frame of a stack trace.
func topFrame(stack string) (frame, bool) {
	for _, line := range strings.Split(stack, "\n") {
		if m := v8Frame.FindStringSubmatch(line); m != nil {
			l, _ := strconv.Atoi(m[3])
			c, _ := strconv.Atoi(m[4])
			return frame{function: m[1], file: m[2], line: l, column: c}, true
		}
	}
	return frame{}, false
}

// sameSource reports whether a symbolicated frame's file is source (a path relative to
// tools/browser): as the map lists it (relative to the map: "../pages/cart.js"), resolved
// against the bundle's URL, or as it is.
func sameSource(file, source string) bool {
	return file == source || strings.HasSuffix(file, "/"+source)
}

// checkReadable asserts that an exception (the attributes of a log record or of a span
// event) comes out of the collector symbolicated to the Break button's throw in the
// original source, with the minified trace kept, and returns its error group.
func checkReadable(t *testing.T, where string, attrs map[string]any, b shopBuild, bundleURLPath, sourceLine string) string {
	str := func(key string) string {
		v, _ := attrs[key].(string)
		return v
	}
	top, ok := topFrame(str("exception.stacktrace"))
	if assert.True(t, ok, "%s: no frame in exception.stacktrace %q", where, str("exception.stacktrace")) {
		assert.Equal(t, b.Break.Function, top.function, "%s: the original function (%s)", where, str("exception.stacktrace"))
		assert.True(t, sameSource(top.file, b.Break.Source), "%s: the original file %q is %s", where, top.file, b.Break.Source)
		assert.Equal(t, []int{b.Break.Line, b.Break.Column}, []int{top.line, top.column}, "%s: the original line and column", where)
	}
	minified, ok := topFrame(str("rum.exception.stacktrace.minified"))
	if assert.True(t, ok, "%s: the minified trace is kept in rum.exception.stacktrace.minified", where) {
		u, err := url.Parse(minified.file)
		assert.NoError(t, err)
		assert.Equal(t, bundleURLPath, u.Path, "%s: the minified top frame is in the bundle", where)
		assert.NotEqual(t, b.Break.Function, minified.function, "%s: the bundle is minified", where)
	}
	assert.Equal(t, "symbolicated", str("rum.exception.symbolication"), where)
	assert.Contains(t, str("rum.exception.context_line"), sourceLine, "%s: the source line of the top frame (sourcesContent)", where)
	group := str("rum.error.group")
	assert.Regexp(t, `^[0-9a-f]{16}$`, group, "%s: rum.error.group", where)
	return group
}

// faroExceptions returns, by session id, the attributes of the exception records the sink
// received whose message is one of messages.
func faroExceptions(sink *harness.Sink, messages []string) map[string][]map[string]any {
	out := map[string][]map[string]any{}
	_, logs, _ := sink.Snapshot()
	for _, ld := range logs {
		for _, rl := range ld.ResourceLogs().All() {
			resSession, _ := rl.Resource().Attributes().Get("session.id")
			for _, sl := range rl.ScopeLogs().All() {
				for _, lr := range sl.LogRecords().All() {
					msg, _ := lr.Attributes().Get("exception.message")
					if lr.EventName() != "exception" || !slices.Contains(messages, msg.Str()) {
						continue
					}
					session := resSession.Str()
					if v, ok := lr.Attributes().Get("session.id"); ok {
						session = v.Str()
					}
					out[session] = append(out[session], lr.Attributes().AsRaw())
				}
			}
		}
	}
	return out
}

// assertReadableErrors: the Break button's error of each SDK, pressed in two sessions,
// comes out of the collector naming the original file, line, column and function; the
// two sessions' errors share one error group; and Prometheus has the error counter's
// series for that group and route, with an exemplar whose trace Jaeger returns.
func (s *stack) assertReadableErrors(t *testing.T, got shoppers) {
	raw, err := os.ReadFile(filepath.Join(s.root, "tools", "browser", filepath.FromSlash(s.build.Break.Source)))
	require.NoError(t, err)
	lines := strings.Split(string(raw), "\n")
	require.Greater(t, len(lines), s.build.Break.Line)
	sourceLine := strings.TrimSpace(lines[s.build.Break.Line-1])
	require.Contains(t, sourceLine, "throw new", "shop-build.json names the throw")

	for sdk, page := range breakPages {
		app, bundleURLPath := s.build.bundle(page.entry)
		require.NotEmpty(t, app, page.entry)
		var sessions []shopper
		for _, sess := range got.Sessions {
			if sess.SDK == sdk {
				require.NotEmpty(t, sess.Errors, "session %s pressed Break", sess.SessionID)
				sessions = append(sessions, sess)
			}
		}
		require.Len(t, sessions, 2, sdk)

		t.Run(sdk, func(t *testing.T) {
			groups := map[string]bool{}
			// The trace and span an exemplar may name: on the OTel page the error spans; a
			// Faro error has no trace context of its own and gets its page's (the session
			// processor): the backend span that served the page Break was pressed on
			// (Server-Timing).
			var errorTraces [][2]string
			switch sdk {
			case "faro": // exception log records, in the sink
				var messages []string
				for _, sess := range sessions {
					messages = append(messages, sess.Errors...)
				}
				var bySession map[string][]map[string]any
				require.Eventually(t, func() bool {
					bySession = faroExceptions(s.sink, messages)
					return len(bySession[sessions[0].SessionID]) > 0 && len(bySession[sessions[1].SessionID]) > 0
				}, 30*time.Second, time.Second, "the Break exceptions of both Faro sessions in the logs")
				for _, sess := range sessions {
					for i, attrs := range bySession[sess.SessionID] {
						groups[checkReadable(t, fmt.Sprintf("Faro session %s exception %d", sess.SessionID, i), attrs, s.build, bundleURLPath, sourceLine)] = true
						t.Logf("Faro session %s, as the collector sent it on:\n%s", sess.SessionID, attrs["exception.stacktrace"])
					}
					require.NotEmpty(t, sess.BreakPage.TraceID, "session %s: the page of the Break error", sess.SessionID)
					errorTraces = append(errorTraces, [2]string{sess.BreakPage.TraceID, sess.BreakPage.SpanID})
				}
			case "otel": // exception events of the page's error spans, in Jaeger
				for _, sess := range sessions {
					require.NotEmpty(t, sess.ErrorSpans, "session %s: the page recorded its error on a span", sess.SessionID)
					for _, es := range sess.ErrorSpans {
						errorTraces = append(errorTraces, [2]string{es.TraceID, es.SpanID})
						sp, _ := s.trace(t, es.TraceID, es.SpanID).span(es.SpanID)
						assert.Equal(t, app, sp.service)
						assert.Equal(t, sess.SessionID, sp.tags["session.id"])
						var exceptions []map[string]any
						for _, ev := range sp.events {
							if ev["event"] == "exception" {
								exceptions = append(exceptions, ev)
							}
						}
						require.Len(t, exceptions, 1, "span %s: one exception event", es.SpanID)
						groups[checkReadable(t, "OTel error span "+es.SpanID, exceptions[0], s.build, bundleURLPath, sourceLine)] = true
						t.Logf("OTel session %s, as Jaeger has it:\n%s", sess.SessionID, exceptions[0]["exception.stacktrace"])
					}
				}
			}
			require.Len(t, groups, 1, "the Break errors of two %s sessions share one rum.error.group: %v", sdk, groups)
			var group string
			for g := range groups {
				group = g
			}
			require.Regexp(t, `^[0-9a-f]{16}$`, group, "rum.error.group")

			// The counter's series for this group and route. Its value restarts with the
			// collector (restarted during the first session), so only its presence is
			// asserted; it has no per-session label.
			series := fmt.Sprintf(`browser_errors_total{service_name=%q,url_template=%q,rum_error_group=%q,exception_type="TypeError",service_version=%q}`,
				app, page.route, group, s.build.Release)
			require.Eventually(t, func() bool { return len(s.promQuery(t, series+" > 0")) > 0 },
				60*time.Second, time.Second, "Prometheus has %s", series)
			for _, r := range s.promQuery(t, series) {
				assert.NotContains(t, r.Metric, "session_id", "no series per session")
			}

			// Its exemplars name the trace of an error, which Jaeger returns.
			var exemplars []map[string]string
			var traceID, spanID string
			require.Eventually(t, func() bool {
				exemplars = s.promExemplars(t, series)
				for _, ex := range exemplars {
					if slices.Contains(errorTraces, [2]string{ex["trace_id"], ex["span_id"]}) {
						traceID, spanID = ex["trace_id"], ex["span_id"]
						return true
					}
				}
				return false
			}, 60*time.Second, time.Second, "an exemplar of %s naming the trace and span of an error, one of %v; got %v", series, errorTraces, exemplars)
			sp, _ := s.trace(t, traceID, spanID).span(spanID)
			want := map[string]string{"faro": "shop-backend", "otel": app}[sdk]
			assert.Equal(t, want, sp.service, "Jaeger has the exemplar's span %s of trace %s", spanID, traceID)
		})
	}
}
