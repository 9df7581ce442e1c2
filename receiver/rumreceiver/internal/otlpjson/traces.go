// Copyright The otelcol-rum Authors
// SPDX-License-Identifier: Apache-2.0

package otlpjson // import "github.com/otelcol-rum/otelcol-rum/receiver/rumreceiver/internal/otlpjson"

import (
	"encoding/hex"

	"go.opentelemetry.io/collector/pdata/pcommon"
	"go.opentelemetry.io/collector/pdata/ptrace"

	jf "github.com/otelcol-rum/otelcol-rum/receiver/rumreceiver/internal/jsonfast"
)

// The key lists name every key pdata reads for each message, in both of its spellings:
// a key pdata reads and this reader does not (the snake_case spelling, entity references,
// deprecated scope spans) must decline, never be skipped, or the two would decode
// differently. Keys pdata does not know are skipped, as pdata skips them, except the
// empty key, which ends pdata's reading of its object there: every list has it, to
// decline.
var (
	keysRequest       = []string{"resourceSpans", "resource_spans", ""}
	keysResourceSpans = []string{"resource", "scopeSpans", "schemaUrl", "scope_spans", "schema_url", "deprecatedScopeSpans", "deprecated_scope_spans", ""}
	keysResource      = []string{"attributes", "droppedAttributesCount", "dropped_attributes_count", "entityRefs", "entity_refs", ""}
	keysScopeSpans    = []string{"scope", "spans", "schemaUrl", "schema_url", ""}
	keysScope         = []string{"name", "version", "attributes", "droppedAttributesCount", "dropped_attributes_count", ""}
	keysSpan          = []string{
		"traceId", "spanId", "traceState", "parentSpanId", "flags", "name", "kind",
		"startTimeUnixNano", "endTimeUnixNano", "attributes", "droppedAttributesCount",
		"events", "droppedEventsCount", "links", "droppedLinksCount", "status",
		"trace_id", "span_id", "trace_state", "parent_span_id", "start_time_unix_nano",
		"end_time_unix_nano", "dropped_attributes_count", "dropped_events_count", "dropped_links_count", "",
	}
	keysEvent  = []string{"timeUnixNano", "name", "attributes", "droppedAttributesCount", "time_unix_nano", "dropped_attributes_count", ""}
	keysLink   = []string{"traceId", "spanId", "traceState", "attributes", "droppedAttributesCount", "flags", "trace_id", "span_id", "trace_state", "dropped_attributes_count", ""}
	keysStatus = []string{"message", "code", ""}
)

// ReadTraces reads an OTLP/JSON traces request as ptrace.JSONUnmarshaler does; ok is
// false when it declines, and the caller then unmarshals with pdata.
func ReadTraces(raw []byte) (td ptrace.Traces, ok bool) {
	it := jf.Borrow(raw)
	defer jf.Return(it)
	td = Read(it, 0)
	if !jf.Done(it) {
		return ptrace.Traces{}, false
	}
	return td, true
}

// Read reads the OTLP/JSON traces request that is the iterator's next value, for a
// decoder that has them inside its own body (Faro's); it declines on the iterator
// (jsonfast.Failed) whatever ReadTraces declines. pdata reads a value alone, so what
// follows the value is the caller's to check. Each resource's attribute map gets room
// for resourceRoom more attributes, for a caller that adds its own: a map that must grow
// is allocated twice.
func Read(it *jf.Iter, resourceRoom int) ptrace.Traces {
	if jf.Kind(it) != jf.ObjectValue {
		jf.Decline(it)
		return ptrace.Traces{}
	}
	td := ptrace.NewTraces()
	jf.Object(it, keysRequest, func(key string) {
		if key != "resourceSpans" {
			jf.Decline(it)
			return
		}
		list := td.ResourceSpans()
		jf.Array(it, func() { readResourceSpans(it, list.AppendEmpty(), resourceRoom) })
	})
	return td
}

func readResourceSpans(it *jf.Iter, rs ptrace.ResourceSpans, room int) {
	jf.Object(it, keysResourceSpans, func(key string) {
		switch key {
		case "resource":
			readResource(it, rs.Resource(), room)
		case "scopeSpans":
			list := rs.ScopeSpans()
			jf.Array(it, func() { readScopeSpans(it, list.AppendEmpty()) })
		case "schemaUrl":
			rs.SetSchemaUrl(text(it))
		default:
			jf.Decline(it)
		}
	})
}

func readResource(it *jf.Iter, r pcommon.Resource, room int) {
	jf.Object(it, keysResource, func(key string) {
		switch key {
		case "attributes":
			readAttributes(it, r.Attributes(), room)
		case "droppedAttributesCount":
			r.SetDroppedAttributesCount(uint32Value(it))
		default:
			jf.Decline(it)
		}
	})
}

