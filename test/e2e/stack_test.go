// Copyright The otelcol-rum Authors
// SPDX-License-Identifier: Apache-2.0

//go:build e2e

package e2e

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/otelcol-rum/otelcol-rum/test/internal/harness"
)

// The demo stack of `make demo` on free loopback ports: Jaeger v2, Prometheus, otelcol-rum
// with the Jaeger and Prometheus presets and examples/demo/otelcol.yaml, the demo shop
// (its minified bundles' source maps deployed for the collector as make demo does), and
// headless Chromium shopping. Everything is asserted through the backends' own query
// APIs, except the logs (the session.end summaries, Faro's exceptions): Jaeger keeps
// traces only, so an OTLP sink stands in for a log backend.
type stack struct {
	root                        string
	jaegerURL, promURL, shopURL string
	rumURL                      string                   // the collector's rum receiver
	proxy                       *harness.ForwardingProxy // the CDN in front of it
	collectorArgs, collectorEnv []string
	collector                   *harness.Proc
	sink                        *harness.Sink
	healthURL                   string
	build                       shopBuild
}

const sinkOverlay = `
exporters:
  otlp_http/sink:
    endpoint: %s
service:
  pipelines:
    logs:
      exporters: [debug, count/rum, otlp_http/sink]
`

func startStack(t *testing.T) *stack {
	root := harness.RepoRoot(t)
	jaegerBin := os.Getenv("JAEGER_BIN")
	harness.RequirePrereq(t, jaegerBin != "" && harness.FileExists(jaegerBin), "Jaeger (JAEGER_BIN, from scripts/install-jaeger.sh)")
	_, err := exec.LookPath("prometheus")
	harness.RequirePrereq(t, err == nil, "prometheus (scripts/install-prometheus.sh)")
	bin := harness.CollectorBinary(t)
	requireComponent(t, bin, "jserrors")

	s := &stack{root: root, sink: harness.StartSink(t, true)}
	tmp := t.TempDir()

	// The shop's bundles and their maps, deployed where the collector looks for them.
	sourcemaps := filepath.Join(tmp, "sourcemaps")
	s.build = deployMaps(t, root, sourcemaps)

	// Jaeger: its config takes every port from the environment.
	jq, jgrpc := harness.FreePort(t), harness.FreePort(t)
	jaeger := harness.StartProc(t, root, []string{
		fmt.Sprintf("JAEGER_OTLP_GRPC_PORT=%d", jgrpc), fmt.Sprintf("JAEGER_OTLP_HTTP_PORT=%d", harness.FreePort(t)),
		fmt.Sprintf("JAEGER_QUERY_PORT=%d", jq), fmt.Sprintf("JAEGER_QUERY_GRPC_PORT=%d", harness.FreePort(t)),
		fmt.Sprintf("JAEGER_METRICS_PORT=%d", harness.FreePort(t)), fmt.Sprintf("JAEGER_HEALTH_PORT=%d", harness.FreePort(t)),
	}, jaegerBin, "--config", "examples/demo/jaeger.yaml")
	s.jaegerURL = "http://" + harness.Loopback(jq)

	// Prometheus: the demo's configuration, pointed at this run's scrape port.
	promExporter, promPort := harness.FreePort(t), harness.FreePort(t)
	promCfg, err := os.ReadFile(filepath.Join(root, "examples", "demo", "prometheus.yml"))
	require.NoError(t, err)
	promCfg = bytes.ReplaceAll(promCfg, []byte("127.0.0.1:8889"), []byte(harness.Loopback(promExporter)))
	promCfg = bytes.ReplaceAll(promCfg, []byte("- alerts.yml"), []byte("- "+filepath.Join(root, "examples", "demo", "alerts.yml")))
	require.Contains(t, string(promCfg), harness.Loopback(promExporter))
	promCfgPath := filepath.Join(tmp, "prometheus.yml")
	require.NoError(t, os.WriteFile(promCfgPath, promCfg, 0o600))
	prom := harness.StartProc(t, root, nil, "prometheus", "--config.file="+promCfgPath,
		"--storage.tsdb.path="+filepath.Join(tmp, "prometheus-data"), "--web.listen-address="+harness.Loopback(promPort),
		"--enable-feature=exemplar-storage")
	s.promURL = "http://" + harness.Loopback(promPort)

	// otelcol-rum, exactly as make demo runs it, plus the log sink.
	overlay := filepath.Join(tmp, "sink.yaml")
	require.NoError(t, os.WriteFile(overlay, fmt.Appendf(nil, sinkOverlay, s.sink.URL()), 0o600))
	proxyCfg := filepath.Join(tmp, "proxy.yaml")
	require.NoError(t, os.WriteFile(proxyCfg, []byte(proxyOverlay), 0o600))
	geoDB := os.Getenv("RUM_GEOIP_DATABASE")
	harness.RequirePrereq(t, geoDB != "" && harness.FileExists(geoDB), "the CC0 country database (RUM_GEOIP_DATABASE, from scripts/install-geoip.sh)")
	rumPort, otlpHTTPPort := harness.FreePort(t), harness.FreePort(t)
	health, telemetry := harness.FreePort(t), harness.FreePort(t)
	s.healthURL = fmt.Sprintf("http://%s/", harness.Loopback(health))
	s.collectorArgs = []string{bin, "--config", "config.example.yaml", "--config", "exporter/jaeger.yaml",
		"--config", "exporter/prometheus.yaml", "--config", "examples/demo/otelcol.yaml", "--config", overlay, "--config", proxyCfg}
	s.collectorEnv = []string{
		"RUM_ENDPOINT=" + harness.Loopback(rumPort), "OTLP_GRPC_ENDPOINT=" + harness.Loopback(harness.FreePort(t)),
		"OTLP_HTTP_ENDPOINT=" + harness.Loopback(otlpHTTPPort), "HEALTH_ENDPOINT=" + harness.Loopback(health),
		fmt.Sprintf("TELEMETRY_PORT=%d", telemetry), "RUM_STORAGE_DIR=" + filepath.Join(tmp, "state"),
		// Short, so that the driven sessions end within the test; longer than the
		// collector restart in the middle of one of them.
		"SESSION_INACTIVITY=20s",
		"RUM_SOURCEMAPS_DIR=" + sourcemaps, "RUM_GEOIP_DATABASE=" + geoDB,
		"JAEGER_OTLP_ENDPOINT=" + harness.Loopback(jgrpc), "PROMETHEUS_SCRAPE_ENDPOINT=" + harness.Loopback(promExporter),
	}
	s.startCollector(t)
	s.rumURL = "http://" + harness.Loopback(rumPort)
	s.proxy = harness.StartForwardingProxy(t, s.rumURL, proxiedClient)

	// The demo shop, built from its own module.
	shopBin := filepath.Join(tmp, "shop")
	build := exec.Command("go", "build", "-o", shopBin, ".")
	build.Dir = filepath.Join(root, "examples", "shop")
	build.Env = append(os.Environ(), "GOWORK=off")
	out, err := build.CombinedOutput()
	require.NoError(t, err, "building the shop:\n%s", out)
	shopPort := harness.FreePort(t)
	shop := harness.StartProc(t, root, nil, shopBin, "-listen", harness.Loopback(shopPort),
		"-otlp-endpoint", "http://"+harness.Loopback(otlpHTTPPort), "-rum-url", s.proxy.URL(),
		"-assets", filepath.Join(root, "tools", "browser", "dist"))
	s.shopURL = "http://" + harness.Loopback(shopPort)

	harness.WaitHTTP(t, jaeger, s.jaegerURL+"/api/services")
	harness.WaitHTTP(t, prom, s.promURL+"/-/ready")
	harness.WaitHTTP(t, shop, s.shopURL+"/healthz")
	return s
}

