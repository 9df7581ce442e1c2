// Copyright The otelcol-rum Authors
// SPDX-License-Identifier: Apache-2.0

package harness

import (
	"encoding/json"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestRenderMakesEveryRequestAndMeasurementUnique(t *testing.T) {
	templates := LoadTemplates(t)
	ids := NewIDs()
	now := time.Date(2030, 1, 2, 3, 4, 5, 0, time.UTC)
	seen := map[string]bool{}
	formats := map[string]int{}
	for _, tp := range templates {
		formats[tp.Format]++
		for range 2 {
			session := ids.Session()
			r := tp.Render(ids, session, now)
			require.True(t, json.Valid(r.body), "%s renders to valid JSON", tp.Name)
			assert.Len(t, r.VitalIDs, tp.Vitals, tp.Name)
			for _, id := range r.VitalIDs {
				assert.False(t, seen[id], "measurement id %s used twice", id)
				seen[id] = true
				assert.Contains(t, string(r.body), `"id":"`+id+`"`)
			}
			assert.NotContains(t, string(r.body), `"id":"v6-`, "%s: every capture id is replaced", tp.Name)
			switch tp.Format {
			case FormatFaro:
				assert.NotContains(t, string(r.body), string(tp.session), "%s: the capture's session is gone", tp.Name)
				assert.Contains(t, string(r.body), `"id":"`+session+`"`)
				assert.Equal(t, session, r.header.Get("X-Faro-Session-Id"))
				assert.True(t, strings.HasPrefix(r.target, "/collect/"), r.target)
				assert.Equal(t, now, latestTime(t, r.body), "%s: the latest client time is now", tp.Name)
			case FormatBeacon:
				assert.True(t, strings.HasSuffix(r.target, "&session_id="+session), r.target)
			}
		}
	}
	assert.Positive(t, formats[FormatFaro])
	assert.Positive(t, formats[FormatBeacon])
	assert.Greater(t, len(seen), 20, "the captures carry measurements")
}

func TestShiftTimesMovesNanosecondsToo(t *testing.T) {
	body := []byte(`{"timestamp":"2026-11-21T10:53:16.765Z","startTimeUnixNano":"1795258396680600000"}`)
	got := string(shiftTimes(body, time.Hour))
	assert.Equal(t, `{"timestamp":"2026-11-21T11:53:16.765Z","startTimeUnixNano":"1795261996680600000"}`, got)
}

func TestTailBufferKeepsTheEnd(t *testing.T) {
	b := newTailBuffer(8)
	for _, s := range []string{"0123", "4567", "89ab", "cdef", "ghij"} {
		_, _ = b.Write([]byte(s))
	}
	assert.Equal(t, "cdefghij", b.String())
}

func TestRenderSessionGivesAScenarioItsOwnSessionTracesAndTimes(t *testing.T) {
	ids := NewIDs()
	now := time.Date(2030, 1, 2, 3, 4, 5, 0, time.UTC)
	for _, name := range []string{"faro", "otel", "vitals"} {
		sc := LoadScenario(t, name)
		require.NotEmpty(t, sc.Templates, name)
		assert.Positive(t, sc.Vitals(), "%s carries measurements", name)
		session := ids.Session()
		traces := SessionTraces(7)
		for _, tp := range sc.Templates {
			r := tp.RenderSession(ids, session, traces, now)
			require.True(t, json.Valid(r.body), "%s renders to valid JSON", tp.Name)
			assert.Len(t, r.VitalIDs, tp.Vitals, tp.Name)
			assert.NotContains(t, string(r.body), `"v6-`, "%s: every capture measurement id is replaced", tp.Name)
			for _, id := range traceIDPattern.FindAllString(string(r.body), -1) {
				assert.True(t, strings.HasPrefix(id, "00000007"), "%s: trace id %s is the session's", tp.Name, id)
			}
			if tp.Format == FormatOTLPJSON {
				assert.NotContains(t, string(r.body), string(tp.session), tp.Name)
				assert.Contains(t, string(r.body), `{"stringValue":"`+session+`"}`, tp.Name)
				assert.Equal(t, "test-app-key", r.header.Get("X-Api-Key"), tp.Name)
				assert.Equal(t, now, latestNanoTime(t, r.body), "%s: the latest client time is now", tp.Name)
			}
		}
	}
	assert.Equal(t, 2, LoadScenario(t, "faro").PageViews)
	assert.Equal(t, 1, LoadScenario(t, "otel").PageViews)
	assert.Zero(t, LoadScenario(t, "vitals").PageViews)
	assert.Equal(t, 2, LoadScenario(t, "faro").Navigations)
	assert.Equal(t, 1, LoadScenario(t, "otel").Navigations)
	assert.Zero(t, LoadScenario(t, "vitals").Navigations)
}
