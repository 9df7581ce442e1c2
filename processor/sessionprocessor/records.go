// Copyright The otelcol-rum Authors
// SPDX-License-Identifier: Apache-2.0

package sessionprocessor // import "github.com/otelcol-rum/otelcol-rum/processor/sessionprocessor"

import (
	"context"
	"time"

	"go.opentelemetry.io/collector/pdata/pcommon"
	"go.opentelemetry.io/collector/pdata/plog"
	"go.opentelemetry.io/collector/pdata/pmetric"
	"go.opentelemetry.io/collector/pdata/ptrace"
	"go.opentelemetry.io/collector/processor/processorhelper"

	"github.com/otelcol-rum/otelcol-rum/internal/errorrecord"
	"github.com/otelcol-rum/otelcol-rum/internal/pattrs"
	"github.com/otelcol-rum/otelcol-rum/internal/rumconv"
	"github.com/otelcol-rum/otelcol-rum/processor/sessionprocessor/internal/frustration"
	"github.com/otelcol-rum/otelcol-rum/processor/sessionprocessor/internal/store"
)

// tracker is one batch's access to the store, made while holding the lock; its tally
// collects the session events to send and the counts to record once the lock is released. It lives on the stack of the
// process* call that owns it.
type tracker struct {
	p        *sessionProcessor
	now      int64
	tally    tally
	inferred inferCache
	// signals is the frustration detector's output buffer, reused across the batch.
	signals []frustration.Signal
	// partition is the Kafka data partition of the batch, store.NoPartition for data
	// that did not come through Kafka (or without handover): its sessions are filed
	// under it.
	partition int32
	// ctx is the context of the batch; released are the held vitals it released, to be
	// forwarded once the lock is released.
	ctx      context.Context
	released []*heldVital
	// holdable says whether the vitals of the resource being processed may be held for
	// their page view (join_wait).
	holdable bool
}

// newTracker starts a batch's tracker.
func (p *sessionProcessor) newTracker() tracker {
	return tracker{p: p, partition: store.NoPartition}
}

// locked runs f, the batch's work on the store, under the state's lock. The lock is
// released by a deferred call, so a panic anywhere in f (the clock, pdata, a bug) cannot
// leave it held: net/http recovers a handler's panic, and a lock left held would block
// every later request of every pipeline.
func (t *tracker) locked(f func()) {
	t.p.mu.Lock()
	defer t.p.mu.Unlock()
	t.now = t.p.now().UnixNano()
	f()
	t.tally.views = append(t.tally.views, t.p.store.TakeViewEvents()...)
}

// lockedFrom runs f as locked does, for a batch that may come from a Kafka partition.
// With handover, the partition must be owned first (acquiring it may wait for its
// previous owner); a record below the watermark the previous owner left is skipped
// (skipped=true, f does not run, the caller drops the batch); otherwise its offset
// becomes the partition's watermark under the same lock as its changes.
func (t *tracker) lockedFrom(ctx context.Context, f func()) (skipped bool, err error) {
	h := t.p.handover
	if h == nil {
		t.locked(f)
		return false, nil
	}
	src, fromKafka := sourceOf(ctx)
	if !fromKafka {
		t.locked(f)
		return false, nil
	}
	t.partition = src.partition
	for {
		if err := h.ensureOwned(ctx, t.p, src.partition); err != nil {
			return false, err
		}
		admitted := false
		t.locked(func() {
			pt := h.parts[src.partition]
			if pt == nil || !pt.owned {
				return // handed over since: acquire it again
			}
			admitted = true
			if src.offset >= 0 && src.offset < pt.startFrom(src.topic) {
				skipped = true
				t.tally.skippedRecords++
				return
			}
			f()
			pt.advance(src.topic, src.offset)
		})
		if admitted {
			return skipped, nil
		}
	}
}

