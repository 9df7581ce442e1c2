// Copyright The otelcol-rum Authors
// SPDX-License-Identifier: Apache-2.0

//go:build faults

package fault

import (
	"bytes"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/otelcol-rum/otelcol-rum/test/internal/harness"
)

const (
	// largePoison is the size of the oversized record: twice the kafka receiver's
	// max_partition_fetch_size (1 MiB), on topics whose max.message.bytes an operator
	// raised (docs/scaling.md, Kafka topics).
	largePoison = 2 << 20
	// tierWait bounds each wait for the session tier to deliver or commit.
	tierWait = 60 * time.Second
)

// poison is a record the intake tier never writes.
type poison struct {
	name  string
	value []byte
}

// poisonsFor are the bad records written to one partition of topic: bytes that are not
// protobuf, an empty value, a valid OTLP request of another signal, and on partition 0
// an oversized record of bytes that are not protobuf.
func poisonsFor(t *testing.T, topic string, p int32) []poison {
	other := map[string]string{"rum_traces": "rum_logs", "rum_logs": "rum_metrics", "rum_metrics": "rum_traces"}[topic]
	out := []poison{
		{"garbage", []byte("\xff\xff\xff\xff this is not protobuf")},
		{"empty", nil},
		{"wrong signal (" + other + ")", sessionValues(t, fmt.Sprintf("wrong-signal-%s-%d", topic, p))[other]},
	}
	if p == 0 {
		out = append(out, poison{"oversized garbage", bytes.Repeat([]byte{0xff}, largePoison)})
	}
	return out
}

// TestPoisonRecordsAreSkippedAndCounted writes bad records between good ones on every
// partition of the three data topics, under one session-tier collector as shipped
// (deploy/config/session.yaml, exporting to the test's sink). The collector must skip
// each record that does not decode, count it on the kafka receiver's unmarshal-failure
// metric (exactly the records pdata's OTLP decoder refuses), deliver the good records
// after it (their sessions start and end at the sink), stay up, commit past the bad
// records, and, restarted, not read them again.
func TestPoisonRecordsAreSkippedAndCounted(t *testing.T) {
	root := harness.RepoRoot(t)
	brokerAddr := harness.FreeAddr(t)
	startBroker(t, buildBroker(t, root), brokerAddr)
	for _, topic := range intakeTopics {
		setTopicConfig(t, brokerAddr, topic, "max.message.bytes", fmt.Sprint(2*largePoison))
	}
	sink := harness.StartSink(t, false)
	pod := newSessionPod(t, brokerAddr, sink.URL(), "session-0")
	col := pod.start(t)
	prod := newTierProducer(t, brokerAddr)

	// Per partition: a good session, the poisons on every topic, another good session.
	wantFailed := map[string]int{}
	var sessions []string
	for p := range int32(4) {
		before, after := fmt.Sprintf("before-%d", p), fmt.Sprintf("after-%d", p)
		prod.session(t, p, before)
		for _, topic := range intakeTopics {
			for _, bad := range poisonsFor(t, topic, p) {
				prod.produce(t, topic, p, "", bad.value)
				if !decodes(topic, bad.value) {
					wantFailed[topic]++
				}
			}
		}
		prod.session(t, p, after)
		sessions = append(sessions, before, after)
	}
	for _, topic := range intakeTopics {
		require.GreaterOrEqual(t, wantFailed[topic], 8, "%s: the garbage records alone must fail to decode", topic)
	}

	complete := func(ix *harness.Index) bool {
		for _, s := range sessions {
			if ix.Records[s] != (harness.Counts{Spans: 1, Logs: 1, Points: 1}) || len(ix.Starts[s]) == 0 || len(ix.Ends[s]) == 0 {
				return false
			}
		}
		return true
	}
	if !waitSink(sink, tierWait, complete) {
		sink.Read(func(ix *harness.Index) {
			for _, s := range sessions {
				t.Errorf("%s at the sink: %+v, %d session.start, %d session.end", s, ix.Records[s], len(ix.Starts[s]), len(ix.Ends[s]))
			}
		})
		t.FailNow()
	}
	alive(t, col, "on poison records")
	failed := map[string]float64{}
	for _, topic := range intakeTopics {
		failed[topic] = pod.metric(t, unmarshalFailed[topic])
		assert.InDelta(t, float64(wantFailed[topic]), failed[topic], 0, "%s: records counted as undecodable", topic)
	}
	behind := waitCommittedToEnd(t, brokerAddr, tierWait)
	require.Empty(t, behind, "the group did not commit past the poison records")
	assert.NotContains(t, col.Output(), "pausing partition", "a poison record paused a partition")

	// Restarted, the collector starts after the committed offsets: it reads none of the
	// poison records again, and a new session on every partition still arrives.
	require.NoError(t, col.Stop(t))
	col = pod.start(t)
	var again []string
	for p := range int32(4) {
		s := fmt.Sprintf("again-%d", p)
		prod.session(t, p, s)
		again = append(again, s)
	}
	arrived := waitSink(sink, tierWait, func(ix *harness.Index) bool {
		for _, s := range again {
			if ix.Records[s] != (harness.Counts{Spans: 1, Logs: 1, Points: 1}) {
				return false
			}
		}
		return true
	})
	require.True(t, arrived, "the sessions written after the restart did not all arrive")
	alive(t, col, "after the restart")
	for _, topic := range intakeTopics {
		assert.Zero(t, pod.metric(t, unmarshalFailed[topic]), "%s: the restarted collector read poison records again", topic)
	}
	sink.Read(func(ix *harness.Index) {
		for _, s := range sessions {
			assert.Len(t, ix.Starts[s], 1, "%s: one session.start (read again after the restart?)", s)
		}
	})

	var kinds []string
	for _, bad := range poisonsFor(t, "rum_logs", 0) {
		kinds = append(kinds, fmt.Sprintf("%s (%d bytes)", bad.name, len(bad.value)))
	}
	t.Logf("poison records per partition: %s; counted as undecodable: traces %v, logs %v, metrics %v (expected %v); "+
		"%d good sessions around them all started and ended; committed to the end; after a restart 0 read again",
		strings.Join(kinds, ", "), failed["rum_traces"], failed["rum_logs"], failed["rum_metrics"], wantFailed, len(sessions))
}
