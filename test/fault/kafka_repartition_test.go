// Copyright The otelcol-rum Authors
// SPDX-License-Identifier: Apache-2.0

//go:build faults

package fault

import (
	"context"
	"fmt"
	"net/http"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"github.com/twmb/franz-go/pkg/kgo"

	"github.com/otelcol-rum/otelcol-rum/test/internal/harness"
)

const (
	// grownPartitions is the partition count the four topics grow to from 4.
	grownPartitions = 8
	// changeOpenSessions are open when the partitions change; changeNewSessions start after.
	changeOpenSessions = 60
	changeNewSessions  = 20
)

// sessionTierFindsNewPartitions lowers the kafka receivers' metadata refresh (10 min by
// default) so that the group's leader sees the new partitions within seconds: the way the
// tier takes them up is the same, the wait would only make the test long.
const sessionTierFindsNewPartitions = `
receivers:
  kafka/traces:
    metadata: {refresh_interval: 5s}
  kafka/logs:
    metadata: {refresh_interval: 5s}
  kafka/metrics:
    metadata: {refresh_interval: 5s}
`

// TestPartitionCountChange runs the two tiers as shipped (one intake, two session-tier
// collectors, 4 partitions per topic) with open sessions, and grows the four topics to 8
// partitions mid-run as docs/scaling.md says to (the checkpoint topic first, then the
// data topics, then a restart of the intake). The session tier must take up the new
// partitions without a restart, every beacon sent after the change must reach the sink,
// and a session may start a second time only if the change moved its key to another
// partition (hash mod 8 instead of mod 4): those splits are counted and reported.
func TestPartitionCountChange(t *testing.T) {
	root := harness.RepoRoot(t)
	brokerAddr := harness.FreeAddr(t)
	startBroker(t, buildBroker(t, root), brokerAddr)
	sink := harness.StartSink(t, false)

	rumAddr, intakeHealth := harness.FreeAddr(t), harness.FreeAddr(t)
	intakeEnv := []string{"KAFKA_BROKERS=" + brokerAddr, "RUM_ENDPOINT=" + rumAddr, "HEALTH_CHECK_ENDPOINT=" + intakeHealth}
	intakeArgs := []string{"--config", filepath.Join(root, "deploy", "config", "intake.yaml"), "--config", writeOverlay(t, intakeOverlay)}
	startIntake := func() *harness.Proc {
		p := harness.StartProc(t, t.TempDir(), intakeEnv, harness.CollectorBinary(t), intakeArgs...)
		harness.WaitHTTP(t, p, "http://"+intakeHealth+"/")
		time.Sleep(signalHandlerWindow)
		return p
	}
	intake := startIntake()
	pods := []string{"session-0", "session-1"}
	for _, name := range pods {
		newSessionPod(t, brokerAddr, sink.URL(), name, sessionsStayOpen, sessionTierFindsNewPartitions).start(t)
	}
	before := waitForAssignment(t, brokerAddr, 4, pods)

	vitals := 0
	var sentAfter []string // vital ids sent after the change
	send := func(session string) string {
		vitals++
		id := fmt.Sprintf("v-%d", vitals)
		postVital(t, rumAddr, session, id)
		return id
	}
	open := make([]string, changeOpenSessions)
	for i := range open {
		open[i] = fmt.Sprintf("open-%d", i)
		send(open[i])
	}
	require.True(t, waitSink(sink, tierWait, func(ix *harness.Index) bool { return len(ix.Vitals) == vitals }),
		"the beacons before the change did not all reach the sink")

	// The change, in the order the docs give.
	changed := time.Now()
	growTopics(t, brokerAddr, grownPartitions, checkpointTopic)
	growTopics(t, brokerAddr, grownPartitions, intakeTopics...)
	require.NoError(t, intake.Stop(t))
	intake = startIntake()

	for _, s := range open {
		sentAfter = append(sentAfter, send(s))
	}
	for i := range changeNewSessions {
		sentAfter = append(sentAfter, send(fmt.Sprintf("new-%d", i)))
	}
	after := waitForAssignment(t, brokerAddr, grownPartitions, pods)
	takenUp := time.Since(changed)
	arrived := waitSink(sink, tierWait, func(ix *harness.Index) bool {
		for _, id := range sentAfter {
			if ix.Vitals[id] == 0 {
				return false
			}
		}
		return true
	})
	delivered := time.Since(changed)
	alive(t, intake, "after the change")

	moved := sessionPartitions(t, brokerAddr, vitals)
	var split, movedKeys []string
	sink.Read(func(ix *harness.Index) {
		for _, id := range sentAfter {
			assert.Positive(t, ix.Vitals[id], "beacon %s sent after the change did not reach the sink", id)
		}
		for _, s := range open {
			starts := len(ix.Starts[s])
			if len(moved[s]) > 1 {
				movedKeys = append(movedKeys, fmt.Sprintf("%s %d->%d", s, moved[s][0], moved[s][1]))
			}
			if starts == 2 {
				split = append(split, fmt.Sprintf("%s %v", s, moved[s]))
				assert.Len(t, moved[s], 2, "%s started twice, but its key stayed on partition %v", s, moved[s])
			} else {
				assert.Equal(t, 1, starts, "%s: session.start events", s)
			}
		}
		for i := range changeNewSessions {
			s := fmt.Sprintf("new-%d", i)
			assert.Len(t, ix.Starts[s], 1, "%s started after the change", s)
		}
	})
	require.True(t, arrived, "not every beacon sent after the change reached the sink")
	t.Logf("partitions 4 -> %d: the session tier owned %v before, %v after, %s after the change (no restart); "+
		"%d beacons sent after it, all at the sink %s after the change; of %d open sessions %d moved to another partition (%v), %d of those split: %v",
		grownPartitions, before, after, takenUp.Round(100*time.Millisecond), len(sentAfter), delivered.Round(100*time.Millisecond),
		changeOpenSessions, len(movedKeys), movedKeys, len(split), split)
}