func (s *stack) startCollector(t *testing.T) {
	s.collector = harness.StartProc(t, s.root, s.collectorEnv, s.collectorArgs[0], s.collectorArgs[1:]...)
	harness.WaitHTTP(t, s.collector, s.healthURL)
}

// restartCollector stops the collector (SIGTERM: it checkpoints the sessions) and starts
// it again on the same ports and state.
func (s *stack) restartCollector(t *testing.T) {
	require.NoError(t, s.collector.Stop(t), "the collector stopped cleanly")
	s.startCollector(t)
}

// shoppers is what tools/browser/demo.mjs prints.
type shoppers struct {
	OK          bool         `json:"ok"`
	Sessions    []shopper    `json:"sessions"`
	SPASessions []spaShopper `json:"spa_sessions"`
}

type shopper struct {
	SDK       string `json:"sdk"`
	SessionID string `json:"session_id"`
	Split     bool   `json:"split"`
	PageViews int    `json:"page_views"`
	Pages     []struct {
		Path    string `json:"path"`
		TraceID string `json:"trace_id"`
		SpanID  string `json:"span_id"`
	} `json:"pages"`
	Checkouts []struct {
		TraceID       string `json:"trace_id"`
		ParentSpanID  string `json:"parent_span_id"`
		BackendSpanID string `json:"backend_span_id"`
	} `json:"checkouts"`
	// The Break button's error: its messages, the page it was pressed on, and on the OTel
	// page the spans the page's error handler recorded it on.
	Errors    []string `json:"errors"`
	BreakPage struct {
		Path    string `json:"path"`
		TraceID string `json:"trace_id"`
		SpanID  string `json:"span_id"`
	} `json:"break_page"`
	ErrorSpans []struct {
		TraceID string `json:"trace_id"`
		SpanID  string `json:"span_id"`
	} `json:"error_spans"`
}

