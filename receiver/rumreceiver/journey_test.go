// Copyright The otelcol-rum Authors
// SPDX-License-Identifier: Apache-2.0

package rumreceiver

import (
	"slices"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"go.opentelemetry.io/collector/pdata/plog"
	"go.opentelemetry.io/collector/pdata/ptrace"

	"github.com/otelcol-rum/otelcol-rum/internal/sdkcaptures"
)

// replayScenario sends every captured request of a scenario and returns what came out.
func replayScenario(t *testing.T, scenario string) (*harness, sdkcaptures.Manifest) {
	m := sdkcaptures.Load(t)
	h := goldenHarness(t, m)
	sdkcaptures.Replay(t, h.url, scenario)
	return h, m
}

func allLogRecords(h *harness) []plog.LogRecord {
	var out []plog.LogRecord
	for _, ld := range h.logs.AllLogs() {
		for _, rl := range ld.ResourceLogs().All() {
			for _, sl := range rl.ScopeLogs().All() {
				for _, lr := range sl.LogRecords().All() {
					out = append(out, lr)
				}
			}
		}
	}
	return out
}

func allSpans(h *harness) []ptrace.Span {
	var out []ptrace.Span
	for _, td := range h.traces.AllTraces() {
		for _, rs := range td.ResourceSpans().All() {
			for _, ss := range rs.ScopeSpans().All() {
				for _, s := range ss.Spans().All() {
					out = append(out, s)
				}
			}
		}
	}
	return out
}

// traceparentIDs splits 00-<trace>-<span>-<flags>.
func traceparentIDs(t *testing.T, tp string) (string, string) {
	parts := strings.Split(tp, "-")
	require.Len(t, parts, 4, tp)
	return parts[1], parts[2]
}

func vitalNames(records []plog.LogRecord) []string {
	var names []string
	for _, lr := range records {
		if lr.EventName() != "browser.web_vital" {
			continue
		}
		if v, ok := lr.Attributes().Get("browser.web_vital.name"); ok && !slices.Contains(names, v.Str()) {
			names = append(names, v.Str())
		}
	}
	slices.Sort(names)
	return names
}

var fiveVitals = []string{"cls", "fcp", "inp", "lcp", "ttfb"}

func TestFaroJourney(t *testing.T) {
	for _, scenario := range []string{"faro", "faro-gzip"} {
		t.Run(scenario, func(t *testing.T) {
			h, m := replayScenario(t, scenario)
			sc := m.Scenarios[scenario]
			records := allLogRecords(h)

			// Each page view's navigation event carries the backend trace from Server-Timing.
			var navTraces []string
			navIDs := map[string]bool{}
			for _, lr := range records {
				if lr.EventName() == "faro.performance.navigation" {
					navTraces = append(navTraces, lr.TraceID().String()+"-"+lr.SpanID().String())
					id, ok := lr.Attributes().Get("rum.navigation.id")
					require.True(t, ok)
					navIDs[id.Str()] = true
				}
			}
			require.Len(t, sc.Documents, 2)
			for _, doc := range sc.Documents {
				tid, sid := traceparentIDs(t, doc.Traceparent)
				assert.Contains(t, navTraces, tid+"-"+sid)
			}

			assert.Equal(t, fiveVitals, vitalNames(records))
			// Vitals that name a page view name one whose navigation event we saw.
			for _, lr := range records {
				if id, ok := lr.Attributes().Get("rum.navigation.id"); ok && lr.EventName() == "browser.web_vital" {
					assert.True(t, navIDs[id.Str()], "vital names unknown page view %s", id.Str())
				}
			}
			assert.Equal(t, h.metrics.DataPointCount(), len(slices.DeleteFunc(slices.Clone(records), func(lr plog.LogRecord) bool {
				return lr.EventName() != "browser.web_vital"
			})), "one metric point per vital")

			exceptions := 0
			for _, lr := range records {
				if lr.EventName() == "exception" {
					exceptions++
					_, ok := lr.Attributes().Get("exception.stacktrace")
					assert.True(t, ok)
				}
			}
			assert.GreaterOrEqual(t, exceptions, 2, "pushError and the uncaught error")

			spans := allSpans(h)
			assert.NotEmpty(t, spans)
			for _, td := range h.traces.AllTraces() {
				sid, _ := td.ResourceSpans().At(0).Resource().Attributes().Get("session.id")
				assert.Equal(t, sc.SessionID, sid.Str(), "spans carry the session")
			}
			for _, ld := range h.logs.AllLogs() {
				sid, _ := ld.ResourceLogs().At(0).Resource().Attributes().Get("session.id")
				assert.Equal(t, sc.SessionID, sid.Str())
			}
		})
	}
}

func TestOTelWebJourney(t *testing.T) {
	for _, scenario := range []string{"otel", "otel-proto"} {
		t.Run(scenario, func(t *testing.T) {
			h, m := replayScenario(t, scenario)
			_, metaSpanID := traceparentIDs(t, m.Scenarios[scenario].Documents[0].Traceparent)
			var documentLoad ptrace.Span
			for _, s := range allSpans(h) {
				if s.Name() == "documentLoad" {
					documentLoad = s
				}
			}
			require.NotEqual(t, ptrace.Span{}, documentLoad, "documentLoad span")
			assert.Equal(t, metaSpanID, documentLoad.ParentSpanID().String(), "documentLoad is a child of the <meta> traceparent")
			if scenario == "otel" {
				assert.Equal(t, fiveVitals, vitalNames(allLogRecords(h)))
				assert.Equal(t, 5, h.metrics.DataPointCount())
			}
		})
	}
}

func TestWebVitalsBeaconJourney(t *testing.T) {
	for _, scenario := range []string{"vitals", "vitals-batch"} {
		t.Run(scenario, func(t *testing.T) {
			h, _ := replayScenario(t, scenario)
			assert.Equal(t, fiveVitals, vitalNames(allLogRecords(h)))
			assert.Equal(t, 5, h.metrics.DataPointCount())
		})
	}
}
