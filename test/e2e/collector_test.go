//go:build e2e

package e2e

import (
	"bytes"
	"context"
	"fmt"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"syscall"
	"testing"
	"time"

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

func freePort(t *testing.T) int {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	require.NoError(t, err)
	defer ln.Close()
	return ln.Addr().(*net.TCPAddr).Port
}

// collector is a running otelcol-rum process.
type collector struct {
	rumURL     string
	metricsURL string
	// promURL is the Prometheus exporter's scrape endpoint.
	promURL string
	cmd     *exec.Cmd
	output  *bytes.Buffer
}

const e2eConfig = `
receivers:
  rum:
    endpoint: 127.0.0.1:%d
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
    endpoint: 127.0.0.1:%d
    enable_open_metrics: true
    resource_to_telemetry_conversion:
      enabled: true
extensions:
  health_check:
    endpoint: 127.0.0.1:%d
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

// startCollector runs the built binary with a config that exports to the sink.
func startCollector(t *testing.T, appKey, sinkURL string) *collector {
	bin := filepath.Join(repoRoot, "build", "otelcol-rum", "otelcol-rum")
	requirePrereq(t, fileExists(bin), "the otelcol-rum binary ("+bin+")")
	rumPort, healthPort, metricsPort, promPort := freePort(t), freePort(t), freePort(t), freePort(t)
	cfgPath := filepath.Join(t.TempDir(), "config.yaml")
	require.NoError(t, os.WriteFile(cfgPath, fmt.Appendf(nil, e2eConfig, rumPort, appKey, sinkURL, promPort, healthPort, metricsPort), 0o600))

	c := &collector{
		rumURL:     fmt.Sprintf("http://127.0.0.1:%d", rumPort),
		metricsURL: fmt.Sprintf("http://127.0.0.1:%d/metrics", metricsPort),
		promURL:    fmt.Sprintf("http://127.0.0.1:%d/metrics", promPort),
		output:     &bytes.Buffer{},
	}
	c.cmd = exec.Command(bin, "--config", cfgPath)
	c.cmd.Stdout, c.cmd.Stderr = c.output, c.output
	require.NoError(t, c.cmd.Start())
	t.Cleanup(func() {
		c.stop(t)
		if t.Failed() {
			t.Logf("collector output:\n%s", c.output.String())
		}
	})
	health := fmt.Sprintf("http://127.0.0.1:%d/", healthPort)
	require.Eventually(t, func() bool {
		resp, err := http.Get(health)
		if err != nil {
			return false
		}
		resp.Body.Close()
		return resp.StatusCode == http.StatusOK
	}, 30*time.Second, 100*time.Millisecond, "collector did not become healthy:\n%s", c.output)
	return c
}

// stop sends SIGTERM and waits for a clean exit, which flushes the batch processor.
func (c *collector) stop(t *testing.T) {
	if c.cmd.ProcessState != nil {
		return
	}
	_ = c.cmd.Process.Signal(syscall.SIGTERM)
	done := make(chan error, 1)
	go func() { done <- c.cmd.Wait() }()
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	defer cancel()
	select {
	case err := <-done:
		require.NoError(t, err, "collector exited with an error")
	case <-ctx.Done():
		_ = c.cmd.Process.Kill()
		t.Error("collector did not stop within 20s of SIGTERM")
	}
}
