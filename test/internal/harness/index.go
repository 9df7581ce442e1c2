// Copyright The otelcol-rum Authors
// SPDX-License-Identifier: Apache-2.0

package harness // import "github.com/otelcol-rum/otelcol-rum/test/internal/harness"

import (
	"go.opentelemetry.io/collector/pdata/pcommon"
	"go.opentelemetry.io/collector/pdata/plog"
	"go.opentelemetry.io/collector/pdata/pmetric"
	"go.opentelemetry.io/collector/pdata/ptrace"
)

// Attribute and event names the index reads: the receiver puts session.id on the
// resource and browser.web_vital.id on each vital record; the session processor adds the
// lifecycle events with session.id as a record attribute. They are written out here
// rather than taken from internal/rumconv on purpose: the tests check the built binary's
// output against the names users depend on, which a renamed constant would follow.
const (
	attrSessionID = "session.id"
	attrVitalID   = "browser.web_vital.id"
	eventVital    = "browser.web_vital"
	eventStart    = "session.start"
	eventEnd      = "session.end"
)

// Counts is how many spans, log records and metric points there are of something.
type Counts struct {
	Spans, Logs, Points int
}

// Total is the sum of the three.
func (c Counts) Total() int { return c.Spans + c.Logs + c.Points }

// Index is what a fault test needs to know of everything a sink received.
type Index struct {
	// Records counts the spans, log records and metric points of each session.id; the
	// session processor's session.start and session.end events are not among them.
	Records map[string]Counts
	// Vitals counts the browser.web_vital log records of each browser.web_vital.id.
	Vitals map[string]int
	// Starts and Ends hold the timestamps of the session.start and session.end events of
	// each session.id.
	Starts, Ends map[string][]int64
	// Requests counts the export requests received.
	Requests int
}

func newIndex() Index {
	return Index{Records: map[string]Counts{}, Vitals: map[string]int{}, Starts: map[string][]int64{}, Ends: map[string][]int64{}}
}

// sessionOf is the record's session: its own attribute, else its resource's.
func sessionOf(res, rec pcommon.Map) string {
	if v, ok := rec.Get(attrSessionID); ok {
		return v.AsString()
	}
	if v, ok := res.Get(attrSessionID); ok {
		return v.AsString()
	}
	return ""
}

func (ix *Index) addTraces(td ptrace.Traces) {
	for _, rs := range td.ResourceSpans().All() {
		for _, ss := range rs.ScopeSpans().All() {
			for _, sp := range ss.Spans().All() {
				id := sessionOf(rs.Resource().Attributes(), sp.Attributes())
				c := ix.Records[id]
				c.Spans++
				ix.Records[id] = c
			}
		}
	}
}

func (ix *Index) addLogs(ld plog.Logs) {
	for _, rl := range ld.ResourceLogs().All() {
		for _, sl := range rl.ScopeLogs().All() {
			for _, lr := range sl.LogRecords().All() {
				id := sessionOf(rl.Resource().Attributes(), lr.Attributes())
				switch lr.EventName() {
				case eventStart:
					ix.Starts[id] = append(ix.Starts[id], int64(lr.Timestamp()))
					continue
				case eventEnd:
					ix.Ends[id] = append(ix.Ends[id], int64(lr.Timestamp()))
					continue
				case eventVital:
					if v, ok := lr.Attributes().Get(attrVitalID); ok {
						ix.Vitals[v.Str()]++
					}
				}
				c := ix.Records[id]
				c.Logs++
				ix.Records[id] = c
			}
		}
	}
}

func (ix *Index) addMetrics(md pmetric.Metrics) {
	for _, rm := range md.ResourceMetrics().All() {
		id := sessionOf(rm.Resource().Attributes(), pcommon.NewMap())
		if id == "" {
			continue // aggregates (webvitals histograms) belong to no session
		}
		n := 0
		for _, sm := range rm.ScopeMetrics().All() {
			for _, m := range sm.Metrics().All() {
				n += dataPoints(m)
			}
		}
		c := ix.Records[id]
		c.Points += n
		ix.Records[id] = c
	}
}

func dataPoints(m pmetric.Metric) int {
	switch m.Type() {
	case pmetric.MetricTypeGauge:
		return m.Gauge().DataPoints().Len()
	case pmetric.MetricTypeSum:
		return m.Sum().DataPoints().Len()
	case pmetric.MetricTypeHistogram:
		return m.Histogram().DataPoints().Len()
	case pmetric.MetricTypeExponentialHistogram:
		return m.ExponentialHistogram().DataPoints().Len()
	case pmetric.MetricTypeSummary:
		return m.Summary().DataPoints().Len()
	}
	return 0
}
