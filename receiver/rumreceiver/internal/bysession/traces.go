// Copyright The otelcol-rum Authors
// SPDX-License-Identifier: Apache-2.0

package bysession // import "github.com/otelcol-rum/otelcol-rum/receiver/rumreceiver/internal/bysession"

import (
	"iter"

	"go.opentelemetry.io/collector/pdata/pcommon"
	"go.opentelemetry.io/collector/pdata/plog"
	"go.opentelemetry.io/collector/pdata/ptrace"
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
type layout[D, R, S, X any] struct {
	newData   func() D
	resources func(D) iter.Seq2[int, R]
	scopes    func(R) iter.Seq2[int, S]
	records   func(S) iter.Seq2[int, X]
	resource  func(R) pcommon.Map
	attrs     func(X) pcommon.Map
	// copyResource appends to d a resource with r's resource and schema, copyScope to r
	// a scope with s's scope and schema, copyRecord x to s.
	copyResource func(r R, d D) R
	copyScope    func(s S, r R) S
	copyRecord   func(x X, s S)
}

var spans = layout[ptrace.Traces, ptrace.ResourceSpans, ptrace.ScopeSpans, ptrace.Span]{
	newData:   ptrace.NewTraces,
	resources: func(d ptrace.Traces) iter.Seq2[int, ptrace.ResourceSpans] { return d.ResourceSpans().All() },
	scopes:    func(r ptrace.ResourceSpans) iter.Seq2[int, ptrace.ScopeSpans] { return r.ScopeSpans().All() },
	records:   func(s ptrace.ScopeSpans) iter.Seq2[int, ptrace.Span] { return s.Spans().All() },
	resource:  func(r ptrace.ResourceSpans) pcommon.Map { return r.Resource().Attributes() },
	attrs:     ptrace.Span.Attributes,
	copyResource: func(r ptrace.ResourceSpans, d ptrace.Traces) ptrace.ResourceSpans {
		out := d.ResourceSpans().AppendEmpty()
		r.Resource().CopyTo(out.Resource())
		out.SetSchemaUrl(r.SchemaUrl())
		return out
	},
	copyScope: func(s ptrace.ScopeSpans, r ptrace.ResourceSpans) ptrace.ScopeSpans {
		out := r.ScopeSpans().AppendEmpty()
		s.Scope().CopyTo(out.Scope())
		out.SetSchemaUrl(s.SchemaUrl())
		return out
	},
	copyRecord: func(x ptrace.Span, s ptrace.ScopeSpans) { x.CopyTo(s.Spans().AppendEmpty()) },
}

var logRecords = layout[plog.Logs, plog.ResourceLogs, plog.ScopeLogs, plog.LogRecord]{
	newData:   plog.NewLogs,
	resources: func(d plog.Logs) iter.Seq2[int, plog.ResourceLogs] { return d.ResourceLogs().All() },
	scopes:    func(r plog.ResourceLogs) iter.Seq2[int, plog.ScopeLogs] { return r.ScopeLogs().All() },
	records:   func(s plog.ScopeLogs) iter.Seq2[int, plog.LogRecord] { return s.LogRecords().All() },
	resource:  func(r plog.ResourceLogs) pcommon.Map { return r.Resource().Attributes() },
	attrs:     plog.LogRecord.Attributes,
	copyResource: func(r plog.ResourceLogs, d plog.Logs) plog.ResourceLogs {
		out := d.ResourceLogs().AppendEmpty()
		r.Resource().CopyTo(out.Resource())
		out.SetSchemaUrl(r.SchemaUrl())
		return out
	},
	copyScope: func(s plog.ScopeLogs, r plog.ResourceLogs) plog.ScopeLogs {
		out := r.ScopeLogs().AppendEmpty()
		s.Scope().CopyTo(out.Scope())
		out.SetSchemaUrl(s.SchemaUrl())
		return out
	},
	copyRecord: func(x plog.LogRecord, s plog.ScopeLogs) { x.CopyTo(s.LogRecords().AppendEmpty()) },
}

func split[D, R, S, X any](l layout[D, R, S, X], data D, resourceKey ResourceKey) []Part[D] {
	var u uniform
	for _, r := range l.resources(data) {
		rk := resourceKey(l.resource(r))
		for _, s := range l.scopes(r) {
			for _, x := range l.records(s) {
				if u.add(recordKey(l.attrs(x), rk)) {
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
	for ri, r := range l.resources(data) {
		rk := resourceKey(l.resource(r))
		for si, s := range l.scopes(r) {
			for _, x := range l.records(s) {
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
