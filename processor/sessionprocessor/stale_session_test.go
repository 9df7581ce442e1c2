// Copyright The otelcol-rum Authors
// SPDX-License-Identifier: Apache-2.0

package sessionprocessor

import (
	"fmt"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"go.opentelemetry.io/collector/pdata/plog"
)

// TestResourceSessionEvictedByARecordOfTheBatch: a record with a session.id of its own
// can evict the resource's session (max_sessions); the records after it that belong to the
// resource's session must still count for that session, never for the one that took its
// place in the store.
func TestResourceSessionEvictedByARecordOfTheBatch(t *testing.T) {
	for _, maxSessions := range []int{1, 2} {
		t.Run(fmt.Sprint("max_sessions=", maxSessions), func(t *testing.T) {
			cfg := testConfig()
			cfg.MaxSessions = maxSessions
			p := startPipeline(t, cfg, newFakeClock(), nil)
			if maxSessions == 2 {
				// b evicts this one; c then evicts a.
				p.sendLogs(sessionLogs("other", logRecordSpec{event: "click"}))
			}
			p.sendLogs(sessionLogs("a",
				logRecordSpec{event: "click"},
				logRecordSpec{event: "click", sessionRec: "b"}, // evicts a (with max_sessions 1)
				logRecordSpec{event: "click", sessionRec: "c"},
				logRecordSpec{event: "exception", severity: plog.SeverityNumberError}, // a's
			))
			p.stop()
			errorsBy := map[string]int64{}
			for _, e := range p.events("session.end") {
				errorsBy[attr(t, e.Attributes(), "session.id").Str()] += attr(t, e.Attributes(), "session.errors").Int()
			}
			require.Contains(t, errorsBy, "a")
			assert.Equal(t, map[string]int64{"a": 1}, filterPositive(errorsBy), "the exception is a's")
		})
	}
}

func filterPositive(m map[string]int64) map[string]int64 {
	out := map[string]int64{}
	for k, v := range m {
		if v > 0 {
			out[k] = v
		}
	}
	return out
}