// emit sends and counts what happened to sessions during the batch. It is deferred by the process*
// calls, so that when a panic cuts a batch short, the sessions it already started or
// ended still get their events: they have changed in the store, and a retry of the same
// data would not start them again.
func (t *tracker) emit(ctx context.Context) {
	t.p.fwd.push(t.released)
	t.p.emit(ctx, t.tally, time.Unix(0, t.now))
}

// session returns the open session of key, updated with info. It returns nil for data that
// passes untouched (no session, or late data of a session that ended by timeout: late is
// set) and keep=false for data of a session outside the sample.
func (t *tracker) session(key string, assigned bool, info *store.Info) (s store.Session, keep, late bool) {
	if key == "" {
		return store.Session{}, true, false
	}
	out := t.p.store.Touch(key, t.now, assigned)
	t.tally.ended = append(t.tally.ended, out.Ended...)
	if out.Late {
		return store.Session{}, out.LateSampled, true
	}
	s = out.Session
	s.Update(info)
	if t.partition != store.NoPartition {
		s.SetPartition(t.partition)
	}
	if out.Started {
		t.tally.started++
		if s.Sampled() {
			t.tally.sampledStarts = append(t.tally.sampledStarts, startedFrom(s))
		}
	}
	return s, s.Sampled(), false
}

// resource resolves and enriches a resource's session. keep=false drops the resource: the
// caller counts its records with countDropped.
func (t *tracker) resource(ctx context.Context, res pcommon.Map) (resourceSession, bool) {
	rs := t.p.resolveResource(ctx, res)
	s, keep, late := t.session(rs.key, rs.assigned, &rs.info)
	rs.late, rs.session = late, s
	if s.Valid() && keep {
		enrich(res, s, rs.key, rs.has, true)
	}
	return rs, keep
}

// sessionOf returns the session of the resource's own records, opening it again if a
// record of the batch evicted it.
func (t *tracker) sessionOf(rs *resourceSession) store.Session {
	if rs.evicted {
		rs.session, _, _ = t.session(rs.key, rs.assigned, &rs.info)
		rs.evicted, rs.evictedID = false, ""
	}
	return rs.session
}

// ownsID says whether a record's session.id is the id of the resource's session (a
// continuation after max_duration, or an assigned session, has another id than its key).
func (rs *resourceSession) ownsID(id string) bool {
	if rs.evicted {
		return id == rs.evictedID
	}
	return rs.session.Valid() && rs.session.IDIs(id)
}

// noticeEnds clears the resource's session handle if ended, the sessions a record's own
// session ended to make room, include it: its slot in the store may already hold the
// record's session, and a handle to it would count the resource's records there.
func (rs *resourceSession) noticeEnds(ended []store.Ended) {
	for i := range ended {
		if rs.session.Valid() && ended[i].Session.Key == rs.key {
			rs.session, rs.evicted, rs.evictedID = store.Session{}, true, ended[i].Session.ID
		}
	}
}

// countDropped counts the n records of a resource that is dropped whole: all unsampled,
// and late too if the resource's session ended by timeout. The caller drops them.
func (t *tracker) countDropped(rs *resourceSession, n int) {
	t.tally.unsampledRecords += int64(n)
	if rs.late {
		t.tally.lateRecords += int64(n)
	}
}

// record resolves the session of one record of a kept resource: its own session.id if it
// has one that differs from the resource's, otherwise the resource's session. It counts
// the record as late or unsampled, returns no session for a record that passes untouched
// and keep=false for one to drop.
func (t *tracker) record(attrs pcommon.Map, rs *resourceSession) (store.Session, bool) {
	key := pattrs.Str(attrs, rumconv.AttrSessionID)
	if key == "" || key == rs.key || rs.ownsID(key) {
		if rs.late {
			t.tally.lateRecords++
		}
		return t.sessionOf(rs), true
	}
	endedBefore := len(t.tally.ended)
	s, keep, late := t.session(key, false, &rs.info)
	rs.noticeEnds(t.tally.ended[endedBefore:])
	if late {
		t.tally.lateRecords++
	}
	if !keep {
		t.tally.unsampledRecords++
		return store.Session{}, false
	}
	if s.Valid() {
		// Only which attributes the record has counts here; its values were read above.
		var id string
		var info store.Info
		enrich(attrs, s, key, readSessionAttrs(attrs, &id, &info), false)
	}
	return s, true
}