// shop runs the shoppers, two sessions per SDK (the first is split in two, and the
// collector restarted while it pauses), then one single-page session per SDK.
func (s *stack) shop(t *testing.T) shoppers {
	resume := filepath.Join(t.TempDir(), "resume")
	ctx, cancel := context.WithTimeout(context.Background(), 4*time.Minute)
	defer cancel()
	cmd := exec.CommandContext(ctx, "node", "demo.mjs", "--shop", s.shopURL, "--sessions", "2", "--otel-sessions", "2",
		"--split-session", "--resume-file", resume, "--pause-between-pages-ms", "500",
		"--spa-sessions", "1", "--otel-spa-sessions", "1")
	cmd.Dir = filepath.Join(s.root, "tools", "browser")
	var stdout bytes.Buffer
	cmd.Stdout = &stdout
	stderr, err := cmd.StderrPipe()
	require.NoError(t, err)
	require.NoError(t, cmd.Start())
	var log strings.Builder
	lines := bufio.NewScanner(stderr)
	for lines.Scan() {
		line := lines.Text()
		log.WriteString(line + "\n")
		if strings.HasPrefix(line, `{"phase":"paused"`) {
			s.restartCollector(t)
			require.NoError(t, os.WriteFile(resume, nil, 0o600))
		}
	}
	err = cmd.Wait()
	require.NoError(t, err, "demo.mjs failed (exit 2: a request to the collector failed):\n%s\n%s", log.String(), stdout.String())
	var out shoppers
	require.NoError(t, json.Unmarshal(stdout.Bytes(), &out), stdout.String())
	require.True(t, out.OK, "demo.mjs summary not ok:\n%s", stdout.String())
	require.Len(t, out.Sessions, 4)
	require.True(t, out.Sessions[0].Split, "the first session was split by the restart")
	return out
}

// getJSON decodes the body of a GET of rawURL into into when the status is 200, and
// returns the status.
func getJSON(t *testing.T, rawURL string, into any) int {
	t.Helper()
	status, body := get(t, rawURL, "")
	if status == http.StatusOK {
		require.NoError(t, json.Unmarshal(body, into), "%s: %s", rawURL, body)
	}
	return status
}

// jaegerTrace is a trace from Jaeger's query API (/api/traces/{id}).
type jaegerTrace struct {
	Spans []struct {
		SpanID        string `json:"spanID"`
		OperationName string `json:"operationName"`
		References    []struct {
			RefType string `json:"refType"`
			SpanID  string `json:"spanID"`
		} `json:"references"`
		Tags      []jaegerTag `json:"tags"`
		ProcessID string      `json:"processID"`
		// Span events: Jaeger's logs, the event's name in the field "event".
		Logs []struct {
			Fields []jaegerTag `json:"fields"`
		} `json:"logs"`
	} `json:"spans"`
	Processes map[string]struct {
		ServiceName string      `json:"serviceName"`
		Tags        []jaegerTag `json:"tags"`
	} `json:"processes"`
}

type jaegerTag struct {
	Key   string `json:"key"`
	Value any    `json:"value"`
}

// trace waits until Jaeger has the trace with at least the given spans.
func (s *stack) trace(t *testing.T, traceID string, spanIDs ...string) jaegerTrace {
	t.Helper()
	var tr jaegerTrace
	require.Eventually(t, func() bool {
		var resp struct{ Data []jaegerTrace }
		if getJSON(t, s.jaegerURL+"/api/traces/"+traceID, &resp) != http.StatusOK || len(resp.Data) != 1 {
			return false
		}
		tr = resp.Data[0]
		for _, id := range spanIDs {
			if _, ok := tr.span(id); !ok {
				return false
			}
		}
		return true
	}, 30*time.Second, 500*time.Millisecond, "Jaeger has no trace %s with spans %v", traceID, spanIDs)
	return tr
}

