// Copyright The otelcol-rum Authors
// SPDX-License-Identifier: Apache-2.0

//go:build faults

package fault

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/otelcol-rum/otelcol-rum/test/internal/harness"
)

// The configurations under test, as shipped: what `make run` runs (debug exporter), and
// the same with the OTLP preset, as an operator runs it against a backend (the sink).
var (
	exampleConfig = []string{"config.example.yaml"}
	shippedConfig = []string{"config.example.yaml", "exporter/otlp.yaml"}
)

// loopbackOverlay moves every listener of the shipped configuration to a free loopback
// port and lifts the per-client rate limit: all the load of a test comes from 127.0.0.1,
// which the default (10 requests/s per address) would refuse as one abusive client.
// Everything else stays at its shipped value.
const loopbackOverlay = `
receivers:
  rum:
    endpoint: %s
    rate_limit:
      per_client: {rate: 0}
  otlp:
    protocols:
      grpc: {endpoint: %s}
      http: {endpoint: %s}
exporters:
  prometheus:
    endpoint: %s
extensions:
  health_check:
    endpoint: %s
service:
  telemetry:
    metrics:
      level: detailed
      readers:
        - pull:
            exporter:
              prometheus: {host: 127.0.0.1, port: %d}
`

// collectorSpec is how a test runs the collector: the same addresses, storage directory
// and backend at every start, as a restarted process on the same machine has.
type collectorSpec struct {
	configs    []string // absolute paths, later ones win
	sinkURL    string   // the backend of the OTLP preset, if any
	storageDir string   // RUM_STORAGE_DIR
	rumURL     string
	healthURL  string
	metricsURL string // the collector's own telemetry
}

// newCollectorSpec writes the overlay for a fresh set of ports; sinkURL is the backend of
// the OTLP preset ("" without it); extra YAML documents go on top, in order.
func newCollectorSpec(t *testing.T, base []string, sinkURL string, extra ...string) *collectorSpec {
	t.Helper()
	root := harness.RepoRoot(t)
	dir := t.TempDir()
	rum, health, telemetry := harness.FreeAddr(t), harness.FreeAddr(t), harness.FreePort(t)
	s := &collectorSpec{
		sinkURL:    sinkURL,
		storageDir: filepath.Join(dir, "storage"),
		rumURL:     "http://" + rum,
		healthURL:  "http://" + health + "/",
		metricsURL: fmt.Sprintf("http://%s/metrics", harness.Loopback(telemetry)),
	}
	for _, c := range base {
		s.configs = append(s.configs, filepath.Join(root, c))
	}
	overlays := append([]string{fmt.Sprintf(loopbackOverlay, rum, harness.FreeAddr(t), harness.FreeAddr(t), harness.FreeAddr(t), health, telemetry)}, extra...)
	for i, o := range overlays {
		path := filepath.Join(dir, fmt.Sprintf("overlay-%d.yaml", i))
		require.NoError(t, os.WriteFile(path, []byte(o), 0o600))
		s.configs = append(s.configs, path)
	}
	return s
}

// start runs the collector and waits until it is healthy.
func (s *collectorSpec) start(t *testing.T) *harness.Proc {
	t.Helper()
	args := make([]string, 0, 2*len(s.configs))
	for _, c := range s.configs {
		args = append(args, "--config", c)
	}
	env := []string{"RUM_STORAGE_DIR=" + s.storageDir}
	if s.sinkURL != "" {
		env = append(env, "OTLP_ENDPOINT="+s.sinkURL)
	}
	p := harness.StartProc(t, t.TempDir(), env, harness.CollectorBinary(t), args...)
	harness.WaitHTTP(t, p, s.healthURL)
	// The collector core (otelcol.Collector.Run) subscribes to SIGTERM only after the
	// service has started, so after the health check already answers: a SIGTERM in that
	// moment ends the process at once, with no shutdown at all. Tests that stop the
	// collector right after starting it must not hit that window.
	time.Sleep(signalHandlerWindow)
	return p
}

// signalHandlerWindow is far longer than the moment between readiness and the SIGTERM
// subscription (microseconds on an idle machine).
const signalHandlerWindow = 250 * time.Millisecond

// client posts to the collector's rum receiver over up to conns connections.
func (s *collectorSpec) client(t *testing.T, conns int) *harness.Client {
	c := harness.NewClient(s.rumURL, conns)
	t.Cleanup(c.Close)
	return c
}

// loadRun is a shipped collector exporting to a sink, with the expectation of each
// template's records learnt through it: the start of every test that checks delivery.
type loadRun struct {
	sink      *harness.Sink
	spec      *collectorSpec
	col       *harness.Proc
	client    *harness.Client
	templates []*harness.Template
	ids       *harness.IDs
	exp       harness.Expectation
}

// startLoadRun starts the shipped collector, with the extra YAML documents on top.
func startLoadRun(t *testing.T, conns int, extra ...string) *loadRun {
	r := &loadRun{sink: harness.StartSink(t, false), templates: harness.LoadTemplates(t), ids: harness.NewIDs()}
	r.spec = newCollectorSpec(t, shippedConfig, r.sink.URL(), extra...)
	r.col = r.spec.start(t)
	r.client = r.spec.client(t, conns)
	r.exp = harness.Calibrate(t, r.client, r.sink, r.templates, r.ids)
	return r
}

// send runs conns senders of new sessions, round robin over the templates, until ctx is done.
func (r *loadRun) send(ctx context.Context, conns int, ledger *harness.Ledger) *harness.Senders {
	return harness.StartSenders(ctx, conns, r.client, harness.RoundRobin(r.templates, r.ids), ledger)
}