func (p *sessionProcessor) processLogs(ctx context.Context, ld plog.Logs) (plog.Logs, error) {
	t := p.newTracker()
	t.ctx = ctx
	defer t.emit(ctx)
	skipped, err := t.lockedFrom(ctx, func() {
		ld.ResourceLogs().RemoveIf(func(rl plog.ResourceLogs) bool {
			rs, keep := t.resource(ctx, rl.Resource().Attributes())
			t.holdable = t.mayHold(rl.Resource().Attributes())
			if !keep {
				t.countDropped(&rs, countLogRecords(rl))
				return true
			}
			rl.ScopeLogs().RemoveIf(func(sl plog.ScopeLogs) bool {
				// Navigations first: Faro sends a payload's exceptions ahead of its events,
				// and an error thrown while a page loads must find that load's page view,
				// not an earlier visit of the same URL.
				// Telling a navigation apart reads an attribute of records without an event
				// name: once a pass found none, the other records need no second look.
				anyNavigation := false
				for _, navigations := range [2]bool{true, false} {
					sl.LogRecords().RemoveIf(func(lr plog.LogRecord) bool {
						if navigations {
							if !isNavigation(lr) {
								return false
							}
							anyNavigation = true
						} else if anyNavigation && isNavigation(lr) {
							return false
						}
						s, keep := t.record(lr.Attributes(), &rs)
						if s.Valid() && t.observeLog(s, lr, navigations) {
							t.holdLog(s, rl, sl, lr)
							return true
						}
						return !keep
					})
				}
				return sl.LogRecords().Len() == 0
			})
			return rl.ScopeLogs().Len() == 0
		})
	})
	if err != nil {
		return ld, err
	}
	if skipped || ld.ResourceLogs().Len() == 0 {
		return ld, processorhelper.ErrSkipProcessingData
	}
	return ld, nil
}

// observeLog counts what a log record tells about its session: views, errors, user
// actions; links a web vital without trace context to its page view's trace (a soft
// view's own, if it has one); and files vitals, errors and user actions under the view
// they happened in. navigation says whether the record starts a view (isNavigation).
// It reports whether the record is a vital to hold back for its page view (join_wait):
// the caller takes it out of the batch.
func (t *tracker) observeLog(s store.Session, lr plog.LogRecord, navigation bool) (hold bool) {
	attrs := lr.Attributes()
	own := pattrs.Str(attrs, rumconv.AttrURLFull)
	url := own
	at := recordTime(lr)
	if navigation {
		if pv, explicit, ok := readNavigation(lr, url); ok {
			if explicit {
				s.MarkExplicitSoftNavigations()
			}
			t.navigate(s, pv)
		}
		s.Observe(at)
		return false
	}
	// A record without a time cannot be placed among the views.
	if at != 0 && url != "" && t.p.cfg.InferSoftNavigations && !s.HasExplicitSoftNavigations() {
		t.inferNavigation(s, url, at)
	}
	s.Observe(at)
	// linked: the record got its hard navigation's trace here, which its soft view's
	// own trace replaces.
	fileUnder, loadVital, linked := false, false, false
	switch lr.EventName() {
	case rumconv.EventFaroUserAction:
		s.AddUserAction()
		fileUnder = true
	case rumconv.EventWebVital:
		fileUnder, loadVital = true, isLoadVital(attrs)
		// The OTel web SDK's vitals carry neither trace context nor the page: both come
		// from the page view they belong to.
		if (lr.TraceID().IsEmpty() || url == "") && t.holds(s, pattrs.Str(attrs, rumconv.AttrRUMNavigationID), url) {
			s.Update(&store.Info{URL: own})
			return true
		}
		url, linked = t.joinVitalLog(s, lr, url)
	}
	// One definition of an error for session.errors and the jserrors processor's
	// browser.errors, so that the summary and the counter agree.
	isError := errorrecord.IsLog(lr)
	if isError {
		s.AddError()
		if lr.TraceID().IsEmpty() {
			linked = linkErrorToPage(s, lr, url)
		}
	}
	if (fileUnder || isError) && at != 0 {
		v := t.fileUnderView(s, attrs, own, url, at, loadVital)
		if linked {
			relinkToView(v, lr)
		}
		isAction := lr.EventName() == rumconv.EventFaroUserAction
		switch {
		case !v.Valid():
		case isError:
			v.AddError()
		case isAction:
			v.AddAction()
		}
		// The frustration detector takes clicks, actions and errors at their own times.
		if isError {
			t.observeError(s, at, url, pattrs.Str(attrs, rumconv.AttrFaroActionName))
		} else if isAction {
			t.observeFaroAction(s, lr, at, url)
		}
	}
	s.Update(&store.Info{URL: own})
	return false
}