// jaegerSpan is one span of a jaegerTrace: its service, tags (span and process) and
// events (each a map of its fields).
type jaegerSpan struct {
	service, operation, parent string
	tags                       map[string]any
	events                     []map[string]any
}

// span returns one span of the trace.
func (tr jaegerTrace) span(id string) (jaegerSpan, bool) {
	var out jaegerSpan
	for _, sp := range tr.Spans {
		if sp.SpanID != id {
			continue
		}
		proc := tr.Processes[sp.ProcessID]
		out.service, out.operation, out.tags = proc.ServiceName, sp.OperationName, map[string]any{}
		for _, tag := range append(proc.Tags, sp.Tags...) {
			out.tags[tag.Key] = tag.Value
		}
		for _, log := range sp.Logs {
			fields := map[string]any{}
			for _, f := range log.Fields {
				fields[f.Key] = f.Value
			}
			out.events = append(out.events, fields)
		}
		for _, ref := range sp.References {
			if ref.RefType == "CHILD_OF" {
				out.parent = ref.SpanID
			}
		}
		return out, true
	}
	return out, false
}

// promQuery runs an instant query and returns the result vector.
func (s *stack) promQuery(t *testing.T, query string) []struct {
	Metric map[string]string `json:"metric"`
	Value  []any             `json:"value"`
} {
	var resp struct {
		Data struct {
			Result []struct {
				Metric map[string]string `json:"metric"`
				Value  []any             `json:"value"`
			} `json:"result"`
		} `json:"data"`
	}
	require.Equal(t, http.StatusOK, getJSON(t, s.promURL+"/api/v1/query?query="+url.QueryEscape(query), &resp), query)
	return resp.Data.Result
}

// promExemplars returns the exemplars (trace_id, span_id) of a series selector.
func (s *stack) promExemplars(t *testing.T, query string) []map[string]string {
	var resp struct {
		Data []struct {
			Exemplars []struct {
				Labels map[string]string `json:"labels"`
			} `json:"exemplars"`
		} `json:"data"`
	}
	now := time.Now()
	q := url.Values{"query": {query}, "start": {fmt.Sprint(now.Add(-time.Hour).Unix())}, "end": {fmt.Sprint(now.Add(time.Minute).Unix())}}
	require.Equal(t, http.StatusOK, getJSON(t, s.promURL+"/api/v1/query_exemplars?"+q.Encode(), &resp))
	var out []map[string]string
	for _, series := range resp.Data {
		for _, ex := range series.Exemplars {
			out = append(out, ex.Labels)
		}
	}
	return out
}

