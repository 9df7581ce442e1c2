package rumreceiver

import (
	"encoding/json"
	"flag"
	"github.com/otelcol-rum/otelcol-rum/internal/sdkcaptures"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/open-telemetry/opentelemetry-collector-contrib/pkg/pdatatest/plogtest"
	"github.com/open-telemetry/opentelemetry-collector-contrib/pkg/pdatatest/pmetrictest"
	"github.com/open-telemetry/opentelemetry-collector-contrib/pkg/pdatatest/ptracetest"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"go.opentelemetry.io/collector/pdata/plog"
	"go.opentelemetry.io/collector/pdata/pmetric"
	"go.opentelemetry.io/collector/pdata/ptrace"
)

var update = flag.Bool("update", false, "rewrite the golden files under testdata/golden from the current output")

// goldenNow is the receive time of every golden request: after the captures were made, so
// no client timestamp counts as being in the future.
var goldenNow = time.Date(2026, 11, 21, 12, 0, 0, 0, time.UTC)

func goldenHarness(t *testing.T, m sdkcaptures.Manifest) *harness {
	h := startHarness(t, withConfig(func(c *Config) {
		c.Apps = []AppConfig{{Name: "shop-web", APIKey: "test-app-key"}}
		c.RateLimit = RateLimitConfig{}
	}))
	require.Equal(t, "test-app-key", m.AppKey)
	h.rcv.now = func() time.Time { return goldenNow }
	return h
}

// TestGoldenSDKPayloads replays every captured SDK request through the HTTP stack and
// compares what reaches the pipelines with testdata/golden. Regenerate with
// `go test -run TestGoldenSDKPayloads -update`, and review the diff: the golden files are
// the specification of the mapping for real payloads.
func TestGoldenSDKPayloads(t *testing.T) {
	m := sdkcaptures.Load(t)
	h := goldenHarness(t, m)
	for _, f := range m.Files {
		t.Run(f.File, func(t *testing.T) {
			h.traces.Reset()
			h.logs.Reset()
			h.metrics.Reset()
			resp := sdkcaptures.Post(t, h.url, f)
			require.Less(t, resp.StatusCode, 300, "status %d", resp.StatusCode)
			if resp.StatusCode == http.StatusAccepted {
				body := decodeJSON[acceptedBody](t, resp)
				assert.Zero(t, body.Rejected, "a real SDK payload has no invalid items: %v", body.Errors)
			}
			base := filepath.Join("testdata", "golden", strings.TrimSuffix(f.File, filepath.Ext(f.File)))
			compareGoldenTraces(t, base+".traces.json", h.traces.AllTraces())
			compareGoldenLogs(t, base+".logs.json", h.logs.AllLogs())
			compareGoldenMetrics(t, base+".metrics.json", h.metrics.AllMetrics())
		})
	}
}

// mergeTraces puts what arrived in several calls into one value for comparison.
func mergeTraces(all []ptrace.Traces) ptrace.Traces {
	out := ptrace.NewTraces()
	for _, td := range all {
		td.ResourceSpans().MoveAndAppendTo(out.ResourceSpans())
	}
	return out
}

func mergeLogs(all []plog.Logs) plog.Logs {
	out := plog.NewLogs()
	for _, ld := range all {
		ld.ResourceLogs().MoveAndAppendTo(out.ResourceLogs())
	}
	return out
}

func mergeMetrics(all []pmetric.Metrics) pmetric.Metrics {
	out := pmetric.NewMetrics()
	for _, md := range all {
		md.ResourceMetrics().MoveAndAppendTo(out.ResourceMetrics())
	}
	return out
}

// golden reads the expected value, or writes the actual one with -update. A signal with no
// data has no file.
func golden(t *testing.T, path string, actual []byte, empty bool) ([]byte, bool) {
	t.Helper()
	if *update {
		require.NoError(t, os.MkdirAll(filepath.Dir(path), 0o755))
		if empty {
			_ = os.Remove(path)
			return nil, false
		}
		var pretty any
		require.NoError(t, json.Unmarshal(actual, &pretty))
		out, err := json.MarshalIndent(pretty, "", "  ")
		require.NoError(t, err)
		require.NoError(t, os.WriteFile(path, append(out, '\n'), 0o644))
	}
	expected, err := os.ReadFile(path)
	if os.IsNotExist(err) {
		require.True(t, empty, "no golden file %s for non-empty output; run with -update", path)
		return nil, false
	}
	require.NoError(t, err)
	return expected, true
}

func compareGoldenTraces(t *testing.T, path string, all []ptrace.Traces) {
	actual := mergeTraces(all)
	raw, err := (&ptrace.JSONMarshaler{}).MarshalTraces(actual)
	require.NoError(t, err)
	expectedRaw, ok := golden(t, path, raw, actual.SpanCount() == 0)
	if !ok {
		return
	}
	expected, err := (&ptrace.JSONUnmarshaler{}).UnmarshalTraces(expectedRaw)
	require.NoError(t, err)
	require.NoError(t, ptracetest.CompareTraces(expected, actual))
}

func compareGoldenLogs(t *testing.T, path string, all []plog.Logs) {
	actual := mergeLogs(all)
	raw, err := (&plog.JSONMarshaler{}).MarshalLogs(actual)
	require.NoError(t, err)
	expectedRaw, ok := golden(t, path, raw, actual.LogRecordCount() == 0)
	if !ok {
		return
	}
	expected, err := (&plog.JSONUnmarshaler{}).UnmarshalLogs(expectedRaw)
	require.NoError(t, err)
	require.NoError(t, plogtest.CompareLogs(expected, actual))
}

func compareGoldenMetrics(t *testing.T, path string, all []pmetric.Metrics) {
	actual := mergeMetrics(all)
	raw, err := (&pmetric.JSONMarshaler{}).MarshalMetrics(actual)
	require.NoError(t, err)
	expectedRaw, ok := golden(t, path, raw, actual.DataPointCount() == 0)
	if !ok {
		return
	}
	expected, err := (&pmetric.JSONUnmarshaler{}).UnmarshalMetrics(expectedRaw)
	require.NoError(t, err)
	require.NoError(t, pmetrictest.CompareMetrics(expected, actual))
}