// joinVitalLog links a web-vital log record without trace context or page (url is its
// url.full) to its page view's trace and page. It returns the vital's page and whether
// it took the page view's trace.
func (t *tracker) joinVitalLog(s store.Session, lr plog.LogRecord, url string) (string, bool) {
	if !lr.TraceID().IsEmpty() && url != "" {
		return url, false
	}
	attrs := lr.Attributes()
	pv, ok := t.join(s, pattrs.Str(attrs, rumconv.AttrRUMNavigationID), url)
	if !ok {
		return url, false
	}
	linked := false
	if lr.TraceID().IsEmpty() {
		lr.SetTraceID(pv.TraceID)
		lr.SetSpanID(pv.SpanID)
		linked = true
	}
	return pageOf(attrs, url, pv), linked
}

// linkErrorToPage gives an error without trace context the trace of its page view, as a
// vital gets it: Faro reports uncaught errors so (no span is active when window.onerror
// runs), and with the link the jserrors processor's exemplar of the error leads to the
// backend trace of the page it happened on. Only a page view of the error's own url.full
// is taken, never the latest page view of another URL: an error thrown while a new page
// loads, before its navigation event arrives, stays without a trace rather than get the
// previous page's. It reports whether it linked the error.
func linkErrorToPage(s store.Session, lr plog.LogRecord, url string) bool {
	if url == "" {
		return false
	}
	pv, ok := s.FindPage("", url)
	if !ok || pv.TraceID == [16]byte{} || !pv.URLIs(url) {
		return false
	}
	lr.SetTraceID(pv.TraceID)
	lr.SetSpanID(pv.SpanID)
	return true
}

// pageOf gives a vital without a page (url is its url.full) the page of its page view, so
// that it is counted under that page's route. It returns the vital's page.
func pageOf(attrs pcommon.Map, url string, pv store.Page) string {
	if url != "" {
		return url
	}
	url = pv.URL()
	pattrs.PutNonEmpty(attrs, rumconv.AttrURLFull, url)
	return url
}

// join finds the page view a vital belongs to and counts the outcome.
func (t *tracker) join(s store.Session, navigationID, url string) (store.Page, bool) {
	pv, ok := s.FindPage(navigationID, url)
	if ok && pv.TraceID != [16]byte{} {
		t.tally.joinsMade++
		return pv, true
	}
	t.tally.joinsMissed++
	return pv, false
}

func (p *sessionProcessor) processTraces(ctx context.Context, td ptrace.Traces) (ptrace.Traces, error) {
	t := p.newTracker()
	t.ctx = ctx
	defer t.emit(ctx)
	skipped, err := t.lockedFrom(ctx, func() {
		td.ResourceSpans().RemoveIf(func(rsp ptrace.ResourceSpans) bool {
			res := rsp.Resource().Attributes()
			rs, keep := t.resource(ctx, res)
			if !keep {
				t.countDropped(&rs, countSpans(rsp))
				return true
			}
			rsp.ScopeSpans().RemoveIf(func(ss ptrace.ScopeSpans) bool {
				ss.Spans().RemoveIf(func(span ptrace.Span) bool {
					s, keep := t.record(span.Attributes(), &rs)
					if s.Valid() {
						t.observeSpan(s, span, res, ss.Scope().Name())
					}
					return !keep
				})
				return ss.Spans().Len() == 0
			})
			return rsp.ScopeSpans().Len() == 0
		})
	})
	if err != nil {
		return td, err
	}
	if skipped || td.ResourceSpans().Len() == 0 {
		return td, processorhelper.ErrSkipProcessingData
	}
	return td, nil
}

