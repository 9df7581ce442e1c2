// Copyright The otelcol-rum Authors
// SPDX-License-Identifier: Apache-2.0

//go:build e2e

package e2e

import (
	"fmt"
	"slices"
	"sort"
	"strings"

	"go.opentelemetry.io/collector/pdata/pcommon"
	"go.opentelemetry.io/collector/pdata/plog"
	"go.opentelemetry.io/collector/pdata/pmetric"
	"go.opentelemetry.io/collector/pdata/ptrace"

	"github.com/otelcol-rum/otelcol-rum/internal/rumconv"
	"github.com/otelcol-rum/otelcol-rum/test/internal/harness"
)

// What the session tier sent the sink, read per session: the lifecycle events, the page
// views, whether each vital was joined to its page's navigation trace, and the Web Vitals
// histogram counts. The names are the ones users see (README of the session and
// webvitals processors, the rum receiver's output), written out on purpose.

// tierVitalHistograms are the webvitals processor's histograms of measurements.
var tierVitalHistograms = []string{
	"browser.web_vital.lcp", "browser.web_vital.inp", "browser.web_vital.cls",
	"browser.web_vital.fcp", "browser.web_vital.ttfb",
}

// sessionSeen is what the sink holds of one session.
type sessionSeen struct {
	starts, ends int
	// pageViews and endReasons of each session.end.
	pageViews  []int64
	endReasons []string
	// navigations maps rum.navigation.id to the trace of its navigation event (Faro);
	// navTraces holds every navigation trace of the session (Faro's navigation events,
	// the OTel SDK's documentLoad spans).
	navigations map[string]pcommon.TraceID
	navTraces   map[pcommon.TraceID]bool
	// vitals are the session's browser.web_vital records.
	vitals []plog.LogRecord
}

// tierView is the sink's content, by session.
type tierView struct {
	sessions map[string]*sessionSeen
	// vitalRecords counts the browser.web_vital records of each measurement id.
	vitalRecords map[string]int
	// histogramCount is the number of measurements the vitals histograms counted: per
	// cumulative stream (one collector's series since its start) its latest count, summed.
	histogramCount int64
	// writers are the rum.collector.instance values on the vitals histograms' resources;
	// unnamedHistograms counts the histogram points whose resource has none.
	writers           map[string]bool
	unnamedHistograms int
}

func (v *tierView) session(id string) *sessionSeen {
	s := v.sessions[id]
	if s == nil {
		s = &sessionSeen{navigations: map[string]pcommon.TraceID{}, navTraces: map[pcommon.TraceID]bool{}}
		v.sessions[id] = s
	}
	return s
}

func viewSink(sink *harness.Sink) *tierView {
	traces, logs, metrics := sink.Snapshot()
	v := &tierView{sessions: map[string]*sessionSeen{}, vitalRecords: map[string]int{}, writers: map[string]bool{}}
	for _, td := range traces {
		v.addTraces(td)
	}
	for _, ld := range logs {
		v.addLogs(ld)
	}
	streams := map[string]uint64{}
	for _, md := range metrics {
		addHistogramStreams(streams, md)
		v.addHistogramWriters(md)
	}
	for _, n := range streams {
		v.histogramCount += int64(n)
	}
	return v
}

// recordSession is a record's session.id: its own, else its resource's.
func recordSession(res, rec pcommon.Map) string {
	if id, ok := rec.Get("session.id"); ok {
		return id.AsString()
	}
	if id, ok := res.Get("session.id"); ok {
		return id.AsString()
	}
	return ""
}

func (v *tierView) addTraces(td ptrace.Traces) {
	for _, rs := range td.ResourceSpans().All() {
		for _, ss := range rs.ScopeSpans().All() {
			for _, sp := range ss.Spans().All() {
				if sp.Name() == "documentLoad" {
					v.session(recordSession(rs.Resource().Attributes(), sp.Attributes())).navTraces[sp.TraceID()] = true
				}
			}
		}
	}
}

