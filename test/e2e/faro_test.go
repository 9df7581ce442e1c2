// Copyright The otelcol-rum Authors
// SPDX-License-Identifier: Apache-2.0

//go:build e2e

package e2e

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"io"
	"net/http"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"go.opentelemetry.io/collector/pdata/pcommon"
	"go.opentelemetry.io/collector/pdata/plog"
	"go.opentelemetry.io/collector/pdata/ptrace"

	"github.com/otelcol-rum/otelcol-rum/test/internal/harness"
)

// driveSummary is the JSON line tools/browser/drive.mjs prints.
type driveSummary struct {
	PageOrigin string   `json:"page_origin"`
	TraceID    string   `json:"trace_id"`
	SpanID     string   `json:"span_id"`
	SessionID  string   `json:"session_id"`
	PageErrors []string `json:"page_errors"`
	Backend    []struct {
		Path        string `json:"path"`
		Traceparent string `json:"traceparent"`
	} `json:"backend_requests"`
	OK bool `json:"ok"`
}

// drive runs the Faro scenario in headless Chromium, its page served from another origin
// than the collector so that CORS is exercised for real.
func drive(t *testing.T, collectorURL, appKey string) driveSummary {
	browserDir := filepath.Join(harness.RepoRoot(t), "tools", "browser")
	_, nodeErr := exec.LookPath("node")
	harness.RequirePrereq(t, nodeErr == nil, "node")
	harness.RequirePrereq(t, harness.FileExists("/usr/bin/chromium"), "/usr/bin/chromium (apt-get install chromium)")
	harness.RequirePrereq(t, harness.FileExists(filepath.Join(browserDir, "node_modules")), "tools/browser/node_modules (npm ci)")

	ctx, cancel := context.WithTimeout(context.Background(), 90*time.Second)
	defer cancel()
	cmd := exec.CommandContext(ctx, "node", "drive.mjs", "--collector", collectorURL, "--app-key", appKey, "--scenario", "faro", "--timeout", "60")
	cmd.Dir = browserDir
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	err := cmd.Run()
	require.NoError(t, err, "drive.mjs failed (exit 2 means the browser saw a failed or refused collector request):\n%s\n%s", stderr.String(), stdout.String())

	var summary driveSummary
	sc := bufio.NewScanner(&stdout)
	sc.Buffer(make([]byte, 1<<20), 1<<20)
	for sc.Scan() {
		if line := strings.TrimSpace(sc.Text()); strings.HasPrefix(line, "{") {
			require.NoError(t, json.Unmarshal([]byte(line), &summary))
		}
	}
	require.True(t, summary.OK, "drive.mjs summary not ok:\n%s\n%s", stdout.String(), stderr.String())
	require.NotEqual(t, summary.PageOrigin, collectorURL, "page and collector must be different origins")
	return summary
}

// received gathers what reached the backend.
type received struct {
	spans    []ptrace.Span
	records  []plog.LogRecord
	sessions map[string]bool
	points   int
}

func collect(s *harness.Sink) received {
	traces, logs, metrics := s.Snapshot()
	r := received{sessions: map[string]bool{}}
	addSession := func(res pcommon.Resource) {
		if v, ok := res.Attributes().Get("session.id"); ok {
			r.sessions[v.Str()] = true
		}
	}
	for _, td := range traces {
		for _, rs := range td.ResourceSpans().All() {
			addSession(rs.Resource())
			for _, ss := range rs.ScopeSpans().All() {
				for _, sp := range ss.Spans().All() {
					r.spans = append(r.spans, sp)
				}
			}
		}
	}
	for _, ld := range logs {
		for _, rl := range ld.ResourceLogs().All() {
			addSession(rl.Resource())
			for _, sl := range rl.ScopeLogs().All() {
				for _, lr := range sl.LogRecords().All() {
					r.records = append(r.records, lr)
				}
			}
		}
	}
	for _, md := range metrics {
		r.points += md.DataPointCount()
	}
	return r
}

func (r received) vitalNames() []string {
	var names []string
	for _, lr := range r.records {
		if lr.EventName() == "browser.web_vital" {
			if v, ok := lr.Attributes().Get("browser.web_vital.name"); ok && !slices.Contains(names, v.Str()) {
				names = append(names, v.Str())
			}
		}
	}
	slices.Sort(names)
	return names
}

func (r received) hasEvent(name string, match func(plog.LogRecord) bool) bool {
	return slices.ContainsFunc(r.records, func(lr plog.LogRecord) bool { return lr.EventName() == name && match(lr) })
}

func (r received) hasSpan(traceID, spanID string) bool {
	return slices.ContainsFunc(r.spans, func(s ptrace.Span) bool {
		return s.TraceID().String() == traceID && s.SpanID().String() == spanID
	})
}

