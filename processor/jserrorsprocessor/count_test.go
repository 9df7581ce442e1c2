// Copyright The otelcol-rum Authors
// SPDX-License-Identifier: Apache-2.0

package jserrorsprocessor

import (
	"regexp"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"go.opentelemetry.io/collector/pdata/plog"

	"github.com/otelcol-rum/otelcol-rum/internal/sdkcaptures"
)

var groupID = regexp.MustCompile(`^[0-9a-f]{16}$`)

// TestRealFaroErrorsAreCountedAsTheSessionsCountThem replays two real Faro sessions
// through rum receiver → session → jserrors: every error record is grouped and counted
// once in browser.errors, by route, release and type, with the session as exemplar; and
// the counter's total is the sum of the sessions' session.errors.
func TestRealFaroErrorsAreCountedAsTheSessionsCountThem(t *testing.T) {
	c := startChain(t, testConfig(), fakeParts(&fakeSymbolicator{}))
	sdkcaptures.Replay(t, c.url, "faro")      // 3 exceptions
	sdkcaptures.Replay(t, c.url, "faro-gzip") // 2 exceptions and a console.error log
	c.stop(t)

	var exceptions, otherErrors int
	sessionErrors := map[string]int64{}
	for _, lr := range logRecords(c.logs) {
		switch {
		case lr.EventName() == "session.end":
			id, _ := lr.Attributes().Get("session.id")
			n, _ := lr.Attributes().Get("session.errors")
			sessionErrors[id.Str()] = n.Int()
			continue
		case lr.EventName() == "exception":
			exceptions++
			status, ok := lr.Attributes().Get("rum.exception.symbolication")
			require.True(t, ok)
			assert.Equal(t, "unresolved", status.Str(), "the fake has no map")
		case lr.SeverityNumber() >= plog.SeverityNumberError:
			otherErrors++
			_, ok := lr.Attributes().Get("rum.exception.symbolication")
			assert.False(t, ok, "only exceptions have a stack trace to read")
		default:
			_, ok := lr.Attributes().Get("rum.error.group")
			assert.False(t, ok, "%s is no error", lr.EventName())
			continue
		}
		group, ok := lr.Attributes().Get("rum.error.group")
		require.True(t, ok)
		assert.Regexp(t, groupID, group.Str())
	}
	require.Equal(t, 5, exceptions)
	require.Equal(t, 1, otherErrors)
	assert.Equal(t, map[string]int64{"E89GPT6epD": 3, "azsSi9Wa8j": 3}, sessionErrors)

	var total int64
	types := map[string]int64{}
	for _, p := range errorPoints(t, c.metrics) {
		assert.Equal(t, map[string]any{"service.name": "shop-web", "deployment.environment.name": "test"}, p.resource)
		attrs := p.Attributes().AsRaw()
		assert.Equal(t, "1.4.2", attrs["service.version"])
		assert.Equal(t, "/faro.html", attrs["url.template"], "the page's route, without its query")
		assert.Regexp(t, groupID, attrs["rum.error.group"])
		typ, _ := attrs["exception.type"].(string)
		types[typ] += p.IntValue()
		total += p.IntValue()
		require.Equal(t, 1, p.Exemplars().Len())
		session, ok := p.Exemplars().At(0).FilteredAttributes().Get("session.id")
		require.True(t, ok, "the exemplar names the session")
		assert.Contains(t, []string{"E89GPT6epD", "azsSi9Wa8j"}, session.Str())
	}
	assert.Equal(t, int64(6), total)
	assert.Equal(t, map[string]int64{"Error": 5, "": 1}, types, "the console.error log has no exception type")
}
