// Copyright The otelcol-rum Authors
// SPDX-License-Identifier: Apache-2.0

package harness

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"go.opentelemetry.io/collector/pdata/plog"
)

// logsOf makes the logs a request of session would leave: n records, the first of which
// is a vital with each of vitalIDs, and a session.start event.
func logsOf(session string, n int, vitalIDs ...string) plog.Logs {
	ld := plog.NewLogs()
	rl := ld.ResourceLogs().AppendEmpty()
	rl.Resource().Attributes().PutStr(attrSessionID, session)
	recs := rl.ScopeLogs().AppendEmpty().LogRecords()
	for i := range n {
		lr := recs.AppendEmpty()
		if i < len(vitalIDs) {
			lr.SetEventName(eventVital)
			lr.Attributes().PutStr(attrVitalID, vitalIDs[i])
		}
	}
	start := ld.ResourceLogs().AppendEmpty().ScopeLogs().AppendEmpty().LogRecords().AppendEmpty()
	start.SetEventName(eventStart)
	start.Attributes().PutStr(attrSessionID, session)
	return ld
}

func TestCheckDeliveryTellsLostPartialDuplicatedAndRefused(t *testing.T) {
	tp := &Template{Name: "t"}
	exp := Expectation{"t": {Logs: 3}}
	req := func(session string, vitals ...string) *Request {
		return &Request{Template: tp, SessionID: session, VitalIDs: vitals}
	}
	sink := &Sink{index: newIndex()}
	sink.index.addLogs(logsOf("whole", 3, "v1"))
	sink.index.addLogs(logsOf("partial", 2))
	sink.index.addLogs(logsOf("twice", 3, "v3"))
	sink.index.addLogs(logsOf("twice", 3, "v3"))
	sink.index.addLogs(logsOf("refused", 1))

	d := CheckDelivery([]Outcome{
		{Req: req("whole", "v1"), Status: 202},
		{Req: req("partial"), Status: 202},
		{Req: req("lost", "v2"), Status: 202},
		{Req: req("twice", "v3"), Status: 202},
		{Req: req("refused"), Status: 429},
		{Req: req("unanswered")},
	}, sink, exp)

	assert.Equal(t, 4, d.Acked)
	assert.Equal(t, 1, d.Refused)
	assert.Equal(t, 1, d.Unanswered)
	assert.Equal(t, []string{"lost"}, d.Lost)
	assert.Len(t, d.Partial, 1)
	assert.Equal(t, []string{"v2"}, d.MissingVitals)
	assert.Equal(t, 3, d.Duplicates)
	assert.Equal(t, 1, d.DuplicateVitals)
	assert.Equal(t, 1, d.RefusedButForwarded)
	assert.Zero(t, d.UnansweredButForwarded)
	assert.False(t, d.Complete())
	assert.Len(t, sink.index.Starts["twice"], 2, "session.start events are indexed apart from the records")
	assert.Contains(t, d.String(), "lost sessions (first 10 of 1): lost")

	whole := CheckDelivery([]Outcome{{Req: req("whole", "v1"), Status: 202}}, sink, exp)
	assert.True(t, whole.Complete(), whole.String())
}