// postVital sends one web-vitals beacon of session with measurement id through the
// intake, until it is accepted (30s at most: the intake refuses while Kafka is not ready).
func postVital(t *testing.T, rumAddr, session, id string) {
	t.Helper()
	body := strings.Replace(intakeBeacon, `"id":"v5-1"`, `"id":"`+id+`"`, 1)
	deadline := time.Now().Add(30 * time.Second)
	for {
		resp, err := (&http.Client{Timeout: intakeAnswerWait}).Post("http://"+rumAddr+"/vitals?session_id="+session, "text/plain", strings.NewReader(body))
		if err == nil {
			resp.Body.Close()
			if resp.StatusCode == http.StatusAccepted {
				return
			}
		}
		require.True(t, time.Now().Before(deadline), "the intake did not accept beacon %s of %s within 30s", id, session)
		time.Sleep(200 * time.Millisecond)
	}
}

// sessionPartitions reads rum_logs from the start (want records) and returns the
// partitions each session's records were written to, in ascending order.
func sessionPartitions(t *testing.T, brokerAddr string, want int) map[string][]int32 {
	t.Helper()
	cl := adminClient(t, brokerAddr, kgo.ConsumeTopics("rum_logs"), kgo.ConsumeResetOffset(kgo.NewOffset().AtStart()))
	out := map[string][]int32{}
	n := 0
	deadline := time.Now().Add(kafkaReadWait)
	for n < want && time.Now().Before(deadline) {
		ctx, cancel := context.WithTimeout(context.Background(), time.Second)
		fetches := cl.PollFetches(ctx)
		cancel()
		fetches.EachRecord(func(r *kgo.Record) {
			n++
			if s := string(r.Key); !slices.Contains(out[s], r.Partition) {
				out[s] = append(out[s], r.Partition)
			}
		})
	}
	require.Equal(t, want, n, "log records of the beacons in rum_logs")
	// A key moves from p to p+4 or stays, so the old partition sorts first.
	for _, ps := range out {
		slices.Sort(ps)
	}
	return out
}