func readScopeSpans(it *jf.Iter, ss ptrace.ScopeSpans) {
	jf.Object(it, keysScopeSpans, func(key string) {
		switch key {
		case "scope":
			readScope(it, ss.Scope())
		case "spans":
			list := ss.Spans()
			jf.Array(it, func() { readSpan(it, list.AppendEmpty()) })
		case "schemaUrl":
			ss.SetSchemaUrl(text(it))
		default:
			jf.Decline(it)
		}
	})
}

func readScope(it *jf.Iter, s pcommon.InstrumentationScope) {
	jf.Object(it, keysScope, func(key string) {
		switch key {
		case "name":
			s.SetName(text(it))
		case "version":
			s.SetVersion(text(it))
		case "attributes":
			readAttributes(it, s.Attributes(), 0)
		case "droppedAttributesCount":
			s.SetDroppedAttributesCount(uint32Value(it))
		default:
			jf.Decline(it)
		}
	})
}

func readSpan(it *jf.Iter, s ptrace.Span) {
	jf.Object(it, keysSpan, func(key string) {
		switch key {
		case "traceId":
			s.SetTraceID(traceID(it))
		case "spanId":
			s.SetSpanID(spanID(it))
		case "parentSpanId":
			s.SetParentSpanID(spanID(it))
		case "traceState":
			s.TraceState().FromRaw(text(it))
		case "flags":
			s.SetFlags(uint32Value(it))
		case "name":
			s.SetName(text(it))
		case "kind":
			s.SetKind(ptrace.SpanKind(enumValue(it)))
		case "startTimeUnixNano":
			s.SetStartTimestamp(pcommon.Timestamp(uint64Value(it)))
		case "endTimeUnixNano":
			s.SetEndTimestamp(pcommon.Timestamp(uint64Value(it)))
		case "attributes":
			readAttributes(it, s.Attributes(), 0)
		case "droppedAttributesCount":
			s.SetDroppedAttributesCount(uint32Value(it))
		case "events":
			list := s.Events()
			jf.Array(it, func() { readEvent(it, list.AppendEmpty()) })
		case "droppedEventsCount":
			s.SetDroppedEventsCount(uint32Value(it))
		case "links":
			list := s.Links()
			jf.Array(it, func() { readLink(it, list.AppendEmpty()) })
		case "droppedLinksCount":
			s.SetDroppedLinksCount(uint32Value(it))
		case "status":
			readStatus(it, s.Status())
		default:
			jf.Decline(it)
		}
	})
}

func readEvent(it *jf.Iter, e ptrace.SpanEvent) {
	jf.Object(it, keysEvent, func(key string) {
		switch key {
		case "timeUnixNano":
			e.SetTimestamp(pcommon.Timestamp(uint64Value(it)))
		case "name":
			e.SetName(text(it))
		case "attributes":
			readAttributes(it, e.Attributes(), 0)
		case "droppedAttributesCount":
			e.SetDroppedAttributesCount(uint32Value(it))
		default:
			jf.Decline(it)
		}
	})
}

func readLink(it *jf.Iter, l ptrace.SpanLink) {
	jf.Object(it, keysLink, func(key string) {
		switch key {
		case "traceId":
			l.SetTraceID(traceID(it))
		case "spanId":
			l.SetSpanID(spanID(it))
		case "traceState":
			l.TraceState().FromRaw(text(it))
		case "attributes":
			readAttributes(it, l.Attributes(), 0)
		case "droppedAttributesCount":
			l.SetDroppedAttributesCount(uint32Value(it))
		case "flags":
			l.SetFlags(uint32Value(it))
		default:
			jf.Decline(it)
		}
	})
}

func readStatus(it *jf.Iter, s ptrace.Status) {
	jf.Object(it, keysStatus, func(key string) {
		switch key {
		case "message":
			s.SetMessage(text(it))
		case "code":
			s.SetCode(ptrace.StatusCode(enumValue(it)))
		default:
			jf.Decline(it)
		}
	})
}

// traceID and spanID read an id in hex; see readID.
func traceID(it *jf.Iter) (id pcommon.TraceID) {
	readID(it, id[:])
	return id
}

func spanID(it *jf.Iter) (id pcommon.SpanID) {
	readID(it, id[:])
	return id
}

// readID reads a hex id into dst as pdata does: "" is the empty id, anything else must
// be exactly the id's length in hex. pdata takes the string's bytes without unescaping
// them, so an escaped id declines.
func readID(it *jf.Iter, dst []byte) {
	src := jf.PlainString(it)
	if len(src) == 0 {
		return
	}
	if len(src) != 2*len(dst) {
		jf.Decline(it)
		return
	}
	if _, err := hex.Decode(dst, src); err != nil {
		jf.Decline(it)
	}
}