func (v *tierView) addLogs(ld plog.Logs) {
	for _, rl := range ld.ResourceLogs().All() {
		for _, sl := range rl.ScopeLogs().All() {
			for _, lr := range sl.LogRecords().All() {
				attrs := lr.Attributes()
				s := v.session(recordSession(rl.Resource().Attributes(), attrs))
				switch lr.EventName() {
				case "session.start":
					s.starts++
				case "session.end":
					s.ends++
					pv, _ := attrs.Get("session.page_views")
					reason, _ := attrs.Get("session.end_reason")
					s.pageViews, s.endReasons = append(s.pageViews, pv.Int()), append(s.endReasons, reason.AsString())
				case "faro.performance.navigation":
					id, _ := attrs.Get("rum.navigation.id")
					s.navigations[id.AsString()] = lr.TraceID()
					s.navTraces[lr.TraceID()] = true
				case "browser.web_vital":
					s.vitals = append(s.vitals, lr)
					id, _ := attrs.Get("browser.web_vital.id")
					v.vitalRecords[id.AsString()]++
				}
			}
		}
	}
}

// addHistogramStreams keeps the latest count of every cumulative vitals histogram
// stream: its metric, resource, attributes and start time. Each collector's series start
// when it first counts them, so the streams of the two session-tier collectors (and of a
// restarted one) stay apart.
func addHistogramStreams(streams map[string]uint64, md pmetric.Metrics) {
	for _, rm := range md.ResourceMetrics().All() {
		res := fmt.Sprint(rm.Resource().Attributes().AsRaw())
		for _, sm := range rm.ScopeMetrics().All() {
			for _, m := range sm.Metrics().All() {
				if m.Type() != pmetric.MetricTypeHistogram || !slices.Contains(tierVitalHistograms, m.Name()) {
					continue
				}
				for _, dp := range m.Histogram().DataPoints().All() {
					key := fmt.Sprintf("%s|%s|%v|%d", m.Name(), res, dp.Attributes().AsRaw(), dp.StartTimestamp())
					streams[key] = max(streams[key], dp.Count())
				}
			}
		}
	}
}

// addHistogramWriters notes which collector wrote each vitals histogram: a cumulative
// series needs one writer, and the session tier's collectors count the same series names.
func (v *tierView) addHistogramWriters(md pmetric.Metrics) {
	for _, rm := range md.ResourceMetrics().All() {
		writer, named := rm.Resource().Attributes().Get(rumconv.AttrRUMCollectorInstance)
		for _, sm := range rm.ScopeMetrics().All() {
			for _, m := range sm.Metrics().All() {
				if m.Type() != pmetric.MetricTypeHistogram || !slices.Contains(tierVitalHistograms, m.Name()) {
					continue
				}
				if !named || writer.Str() == "" {
					v.unnamedHistograms += m.Histogram().DataPoints().Len()
					continue
				}
				v.writers[writer.Str()] = true
			}
		}
	}
}

// tierResult compares the sink with the sessions sent.
type tierResult struct {
	sessions int
	// split: sessions with more than one session.start or session.end; unstarted and
	// unended: sessions without either.
	split, unstarted, unended []string
	// wrongPageViews: sessions whose one session.end has other page views than the
	// scenario's documents.
	wrongPageViews []string
	// vitalsSent counts the measurements of acknowledged requests; vitalsMissing and
	// vitalsDuplicated those that did not arrive or arrived more than once.
	vitalsSent, vitalsMissing, vitalsDuplicated int
	// unjoined: vitals (of sessions with trace context) without their navigation's trace;
	// unjoinedSessions counts the sessions they belong to by scenario.
	unjoined         []string
	unjoinedSessions map[string]int
	// histogramCount is what the histograms counted.
	histogramCount int64
	// writers and unnamedHistograms: see tierView.
	writers           int
	unnamedHistograms int
}

