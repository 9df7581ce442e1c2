// Copyright The otelcol-rum Authors
// SPDX-License-Identifier: Apache-2.0

package engine // import "github.com/otelcol-rum/otelcol-rum/internal/webvitals/engine"

import (
	"go.opentelemetry.io/collector/pdata/pcommon"
	"go.opentelemetry.io/collector/pdata/ptrace"

	"github.com/otelcol-rum/otelcol-rum/internal/pattrs"
	"github.com/otelcol-rum/otelcol-rum/internal/rumconv"
	"github.com/otelcol-rum/otelcol-rum/internal/webvitals/aggregate"
)

// ConsumeTraces takes what browsers send as spans: page load timings from the OTel
// document-load instrumentation, and web vitals recorded as spans or span events in the
// browser.web_vital attribute form. Web-vital spans and events are annotated with the
// route and rating, documentLoad spans with the route.
func (e *Engine) ConsumeTraces(td ptrace.Traces) {
	now := e.now().UnixNano()
	var batch []aggregate.Measurement
	for _, rs := range td.ResourceSpans().All() {
		base := e.baseDims(rs.Resource().Attributes(), now)
		// Faro's tracing records documentLoad spans too, but Faro reports the same page
		// load as its navigation event (ConsumeLogs): count it once, from the event.
		faro := pattrs.FromFaro(rs.Resource().Attributes())
		loads := map[pcommon.SpanID]ptrace.Span{}
		fetches := map[pcommon.SpanID]ptrace.Span{} // by parent: the documentLoad span
		for _, ss := range rs.ScopeSpans().All() {
			for _, span := range ss.Spans().All() {
				switch span.Name() {
				case rumconv.SpanDocumentLoad:
					if !faro {
						loads[span.SpanID()] = span
					}
					continue
				case rumconv.SpanDocumentFetch:
					fetches[span.ParentSpanID()] = span
					continue
				}
				batch = e.appendSpanVitals(batch, span, base)
			}
		}
		for id, load := range loads {
			fetch, hasFetch := fetches[id]
			batch = e.appendDocumentLoad(batch, load, fetch, hasFetch, base)
		}
	}
	e.addAll(batch, now)
}

// appendSpanVitals reads a vital recorded as the span itself or as its span events.
func (e *Engine) appendSpanVitals(batch []aggregate.Measurement, span ptrace.Span, base aggregate.Dims) []aggregate.Measurement {
	if _, ok := span.Attributes().Get(rumconv.AttrWebVitalName); ok {
		route := e.annotate(span.Attributes(), base.Service, pattrs.PageURL(span.Attributes()))
		if m, ok := vitalFromAttributes(span.Attributes(), base, route); ok {
			m.Time, m.TraceID, m.SpanID = int64(span.EndTimestamp()), span.TraceID(), span.SpanID()
			batch = append(batch, m)
		}
	}
	for _, ev := range span.Events().All() {
		if ev.Name() != rumconv.EventWebVital {
			continue
		}
		// The event's page is its own url.full or, failing that, the span's.
		page := pattrs.PageURL(ev.Attributes())
		if page == "" {
			page = pattrs.PageURL(span.Attributes())
		}
		route := e.annotate(ev.Attributes(), base.Service, page)
		if m, ok := vitalFromAttributes(ev.Attributes(), base, route); ok {
			m.Time, m.TraceID, m.SpanID = int64(ev.Timestamp()), span.TraceID(), span.SpanID()
			batch = append(batch, m)
		}
	}
	return batch
}

// A page load phase measured between two navigation timing milestones, recorded as span
// events by the document-load instrumentation. The phases mean what Faro's navigation
// event means by the same names, so both SDKs fill the same histograms.
type phase struct {
	metric     string
	start, end string
	onFetch    bool // the milestones are on documentFetch, not documentLoad
}

var documentLoadPhases = []phase{
	{metric: rumconv.MetricPageLoadDuration, start: rumconv.SpanEventFetchStart, end: rumconv.SpanEventLoadEventEnd},
	{metric: rumconv.MetricPageLoadProcessing, start: rumconv.SpanEventDOMInteractive, end: rumconv.SpanEventDOMComplete},
	{metric: rumconv.MetricPageLoadDNS, start: rumconv.SpanEventDomainLookupStart, end: rumconv.SpanEventDomainLookupEnd, onFetch: true},
	{metric: rumconv.MetricPageLoadConnect, start: rumconv.SpanEventConnectStart, end: rumconv.SpanEventConnectEnd, onFetch: true},
	{metric: rumconv.MetricPageLoadTLS, start: rumconv.SpanEventSecureConnectionStart, end: rumconv.SpanEventConnectEnd, onFetch: true},
	{metric: rumconv.MetricPageLoadTTFB, start: rumconv.SpanEventFetchStart, end: rumconv.SpanEventResponseStart, onFetch: true},
	{metric: rumconv.MetricPageLoadResponse, start: rumconv.SpanEventResponseStart, end: rumconv.SpanEventResponseEnd, onFetch: true},
}

// appendDocumentLoad reads the page load timings of one documentLoad span (and its
// documentFetch child, when it came in the same batch). The documentLoad span is a child
// of the backend span named by <meta name="traceparent">, so that parent is the exemplar's
// link: the backend trace that served the page.
func (e *Engine) appendDocumentLoad(batch []aggregate.Measurement, load, fetch ptrace.Span, hasFetch bool, base aggregate.Dims) []aggregate.Measurement {
	dims := base
	dims.Route = e.annotate(load.Attributes(), base.Service, pattrs.PageURL(load.Attributes()))
	loadEvents := milestones(load)
	fetchEvents := map[string]int64{}
	if hasFetch {
		fetchEvents = milestones(fetch)
	}
	link := load.ParentSpanID()
	if link.IsEmpty() {
		link = load.SpanID()
	}
	id := "dl/" + load.TraceID().String() + load.SpanID().String() + "/"
	for _, p := range documentLoadPhases {
		events := loadEvents
		if p.onFetch {
			events = fetchEvents
		}
		start, okStart := events[p.start]
		end, okEnd := events[p.end]
		// A milestone that did not happen (no TLS on http://) is reported as the time
		// origin, before fetchStart: such a phase did not take place.
		if !okStart || !okEnd || end < start || start < events[rumconv.SpanEventFetchStart] {
			continue
		}
		value := float64(end-start) / 1e6
		if !validDuration(value) {
			continue
		}
		batch = append(batch, aggregate.Measurement{
			Vital: p.metric, Value: value, ID: id + p.metric, Dims: dims,
			Time: int64(load.StartTimestamp()), TraceID: load.TraceID(), SpanID: link,
		})
	}
	return batch
}

// milestones are a span's events by name, in Unix nanoseconds.
func milestones(span ptrace.Span) map[string]int64 {
	out := make(map[string]int64, span.Events().Len())
	for _, ev := range span.Events().All() {
		out[ev.Name()] = int64(ev.Timestamp())
	}
	return out
}
