// Copyright The otelcol-rum Authors
// SPDX-License-Identifier: Apache-2.0

package rumreceiver

import (
	"flag"
	"net/http"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/otelcol-rum/otelcol-rum/internal/goldenfile"
	"github.com/otelcol-rum/otelcol-rum/internal/sdkcaptures"
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
			goldenfile.Traces(t, base+".traces.json", h.traces.AllTraces(), *update)
			goldenfile.Logs(t, base+".logs.json", h.logs.AllLogs(), *update)
			goldenfile.Metrics(t, base+".metrics.json", h.metrics.AllMetrics(), *update)
		})
	}
}