func compareTier(sessions []*tierSession, v *tierView) tierResult {
	r := tierResult{
		sessions: len(sessions), histogramCount: v.histogramCount, unjoinedSessions: map[string]int{},
		writers: len(v.writers), unnamedHistograms: v.unnamedHistograms,
	}
	for _, s := range sessions {
		seen := v.sessions[s.id]
		if seen == nil {
			seen = &sessionSeen{}
		}
		switch {
		case seen.starts > 1 || seen.ends > 1:
			r.split = append(r.split, fmt.Sprintf("%s (%s: %d starts, %d ends %v)", s.id, s.scenario.Name, seen.starts, seen.ends, seen.endReasons))
		case seen.starts == 0:
			r.unstarted = append(r.unstarted, s.id)
		case seen.ends == 0:
			r.unended = append(r.unended, s.id)
		case seen.pageViews[0] != int64(s.scenario.PageViews):
			r.wrongPageViews = append(r.wrongPageViews, fmt.Sprintf("%s (%s: %d page views, want %d)", s.id, s.scenario.Name, seen.pageViews[0], s.scenario.PageViews))
		}
		r.vitalsSent += len(s.vitals)
		for _, id := range s.vitals {
			switch n := v.vitalRecords[id]; {
			case n == 0:
				r.vitalsMissing++
			case n > 1:
				r.vitalsDuplicated++
			}
		}
		if s.scenario.Navigations > 0 {
			if missed := unjoinedVitals(s, seen); len(missed) > 0 {
				r.unjoined = append(r.unjoined, missed...)
				r.unjoinedSessions[s.scenario.Name]++
			}
		}
	}
	return r
}

// unjoinedVitals are the session's vitals that do not carry the trace of their page's
// navigation: the one their rum.navigation.id names (Faro), else one of the session's.
func unjoinedVitals(s *tierSession, seen *sessionSeen) []string {
	var out []string
	for _, lr := range seen.vitals {
		id, _ := lr.Attributes().Get("browser.web_vital.id")
		name, _ := lr.Attributes().Get("browser.web_vital.name")
		nav, hasNav := lr.Attributes().Get("rum.navigation.id")
		joined := !lr.TraceID().IsEmpty() && seen.navTraces[lr.TraceID()]
		if hasNav && nav.AsString() != "" {
			want, ok := seen.navigations[nav.AsString()]
			joined = ok && want == lr.TraceID()
		}
		if !joined {
			out = append(out, fmt.Sprintf("%s/%s %s (trace %s)", s.id, id.AsString(), name.AsString(), lr.TraceID()))
		}
	}
	return out
}

// String is the report of one run.
func (r tierResult) String() string {
	var b strings.Builder
	fmt.Fprintf(&b, "%d sessions: %d split, %d without session.start, %d without session.end, %d with wrong page views; "+
		"%d measurements sent, %d missing, %d duplicated, %d not joined to their navigation (sessions by scenario: %v); histograms counted %d, written by %d collectors (%d points without a writer)",
		r.sessions, len(r.split), len(r.unstarted), len(r.unended), len(r.wrongPageViews),
		r.vitalsSent, r.vitalsMissing, r.vitalsDuplicated, len(r.unjoined), r.unjoinedSessions, r.histogramCount,
		r.writers, r.unnamedHistograms)
	for _, l := range []struct {
		what string
		ids  []string
	}{{"split", r.split}, {"unstarted", r.unstarted}, {"unended", r.unended}, {"wrong page views", r.wrongPageViews}, {"not joined", r.unjoined}} {
		if len(l.ids) > 0 {
			sorted := slices.Clone(l.ids)
			sort.Strings(sorted)
			fmt.Fprintf(&b, "\n  %s (first 5 of %d): %s", l.what, len(sorted), strings.Join(sorted[:min(5, len(sorted))], "; "))
		}
	}
	return b.String()
}
