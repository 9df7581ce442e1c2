//go:build e2e

package e2e

import (
	"fmt"
	"os"
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/require"
)

// repoRoot is where the Makefile builds the binary and where tools/browser lives.
const repoRoot = "../.."

// requirePrereq fails when make e2e asked for the test (RUM_E2E_REQUIRED=1) and skips
// otherwise, so that `go test -tags e2e` on a bare machine says what is missing.
func requirePrereq(t *testing.T, ok bool, what string) {
	t.Helper()
	if ok {
		return
	}
	if os.Getenv("RUM_E2E_REQUIRED") == "1" {
		t.Fatalf("end-to-end prerequisite missing: %s (run `make e2e`)", what)
	}
	t.Skipf("end-to-end prerequisite missing: %s (run `make e2e`)", what)
}

func fileExists(path string) bool {
	_, err := os.Stat(path)
	return err == nil
}

// collectorBinary is the absolute path of the binary `make build` made; the test skips
// (or fails, under make e2e) without it.
func collectorBinary(t *testing.T) string {
	t.Helper()
	bin, err := filepath.Abs(filepath.Join(repoRoot, "build", "otelcol-rum", "otelcol-rum"))
	require.NoError(t, err)
	requirePrereq(t, fileExists(bin), "the otelcol-rum binary ("+bin+")")
	return bin
}

// collector is a running otelcol-rum process.
type collector struct {
	*proc
	rumURL string
	// metricsURL is the collector's own telemetry, promURL the Prometheus exporter's
	// scrape endpoint.
	metricsURL, promURL string
}

const e2eConfig = `
receivers:
  rum:
    endpoint: %s
    apps:
      - name: shop-web
        api_key: %s
processors:
  session:
  webvitals:
    emit_interval: 1s
    measurement_hold: 1s
  batch:
    timeout: 200ms
exporters:
  otlp_http:
    endpoint: %s
  prometheus:
    endpoint: %s
    enable_open_metrics: true
    resource_to_telemetry_conversion:
      enabled: true
extensions:
  health_check:
    endpoint: %s
service:
  extensions: [health_check]
  telemetry:
    metrics:
      level: detailed
      readers:
        - pull:
            exporter:
              prometheus:
                host: 127.0.0.1
                port: %d
  pipelines:
    traces:
      receivers: [rum]
      processors: [session, batch]
      exporters: [otlp_http]
    logs:
      receivers: [rum]
      processors: [session, webvitals, batch]
      exporters: [otlp_http]
    metrics:
      receivers: [rum]
      processors: [session, webvitals, batch]
      exporters: [otlp_http, prometheus]
`

// startCollector runs the built binary with a config that exports to the sink, and waits
// until it is healthy.
func startCollector(t *testing.T, appKey, sinkURL string) *collector {
	bin := collectorBinary(t)
	rum, prom, health, metricsPort := loopback(freePort(t)), loopback(freePort(t)), loopback(freePort(t)), freePort(t)
	cfgPath := filepath.Join(t.TempDir(), "config.yaml")
	require.NoError(t, os.WriteFile(cfgPath, fmt.Appendf(nil, e2eConfig, rum, appKey, sinkURL, prom, health, metricsPort), 0o600))

	c := &collector{
		proc:       startProc(t, "", nil, bin, "--config", cfgPath),
		rumURL:     "http://" + rum,
		metricsURL: fmt.Sprintf("http://%s/metrics", loopback(metricsPort)),
		promURL:    "http://" + prom + "/metrics",
	}
	waitHTTP(t, c.proc, "http://"+health+"/")
	return c
}
