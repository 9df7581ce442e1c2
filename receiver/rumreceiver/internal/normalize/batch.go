// Copyright The otelcol-rum Authors
// SPDX-License-Identifier: Apache-2.0

package normalize // import "github.com/otelcol-rum/otelcol-rum/receiver/rumreceiver/internal/normalize"

import (
	"fmt"

	"go.opentelemetry.io/collector/pdata/pcommon"
	"go.opentelemetry.io/collector/pdata/plog"
	"go.opentelemetry.io/collector/pdata/pmetric"
	"go.opentelemetry.io/collector/pdata/ptrace"

	"github.com/otelcol-rum/otelcol-rum/internal/rumconv"
	"github.com/otelcol-rum/otelcol-rum/receiver/rumreceiver/internal/faro"
	"github.com/otelcol-rum/otelcol-rum/receiver/rumreceiver/internal/metadata"
)

// Result is the normalized data of one request.
type Result struct {
	Traces  ptrace.Traces
	Logs    plog.Logs
	Metrics pmetric.Metrics
	// Rejected has one line per item that was left out, saying why.
	Rejected []string
	// Corrected counts records whose future client timestamp was replaced.
	Corrected int
}

// NewResult returns a Result whose three signals are empty but usable.
func NewResult() Result {
	return Result{Traces: ptrace.NewTraces(), Logs: plog.NewLogs(), Metrics: pmetric.NewMetrics()}
}

// batch accumulates the records of one request. A request comes from one app, session
// and browser, so everything it produces shares one resource.
type batch struct {
	src     *Source
	version string
	pageURL string
	res     Result
	records plog.LogRecordSlice
	// vitals is made by the first vital (addVital), as in FromOTLPLogs: most Faro
	// requests carry none, and each would otherwise copy the whole resource into metrics
	// that finish then discards.
	vitals vitalMetrics
}

func newBatch(src *Source, version string, fillResource func(pcommon.Map)) *batch {
	b := &batch{src: src, version: version, res: NewResult()}
	rl := b.res.Logs.ResourceLogs().AppendEmpty()
	fillResource(rl.Resource().Attributes())
	sl := rl.ScopeLogs().AppendEmpty()
	sl.Scope().SetName(metadata.ScopeName)
	sl.Scope().SetVersion(version)
	b.records = sl.LogRecords()
	return b
}

// addVital adds the metric point of a vital whose record is lr. A batch has one resource,
// so its metrics have a resource exactly when a vital was added before.
func (b *batch) addVital(v *Vital, lr plog.LogRecord) {
	if b.res.Metrics.ResourceMetrics().Len() == 0 {
		b.vitals = newResourceVitals(b.res.Metrics, b.res.Logs.ResourceLogs().At(0).Resource(), b.version)
	}
	b.vitals.add(v, lr)
}

// header is what every item has before its own fields: a time and maybe a trace context.
type header struct {
	ts        pcommon.Timestamp
	original  string // the client timestamp, kept when it had to be corrected
	corrected bool
	traceID   pcommon.TraceID
	spanID    pcommon.SpanID
}

// newHeader applies the clock-skew rule to an item's validated time and trace context.
func (b *batch) newHeader(raw string, p faro.Parsed) header {
	h := header{traceID: p.TraceID, spanID: p.SpanID}
	h.ts, h.corrected = b.src.itemTime(p.Time)
	if h.corrected {
		h.original = raw
	}
	return h
}

// receivedHeader is the header of an item that has no time of its own.
func (b *batch) receivedHeader() header {
	return header{ts: pcommon.NewTimestampFromTime(b.src.Received)}
}

func (b *batch) reject(item string, err error) {
	b.res.Rejected = append(b.res.Rejected, fmt.Sprintf("%s: %v", item, err))
}

// appendRecord adds a log record with the item's times, trace context and page.
func (b *batch) appendRecord(h header, eventName string) plog.LogRecord {
	return b.appendSizedRecord(h, eventName, 0)
}

// appendSizedRecord is appendRecord for a record that gets at most attrs attributes of
// its own besides, so that its attribute map is allocated once at its final size: a map
// grown by doubling ends up with room for up to twice its attributes, 40 bytes each.
func (b *batch) appendSizedRecord(h header, eventName string, attrs int) plog.LogRecord {
	lr := b.records.AppendEmpty()
	lr.SetTimestamp(h.ts)
	lr.SetObservedTimestamp(pcommon.NewTimestampFromTime(b.src.Received))
	lr.SetTraceID(h.traceID)
	lr.SetSpanID(h.spanID)
	if eventName != "" {
		lr.SetEventName(eventName)
	}
	m := lr.Attributes()
	if b.pageURL != "" {
		attrs++
	}
	if h.corrected {
		attrs += 2
	}
	m.EnsureCapacity(attrs)
	if b.pageURL != "" {
		m.PutStr(rumconv.AttrURLFull, b.pageURL)
	}
	if h.corrected {
		b.res.Corrected++
		m.PutBool(rumconv.AttrRUMTimestampCorrected, true)
		m.PutStr(rumconv.AttrRUMTimestampOriginal, h.original)
	}
	return lr
}

// finish drops empty logs so the receiver does not forward an empty batch; metrics are
// empty already unless a vital was added.
func (b *batch) finish() Result {
	if b.records.Len() == 0 {
		b.res.Logs = plog.NewLogs()
	}
	return b.res
}