// TestFaroSDKThroughTheCollector is the product's promise in one test: an unmodified Faro
// SDK on a page of another origin sends to otelcol-rum, and spans, exceptions, events and
// all five vitals come out of the collector's exporter.
func TestFaroSDKThroughTheCollector(t *testing.T) {
	const appKey = "e2e-app-key"
	sink := harness.StartSink(t, true)
	col := startCollector(t, appKey, sink.URL())
	summary := drive(t, col.rumURL, appKey)

	allVitals := []string{"cls", "fcp", "inp", "lcp", "ttfb"}
	var r received
	require.Eventually(t, func() bool {
		r = collect(sink)
		return len(r.vitalNames()) == len(allVitals) && len(r.spans) > 0
	}, 30*time.Second, 250*time.Millisecond, "vitals and spans did not all arrive")

	assert.Equal(t, allVitals, r.vitalNames())
	assert.GreaterOrEqual(t, r.points, len(allVitals), "a metric point per vital")
	assert.Equal(t, map[string]bool{summary.SessionID: true}, r.sessions, "everything carries the browser's session id")

	// The page's navigation event carries the backend trace from Server-Timing.
	assert.True(t, r.hasEvent("faro.performance.navigation", func(lr plog.LogRecord) bool {
		return lr.TraceID().String() == summary.TraceID && lr.SpanID().String() == summary.SpanID
	}), "navigation event with trace %s", summary.TraceID)

	// Every fetch the page made to its backend has its client span, with the ids the
	// backend saw in traceparent.
	require.NotEmpty(t, summary.Backend)
	for _, b := range summary.Backend {
		parts := strings.Split(b.Traceparent, "-")
		require.Len(t, parts, 4)
		assert.True(t, r.hasSpan(parts[1], parts[2]), "client span for %s (%s)", b.Path, b.Traceparent)
	}

	require.NotEmpty(t, summary.PageErrors)
	for _, pageErr := range summary.PageErrors {
		assert.True(t, r.hasEvent("exception", func(lr plog.LogRecord) bool {
			msg, _ := lr.Attributes().Get("exception.message")
			return strings.Contains(msg.Str(), pageErr)
		}), "exception %q", pageErr)
	}
	assert.True(t, r.hasEvent("add_to_cart", func(plog.LogRecord) bool { return true }))

	// The session processor linked every vital to its page's navigation trace, also the
	// ones that came in later payloads than the navigation.
	navTraces := map[string]string{}
	for _, lr := range r.records {
		if lr.EventName() == "faro.performance.navigation" {
			id, _ := lr.Attributes().Get("rum.navigation.id")
			navTraces[id.Str()] = lr.TraceID().String()
		}
	}
	for _, lr := range r.records {
		if lr.EventName() != "browser.web_vital" {
			continue
		}
		assert.False(t, lr.TraceID().IsEmpty(), "vital without trace")
		if nav, ok := lr.Attributes().Get("rum.navigation.id"); ok {
			assert.Equal(t, navTraces[nav.Str()], lr.TraceID().String())
		}
	}
	assert.True(t, r.hasEvent("session.start", func(lr plog.LogRecord) bool {
		id, _ := lr.Attributes().Get("session.id")
		return id.Str() == summary.SessionID
	}), "session.start for the browser's session")

	// Prometheus, scraped as OpenMetrics, has the vitals as histograms by route whose
	// bucket exemplars name the navigation traces: the jump from a slow page to the
	// backend trace that served it.
	var exposition string
	require.Eventually(t, func() bool {
		exposition = scrape(t, col.promURL, "application/openmetrics-text; version=1.0.0")
		return strings.Contains(exposition, "browser_web_vital_lcp") && strings.Contains(exposition, "trace_id=")
	}, 20*time.Second, 500*time.Millisecond, "web vital histograms with exemplars in the Prometheus exposition")
	for _, vital := range []string{"lcp", "inp", "cls", "fcp", "ttfb"} {
		lines := grepLines(exposition, "browser_web_vital_"+vital)
		assert.Contains(t, lines, `url_template="/faro.html"`, vital)
		assert.Contains(t, lines, "_bucket{", vital)
	}
	exemplarTraces := 0
	for _, tid := range navTraces {
		if strings.Contains(exposition, `trace_id="`+tid+`"`) {
			exemplarTraces++
		}
	}
	assert.Positive(t, exemplarTraces, "an exemplar names a navigation trace")

	// The collector counted no refusal: CORS preflights and keys worked.
	metrics := scrape(t, col.metricsURL, "")
	assert.True(t, strings.Contains(metrics, `otelcol_receiver_rum_requests{format="faro"}`), "faro requests counted")
	assert.False(t, strings.Contains(metrics, "otelcol_receiver_rum_requests_refused"), "no request refused:\n%s", grepLines(metrics, "rum_requests_refused"))

	// Stopping the collector ends the session (no storage configured) and its summary
	// still reaches the backend.
	require.NoError(t, col.Stop(t), "the collector exits cleanly on SIGTERM")
	r = collect(sink)
	var end plog.LogRecord
	require.True(t, r.hasEvent("session.end", func(lr plog.LogRecord) bool {
		if id, _ := lr.Attributes().Get("session.id"); id.Str() != summary.SessionID {
			return false
		}
		end = lr
		return true
	}), "session.end of the browser's session after shutdown")
	pages, _ := end.Attributes().Get("session.page_views")
	assert.Equal(t, int64(2), pages.Int(), "the journey visits two pages")
	reason, _ := end.Attributes().Get("session.end_reason")
	assert.Equal(t, "shutdown", reason.Str())
}

// scrape returns a Prometheus endpoint's exposition; accept "" leaves the format to the
// endpoint, OpenMetrics is the one that carries exemplars.
func scrape(t *testing.T, url, accept string) string {
	_, body := get(t, url, accept)
	return string(body)
}

// get returns the status and body of a GET of url.
func get(t *testing.T, url, accept string) (int, []byte) {
	t.Helper()
	req, err := http.NewRequest(http.MethodGet, url, nil)
	require.NoError(t, err)
	if accept != "" {
		req.Header.Set("Accept", accept)
	}
	resp, err := http.DefaultClient.Do(req)
	require.NoError(t, err)
	defer resp.Body.Close()
	body, err := io.ReadAll(resp.Body)
	require.NoError(t, err)
	return resp.StatusCode, body
}

func grepLines(text, substr string) string {
	var out []string
	for _, line := range strings.Split(text, "\n") {
		if strings.Contains(line, substr) {
			out = append(out, line)
		}
	}
	return strings.Join(out, "\n")
}