// observeSpan counts the span and its exception events (the OTel web SDK records
// exceptions on spans, with span.recordException) and, for the OTel web SDK, takes the
// documentLoad span as the page view: it is a child of the backend span named by
// <meta name="traceparent">, which is what a vital of that page links to. Faro reports
// page views as navigation events instead, so its documentLoad spans (if any) are not
// counted twice; whether the data comes from Faro is looked up in its resource only for a
// documentLoad span.
func (t *tracker) observeSpan(s store.Session, span ptrace.Span, res pcommon.Map, scope string) {
	s.AddSpan()
	adoptRequestTrace(s, span)
	for _, ev := range span.Events().All() {
		if errorrecord.IsSpanEvent(ev) {
			s.AddError()
			// The error counts in the view it happened in (the span is not changed: its
			// url.full is the request's).
			if v := s.ViewAt(int64(ev.Timestamp()), false); v.Valid() && ev.Timestamp() != 0 {
				v.AddError()
			}
			if ev.Timestamp() != 0 {
				t.observeError(s, int64(ev.Timestamp()), "", "")
			}
		}
	}
	if target, ok := userInteractionClick(scope, span); ok {
		t.observeClickSpan(s, span, target)
	}
	if span.Name() != rumconv.SpanDocumentLoad || pattrs.FromFaro(res) {
		return
	}
	attrs := span.Attributes()
	url := pattrs.Str(attrs, rumconv.AttrURLFull)
	if url == "" {
		url = pattrs.Str(attrs, rumconv.AttrHTTPURL)
	}
	spanID := span.ParentSpanID()
	if spanID.IsEmpty() {
		spanID = span.SpanID()
	}
	start := int64(span.StartTimestamp())
	t.navigate(s, store.PageView{URL: url, TraceID: span.TraceID(), SpanID: spanID, Start: start})
	s.Observe(start)
}

func (p *sessionProcessor) processMetrics(ctx context.Context, md pmetric.Metrics) (pmetric.Metrics, error) {
	t := p.newTracker()
	t.ctx = ctx
	defer t.emit(ctx)
	skipped, err := t.lockedFrom(ctx, func() {
		md.ResourceMetrics().RemoveIf(func(rm pmetric.ResourceMetrics) bool {
			rs, keep := t.resource(ctx, rm.Resource().Attributes())
			t.holdable = t.mayHold(rm.Resource().Attributes())
			if !keep {
				t.countDropped(&rs, countDataPoints(rm))
				return true
			}
			rm.ScopeMetrics().RemoveIf(func(sm pmetric.ScopeMetrics) bool {
				sm.Metrics().RemoveIf(func(m pmetric.Metric) bool {
					return t.metricPoints(rm, sm, m, &rs)
				})
				return sm.Metrics().Len() == 0
			})
			return rm.ScopeMetrics().Len() == 0
		})
	})
	if err != nil {
		return md, err
	}
	if skipped || md.ResourceMetrics().Len() == 0 {
		return md, processorhelper.ErrSkipProcessingData
	}
	return md, nil
}

