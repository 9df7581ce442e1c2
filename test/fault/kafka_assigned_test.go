// Copyright The otelcol-rum Authors
// SPDX-License-Identifier: Apache-2.0

//go:build faults

package fault

import (
	"context"
	"fmt"
	"net"
	"net/http"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"go.opentelemetry.io/collector/client"
	"go.opentelemetry.io/collector/pdata/pcommon"

	"github.com/otelcol-rum/otelcol-rum/internal/sessionkey"
	"github.com/otelcol-rum/otelcol-rum/test/internal/harness"
)

// sessionTierToSink sends everything the session tier exports to the test's OTLP/HTTP
// sink instead of the configuration's backends.
const sessionTierToSink = `
exporters:
  otlp_http/sink:
    endpoint: %s
service:
  telemetry:
    metrics:
      level: none
  pipelines:
    traces:
      exporters: [otlp_http/sink]
    logs:
      exporters: [otlp_http/sink]
    metrics:
      exporters: [otlp_http/sink]
`

// TestAssignedSessionCrossesKafka: a beacon without session.id goes through the intake
// tier, Kafka and the session tier, all as shipped (unknown_sessions: assign). Its session
// must be the one the session processor assigns on one machine, from the client's address,
// which only the intake saw: the key travels as the record's key and header. A session
// tier that made the key itself would hash no address, and every client of one browser
// and app would share one session.
func TestAssignedSessionCrossesKafka(t *testing.T) {
	root := harness.RepoRoot(t)
	brokerAddr, rumAddr := harness.FreeAddr(t), harness.FreeAddr(t)
	startBroker(t, buildBroker(t, root), brokerAddr)
	sink := harness.StartSink(t, true)

	intakeEnv := []string{"KAFKA_BROKERS=" + brokerAddr, "RUM_ENDPOINT=" + rumAddr, "HEALTH_CHECK_ENDPOINT=" + harness.FreeAddr(t)}
	intakeHealth := "http://" + strings.TrimPrefix(intakeEnv[2], "HEALTH_CHECK_ENDPOINT=") + "/"
	intake := harness.StartProc(t, t.TempDir(), intakeEnv, harness.CollectorBinary(t),
		"--config", filepath.Join(root, "deploy", "config", "intake.yaml"), "--config", writeOverlay(t, intakeOverlay))
	harness.WaitHTTP(t, intake, intakeHealth)
	sessionEnv := []string{
		"POD_NAME=session-0", "KAFKA_BROKERS=" + brokerAddr, "HEALTH_CHECK_ENDPOINT=" + harness.FreeAddr(t),
		"PROMETHEUS_ENDPOINT=" + harness.FreeAddr(t), "RUM_STORAGE_DIR=" + filepath.Join(t.TempDir(), "storage"),
	}
	harness.StartProc(t, t.TempDir(), sessionEnv, harness.CollectorBinary(t),
		"--config", sessionTierConfig(t, root), "--config", writeOverlay(t, fmt.Sprintf(sessionTierToSink, sink.URL())))

	const userAgent = "Mozilla/5.0 (X11; Linux x86_64) Firefox/121.0"
	post := func(query string) {
		req, err := http.NewRequest(http.MethodPost, "http://"+rumAddr+"/vitals"+query, strings.NewReader(intakeBeacon))
		require.NoError(t, err)
		req.Header.Set("Content-Type", "text/plain")
		req.Header.Set("User-Agent", userAgent)
		deadline := time.Now().Add(30 * time.Second)
		for {
			resp, err := (&http.Client{Timeout: intakeAnswerWait}).Do(req)
			if err == nil {
				resp.Body.Close()
				if resp.StatusCode == http.StatusAccepted {
					return
				}
			}
			require.True(t, time.Now().Before(deadline), "the intake did not accept the beacon within 30s")
			time.Sleep(200 * time.Millisecond)
			req.Body, _ = req.GetBody()
		}
	}
	post("?app=shop-web")
	post("?app=shop-web&session_id=sdk-session-1")

	// What the session processor would assign on one machine: the request came from
	// 127.0.0.1.
	res := pcommon.NewMap()
	res.PutStr("user_agent.original", userAgent)
	onOneMachine := sessionkey.Assigned(client.NewContext(context.Background(), client.Info{Addr: &net.IPAddr{IP: net.IPv4(127, 0, 0, 1)}}), res, "shop-web")

	var vitals map[string]bool
	deadline := time.Now().Add(time.Minute)
	for time.Now().Before(deadline) {
		vitals = vitalSessions(sink)
		if len(vitals) >= 2 {
			break
		}
		time.Sleep(500 * time.Millisecond)
	}
	require.Len(t, vitals, 2, "the two beacons' vitals reach the backend through the session tier")
	var assigned []string
	for id := range vitals {
		if id != "sdk-session-1" {
			assigned = append(assigned, id)
		}
	}
	require.Len(t, assigned, 1, "the SDK's session keeps its id: %v", vitals)
	assert.True(t, strings.HasPrefix(assigned[0], onOneMachine+"-"),
		"session %q is not the key assigned from the client's address (%s-<start>)", assigned[0], onOneMachine)
}

// vitalSessions is the session.id of every web-vital log record at the sink.
func vitalSessions(sink *harness.Sink) map[string]bool {
	out := map[string]bool{}
	_, logs, _ := sink.Snapshot()
	for _, ld := range logs {
		for _, rl := range ld.ResourceLogs().All() {
			for _, sl := range rl.ScopeLogs().All() {
				for _, lr := range sl.LogRecords().All() {
					if lr.EventName() != "browser.web_vital" {
						continue
					}
					if id, ok := rl.Resource().Attributes().Get("session.id"); ok {
						out[id.Str()] = true
					}
				}
			}
		}
	}
	return out
}
