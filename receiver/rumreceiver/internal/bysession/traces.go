// Copyright The otelcol-rum Authors
// SPDX-License-Identifier: Apache-2.0

package bysession // import "github.com/otelcol-rum/otelcol-rum/receiver/rumreceiver/internal/bysession"

import (
	"go.opentelemetry.io/collector/pdata/pcommon"
	"go.opentelemetry.io/collector/pdata/plog"
	"go.opentelemetry.io/collector/pdata/ptrace"

	"github.com/otelcol-rum/otelcol-rum/internal/pdatacopy"
)

// Traces splits td into one part per session, in the order the sessions first appear;
// td itself is the only part when it holds one session.
func Traces(td ptrace.Traces, resourceKey ResourceKey) []Part[ptrace.Traces] {
	return split(spans, td, resourceKey)
}

// Logs splits ld as Traces splits traces.
func Logs(ld plog.Logs, resourceKey ResourceKey) []Part[plog.Logs] {
	return split(logRecords, ld, resourceKey)
}

// layout is how to walk and copy data of three levels, resources, scopes and records:
// the traces and logs of pdata, whose types have no interface in common.
// Each level is read by its length and an index, not by an iterator: an iterator made
// through a function value is allocated, once per level per call.
type layout[D, R, S, X any] struct {
	newData    func() D
	resources  func(D) int
	resourceAt func(D, int) R
	scopes     func(R) int
	scopeAt    func(R, int) S
	records    func(S) int
	recordAt   func(S, int) X
	resource   func(R) pcommon.Map
	attrs      func(X) pcommon.Map
	// copyResource appends to d a resource with r's resource and schema, copyScope to r
	// a scope with s's scope and schema, copyRecord x to s.
	copyResource func(r R, d D) R
	copyScope    func(s S, r R) S
	copyRecord   func(x X, s S)
}

var spans = layout[ptrace.Traces, ptrace.ResourceSpans, ptrace.ScopeSpans, ptrace.Span]{
	newData:    ptrace.NewTraces,
	resources:  func(d ptrace.Traces) int { return d.ResourceSpans().Len() },
	resourceAt: func(d ptrace.Traces, i int) ptrace.ResourceSpans { return d.ResourceSpans().At(i) },
	scopes:     func(r ptrace.ResourceSpans) int { return r.ScopeSpans().Len() },
	scopeAt:    func(r ptrace.ResourceSpans, i int) ptrace.ScopeSpans { return r.ScopeSpans().At(i) },
	records:    func(s ptrace.ScopeSpans) int { return s.Spans().Len() },
	recordAt:   func(s ptrace.ScopeSpans, i int) ptrace.Span { return s.Spans().At(i) },
	resource:   func(r ptrace.ResourceSpans) pcommon.Map { return r.Resource().Attributes() },
	attrs:      ptrace.Span.Attributes,
	copyResource: func(r ptrace.ResourceSpans, d ptrace.Traces) ptrace.ResourceSpans {
		return pdatacopy.ResourceSpans(r, d.ResourceSpans())
	},
	copyScope: func(s ptrace.ScopeSpans, r ptrace.ResourceSpans) ptrace.ScopeSpans {
		return pdatacopy.ScopeSpans(s, r.ScopeSpans())
	},
	copyRecord: func(x ptrace.Span, s ptrace.ScopeSpans) { x.CopyTo(s.Spans().AppendEmpty()) },
}

var logRecords = layout[plog.Logs, plog.ResourceLogs, plog.ScopeLogs, plog.LogRecord]{
	newData:    plog.NewLogs,
	resources:  func(d plog.Logs) int { return d.ResourceLogs().Len() },
	resourceAt: func(d plog.Logs, i int) plog.ResourceLogs { return d.ResourceLogs().At(i) },
	scopes:     func(r plog.ResourceLogs) int { return r.ScopeLogs().Len() },
	scopeAt:    func(r plog.ResourceLogs, i int) plog.ScopeLogs { return r.ScopeLogs().At(i) },
	records:    func(s plog.ScopeLogs) int { return s.LogRecords().Len() },
	recordAt:   func(s plog.ScopeLogs, i int) plog.LogRecord { return s.LogRecords().At(i) },
	resource:   func(r plog.ResourceLogs) pcommon.Map { return r.Resource().Attributes() },
	attrs:      plog.LogRecord.Attributes,
	copyResource: func(r plog.ResourceLogs, d plog.Logs) plog.ResourceLogs {
		return pdatacopy.ResourceLogs(r, d.ResourceLogs())
	},
	copyScope: func(s plog.ScopeLogs, r plog.ResourceLogs) plog.ScopeLogs {
		return pdatacopy.ScopeLogs(s, r.ScopeLogs())
	},
	copyRecord: func(x plog.LogRecord, s plog.ScopeLogs) { x.CopyTo(s.LogRecords().AppendEmpty()) },
}

func split[D, R, S, X any](l layout[D, R, S, X], data D, resourceKey ResourceKey) []Part[D] {
	var u uniform
	for ri := range l.resources(data) {
		r := l.resourceAt(data, ri)
		rk := resourceKey(l.resource(r))
		for si := range l.scopes(r) {
			s := l.scopeAt(r, si)
			for xi := range l.records(s) {
				if u.add(recordKey(l.attrs(l.recordAt(s, xi)), rk)) {
					return splitMixed(l, data, resourceKey)
				}
			}
		}
	}
	return []Part[D]{{Key: u.key, Data: data}}
}

func splitMixed[D, R, S, X any](l layout[D, R, S, X], data D, resourceKey ResourceKey) []Part[D] {
	p := parts[D]{newData: l.newData}
	var d dest[R, S]
	for ri := range l.resources(data) {
		r := l.resourceAt(data, ri)
		rk := resourceKey(l.resource(r))
		for si := range l.scopes(r) {
			s := l.scopeAt(r, si)
			for xi := range l.records(s) {
				x := l.recordAt(s, xi)
				i := p.part(recordKey(l.attrs(x), rk))
				scope := d.at(i, ri, si,
					func() R { return l.copyResource(r, p.out[i].Data) },
					func(dst R) S { return l.copyScope(s, dst) })
				l.copyRecord(x, scope)
			}
		}
	}
	return p.out
}
