// Copyright The otelcol-rum Authors
// SPDX-License-Identifier: Apache-2.0

package jserrorsprocessor // import "github.com/otelcol-rum/otelcol-rum/processor/jserrorsprocessor"

import (
	"context"
	"time"

	"go.opentelemetry.io/collector/pdata/pcommon"
	"go.uber.org/zap"

	"github.com/otelcol-rum/otelcol-rum/internal/dimensions"
	"github.com/otelcol-rum/otelcol-rum/internal/pattrs"
	"github.com/otelcol-rum/otelcol-rum/internal/rumconv"
	"github.com/otelcol-rum/otelcol-rum/processor/jserrorsprocessor/internal/errorcount"
)

// webJS is telemetry.sdk.language of browser SDKs (the OTel web SDK's, and what the rum
// receiver writes for Faro and beacons).
const webJS = "webjs"

// origin is what an error takes from its resource.
type origin struct {
	service, environment, release string
	sessionID                     string
	browser                       bool
	// res gives the dimensions, read on the first error of the resource: most resources
	// of a pipeline have none.
	res      pcommon.Map
	dims     dimensions.Values
	dimsRead bool
}

func originOf(res pcommon.Map) origin {
	return origin{
		res:         res,
		service:     pattrs.Str(res, rumconv.AttrServiceName),
		environment: pattrs.Str(res, rumconv.AttrDeploymentEnvironmentName),
		release:     pattrs.Str(res, rumconv.AttrServiceVersion),
		sessionID:   pattrs.Str(res, rumconv.AttrSessionID),
		browser:     pattrs.Str(res, rumconv.AttrTelemetrySDKLanguage) == webJS,
	}
}

// errorRecord is one error in the pipelines: a log record or an exception span event.
type errorRecord struct {
	attrs pcommon.Map
	// exception is set for exceptions, which are read and annotated; other errors (a
	// console.error log) are only counted, grouped by their message.
	exception bool
	message   string // of an error that is not an exception
	page      string
	sessionID string
	traceID   pcommon.TraceID
	spanID    pcommon.SpanID
	time      pcommon.Timestamp
}

// batch is the work on one call of a pipeline: every exception of it shares one time
// budget for source maps, and its errors are counted under one lock at the end.
type batch struct {
	p *jserrorsProcessor
	// parent and deadline make the budget's context, on the first lookup: most batches
	// have no exception, and a context with a deadline costs a timer.
	parent   context.Context
	deadline time.Time
	now      int64 // Unix nanoseconds, for the dimensions' values

	ctx    context.Context
	cancel context.CancelFunc
	errs   []errorcount.Error
	// statuses counts the batch's errors by symbolication, for the self-telemetry.
	statuses map[string]int64
}

func (p *jserrorsProcessor) startBatch(ctx context.Context) *batch {
	return &batch{p: p, parent: ctx, deadline: time.Now().Add(p.timeout), now: p.now().UnixNano()}
}

// budget is the context every lookup of the batch shares: done at the batch's deadline.
func (b *batch) budget() context.Context {
	if b.ctx == nil {
		b.ctx, b.cancel = context.WithDeadline(b.parent, b.deadline)
	}
	return b.ctx
}

// add reads, annotates and queues one error for counting. Errors of data that is not a
// browser's (a backend service's logs in the same pipeline) are left alone: browser
// data says telemetry.sdk.language=webjs or belongs to a session.
func (b *batch) add(rec *errorRecord, o *origin) {
	if rec.sessionID == "" {
		rec.sessionID = o.sessionID
	}
	if !o.browser && rec.sessionID == "" {
		return
	}
	status, group := rumconv.SymbolicationNotAttempted, ""
	if rec.exception {
		if r, ok := b.p.readSafely(b.budget, rec.attrs, o.service, o.release); ok {
			r.write(rec.attrs)
			status, group = r.status, r.group
		} else {
			status = rumconv.SymbolicationUnresolved
		}
	} else {
		group = b.p.grouper.ID("", rec.message, nil)
		rec.attrs.PutStr(rumconv.AttrRUMErrorGroup, group)
	}
	if b.statuses == nil {
		b.statuses = map[string]int64{}
	}
	b.statuses[status]++
	if !o.dimsRead {
		o.dims, o.dimsRead = b.p.dims.Apply(o.service, o.res, b.now), true
	}
	key := errorcount.Key{
		Service: o.service, Environment: o.environment, Version: o.release,
		Group: group, Type: pattrs.Str(rec.attrs, rumconv.AttrExceptionType), Dims: o.dims,
	}
	if rec.page != "" {
		key.Route = b.p.routes.Template(o.service, rec.page)
	}
	b.errs = append(b.errs, errorcount.Error{Key: key, Exemplar: errorcount.Exemplar{
		TraceID: rec.traceID, SpanID: rec.spanID, SessionID: rec.sessionID, Time: rec.time,
	}})
}

// finish counts the batch's errors and reports what it did.
func (b *batch) finish() {
	if b.cancel != nil {
		b.cancel()
	}
	if len(b.errs) == 0 {
		return
	}
	overflowed := b.p.counter.Add(b.errs, b.p.now().UnixNano())
	b.p.telemetry.batch(context.Background(), b.statuses, overflowed)
}

// readSafely is read, with a panic taken for a failed reading: the stack parser and the
// source maps are fed what browsers send, and a bug that such input finds must cost the
// error its symbolication, never the collector or the record.
func (p *jserrorsProcessor) readSafely(budget func() context.Context, attrs pcommon.Map, app, release string) (r reading, ok bool) {
	defer func() {
		if v := recover(); v != nil {
			ok = false
			p.panicLog.Do(func() {
				p.logger.Error("reading an exception failed; it goes on as received (logged once)", zap.Any("panic", v), zap.Stack("stack"))
			})
		}
	}()
	return p.read(budget, attrs, app, release), true
}
