// Copyright The otelcol-rum Authors
// SPDX-License-Identifier: Apache-2.0

//go:build e2e

package e2e

import (
	"fmt"
	"os"
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/otelcol-rum/otelcol-rum/test/internal/harness"
)

// collector is a running otelcol-rum process.
type collector struct {
	*harness.Proc
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
	bin := harness.CollectorBinary(t)
	rum, prom, health, metricsPort := harness.FreeAddr(t), harness.FreeAddr(t), harness.FreeAddr(t), harness.FreePort(t)
	cfgPath := filepath.Join(t.TempDir(), "config.yaml")
	require.NoError(t, os.WriteFile(cfgPath, fmt.Appendf(nil, e2eConfig, rum, appKey, sinkURL, prom, health, metricsPort), 0o600))

	c := &collector{
		Proc:       harness.StartProc(t, "", nil, bin, "--config", cfgPath),
		rumURL:     "http://" + rum,
		metricsURL: fmt.Sprintf("http://%s/metrics", harness.Loopback(metricsPort)),
		promURL:    "http://" + prom + "/metrics",
	}
	harness.WaitHTTP(t, c.Proc, "http://"+health+"/")
	return c
}