func TestDemoStackWithJaegerAndPrometheus(t *testing.T) {
	s := startStack(t)
	got := s.shop(t)

	pageSpans := map[string]string{} // page trace id → backend span id, from Server-Timing
	for _, sess := range got.Sessions {
		for _, p := range sess.Pages {
			pageSpans[p.TraceID] = p.SpanID
		}
	}
	for _, sess := range got.SPASessions {
		for _, p := range sess.Pages {
			pageSpans[p.TraceID] = p.SpanID
		}
	}

	t.Run("jaeger: a checkout is one trace from the browser's fetch to the backend", func(t *testing.T) {
		// The app names of the shop's two front-ends (pages/shop-faro.js, shop-otel.js).
		frontend := map[string]string{"faro": "shop-frontend", "otel": "shop-frontend-otel"}
		for _, sess := range got.Sessions {
			require.Contains(t, frontend, sess.SDK)
			require.NotEmpty(t, sess.Checkouts, sess.SessionID)
			for _, co := range sess.Checkouts {
				tr := s.trace(t, co.TraceID, co.ParentSpanID, co.BackendSpanID)
				fetch, _ := tr.span(co.ParentSpanID)
				server, _ := tr.span(co.BackendSpanID)
				assert.Equal(t, frontend[sess.SDK], fetch.service, "the fetch span is the browser's")
				assert.Equal(t, "shop-backend", server.service)
				assert.Equal(t, "POST /api/checkout", server.operation)
				assert.Equal(t, co.ParentSpanID, server.parent, "the backend span is a child of the browser's fetch span")
				assert.Equal(t, sess.SessionID, fetch.tags["session.id"], "the browser span carries its session")
			}
		}
	})

	t.Run("prometheus: LCP series per route, exemplars lead to the page's backend trace", func(t *testing.T) {
		routes := map[string]bool{}
		require.Eventually(t, func() bool {
			for _, r := range s.promQuery(t, `count by (url_template) (browser_web_vital_lcp_milliseconds_bucket{service_name="shop-frontend"})`) {
				routes[r.Metric["url_template"]] = true
			}
			return routes["/"] && routes["/product/{id}"]
		}, 60*time.Second, time.Second, "LCP routes in Prometheus: %v", routes)

		var exemplars []map[string]string
		require.Eventually(t, func() bool {
			exemplars = s.promExemplars(t, `browser_web_vital_lcp_milliseconds_bucket`)
			return len(exemplars) >= 2
		}, 60*time.Second, time.Second, "LCP exemplars in Prometheus")
		checked := map[string]bool{}
		for _, ex := range exemplars {
			traceID, spanID := ex["trace_id"], ex["span_id"]
			require.Contains(t, pageSpans, traceID, "the exemplar names a page's trace (Server-Timing)")
			assert.Equal(t, pageSpans[traceID], spanID, "and the backend span that served the page")
			if checked[traceID] {
				continue
			}
			checked[traceID] = true
			tr := s.trace(t, traceID, spanID)
			server, _ := tr.span(spanID)
			assert.Equal(t, "shop-backend", server.service, "Jaeger has the backend span of exemplar trace %s", traceID)
			assert.True(t, strings.HasPrefix(server.operation, "GET "), server.operation)
		}
		assert.GreaterOrEqual(t, len(checked), 2)
	})

	t.Run("session.end summaries with the page views, one per session across the restart", func(t *testing.T) {
		want := map[string]int{}
		for _, sess := range got.Sessions {
			want[sess.SessionID] = sess.PageViews
		}
		var ends, starts map[string][]int64
		require.Eventually(t, func() bool {
			ends, starts = sessionEvents(s.sink)
			for id := range want {
				if len(ends[id]) == 0 {
					return false
				}
			}
			return true
		}, 90*time.Second, time.Second, "session.end for every session (inactivity 20s)")
		for id, pageViews := range want {
			assert.Len(t, starts[id], 1, "session %s started once, not again after the restart", id)
			require.Len(t, ends[id], 1, "session %s ended once", id)
			assert.Equal(t, int64(pageViews), ends[id][0], "session %s page views", id)
		}
		// The counts of the count connector, as the dashboard reads them: one series per
		// app, never one per session (the resource processor drops session.id first). The
		// totals themselves restart with the collector, so they are not compared here.
		apps := map[string]bool{}
		assert.Eventually(t, func() bool {
			for _, r := range s.promQuery(t, `rum_sessions_started_total`) {
				apps[r.Metric["service_name"]] = true
				for label := range r.Metric {
					assert.NotContains(t, []string{"session_id", "user_agent_original", "browser_brands"}, label)
				}
			}
			return apps["shop-frontend"] && apps["shop-frontend-otel"]
		}, 30*time.Second, time.Second, "rum_sessions_started_total per app")
	})

	t.Run("readable errors: symbolicated, grouped, counted with exemplars", func(t *testing.T) {
		s.assertReadableErrors(t, got)
	})

	t.Run("single-page journeys: views, transitions, frustration, Apdex", func(t *testing.T) {
		s.assertJourneys(t, got)
	})

	t.Run("who suffers: browser, OS, device type and country behind a proxy", func(t *testing.T) {
		s.assertWhoSuffers(t)
		s.assertSpoofingIgnored(t)
	})
}

// sessionEvents returns, by session id, the page views of each session.end and the
// timestamps of each session.start the sink received.
func sessionEvents(sink *harness.Sink) (ends, starts map[string][]int64) {
	ends, starts = map[string][]int64{}, map[string][]int64{}
	for _, lr := range collect(sink).records {
		id, _ := lr.Attributes().Get("session.id")
		switch lr.EventName() {
		case "session.start":
			starts[id.Str()] = append(starts[id.Str()], int64(lr.Timestamp()))
		case "session.end":
			pv, _ := lr.Attributes().Get("session.page_views")
			ends[id.Str()] = append(ends[id.Str()], pv.Int())
		}
	}
	return ends, starts
}