// metricPoints handles the points of one metric and reports whether none is left. Only
// gauges and sums carry per-measurement points; other kinds follow their resource.
func (t *tracker) metricPoints(rm pmetric.ResourceMetrics, sm pmetric.ScopeMetrics, m pmetric.Metric, rs *resourceSession) bool {
	var points pmetric.NumberDataPointSlice
	switch m.Type() {
	case pmetric.MetricTypeGauge:
		points = m.Gauge().DataPoints()
	case pmetric.MetricTypeSum:
		points = m.Sum().DataPoints()
	default:
		return false
	}
	points.RemoveIf(func(dp pmetric.NumberDataPoint) bool {
		s, keep := t.record(dp.Attributes(), rs)
		if s.Valid() && t.linkVitalPoint(s, dp) {
			t.holdPoint(s, rm, sm, m, dp)
			return true
		}
		return !keep
	})
	return points.Len() == 0
}

// linkVitalPoint gives a web-vital measurement point without trace context the trace of
// its page view (of its soft view, if that has one) as an exemplar, the link that survives aggregation into histograms, and
// files the point under the view it was measured in. It reports whether the point is
// to be held back for its page view (join_wait): the caller takes it out of the batch.
func (t *tracker) linkVitalPoint(s store.Session, dp pmetric.NumberDataPoint) (hold bool) {
	attrs := dp.Attributes()
	if _, isVital := attrs.Get(rumconv.AttrWebVitalName); !isVital {
		return false
	}
	s.Observe(int64(dp.Timestamp()))
	url := pattrs.Str(attrs, rumconv.AttrURLFull)
	if (url == "" || dp.Exemplars().Len() == 0) && t.holds(s, pattrs.Str(attrs, rumconv.AttrRUMNavigationID), url) {
		return true
	}
	t.joinPoint(s, dp)
	return false
}

// joinPoint does linkVitalPoint's work once the point is not held (any more).
func (t *tracker) joinPoint(s store.Session, dp pmetric.NumberDataPoint) {
	attrs := dp.Attributes()
	url := pattrs.Str(attrs, rumconv.AttrURLFull)
	hasExemplar := dp.Exemplars().Len() > 0
	at := int64(dp.Timestamp())
	if url != "" && hasExemplar {
		t.fileUnderView(s, attrs, url, url, at, isLoadVital(attrs))
		return
	}
	pv, ok := t.join(s, pattrs.Str(attrs, rumconv.AttrRUMNavigationID), url)
	if !ok {
		t.fileUnderView(s, attrs, url, url, at, isLoadVital(attrs))
		return
	}
	page := pageOf(attrs, url, pv)
	v := t.fileUnderView(s, attrs, url, page, at, isLoadVital(attrs))
	if hasExemplar {
		return
	}
	traceID, spanID := traceForView(v, pv)
	ex := dp.Exemplars().AppendEmpty()
	ex.SetTimestamp(dp.Timestamp())
	ex.SetTraceID(traceID)
	ex.SetSpanID(spanID)
	if dp.ValueType() == pmetric.NumberDataPointValueTypeInt {
		ex.SetIntValue(dp.IntValue())
	} else {
		ex.SetDoubleValue(dp.DoubleValue())
	}
}

func countLogRecords(rl plog.ResourceLogs) int {
	n := 0
	for _, sl := range rl.ScopeLogs().All() {
		n += sl.LogRecords().Len()
	}
	return n
}

func countSpans(rs ptrace.ResourceSpans) int {
	n := 0
	for _, ss := range rs.ScopeSpans().All() {
		n += ss.Spans().Len()
	}
	return n
}

func countDataPoints(rm pmetric.ResourceMetrics) int {
	n := 0
	for _, sm := range rm.ScopeMetrics().All() {
		for _, m := range sm.Metrics().All() {
			switch m.Type() {
			case pmetric.MetricTypeGauge:
				n += m.Gauge().DataPoints().Len()
			case pmetric.MetricTypeSum:
				n += m.Sum().DataPoints().Len()
			case pmetric.MetricTypeHistogram:
				n += m.Histogram().DataPoints().Len()
			case pmetric.MetricTypeExponentialHistogram:
				n += m.ExponentialHistogram().DataPoints().Len()
			case pmetric.MetricTypeSummary:
				n += m.Summary().DataPoints().Len()
			}
		}
	}
	return n
}
