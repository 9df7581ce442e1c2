// Copyright The otelcol-rum Authors
// SPDX-License-Identifier: Apache-2.0

package normalize // import "github.com/otelcol-rum/otelcol-rum/receiver/rumreceiver/internal/normalize"

import (
	"fmt"
	"slices"
	"strconv"
	"strings"

	"go.opentelemetry.io/collector/pdata/pcommon"
	"go.opentelemetry.io/collector/pdata/plog"

	"github.com/otelcol-rum/otelcol-rum/internal/pattrs"
	"github.com/otelcol-rum/otelcol-rum/internal/rumconv"
	"github.com/otelcol-rum/otelcol-rum/receiver/rumreceiver/internal/faro"
)

// FromFaro normalizes a decoded Faro payload.
func FromFaro(p *faro.Payload, src *Source, version string) Result {
	b := newBatch(src, version, src.faroResource(&p.Meta))
	b.res.Rejected = append(b.res.Rejected, p.Rejected...)
	b.pageURL = p.Meta.Page.URL
	b.records.EnsureCapacity(len(p.Logs) + len(p.Exceptions) + len(p.Events) + len(p.Measurements))
	for i := range p.Logs {
		b.faroLog(&p.Logs[i])
	}
	for i := range p.Exceptions {
		b.faroException(&p.Exceptions[i])
	}
	for i := range p.Events {
		b.faroEvent(&p.Events[i])
	}
	for i := range p.Measurements {
		b.faroMeasurement(&p.Measurements[i])
	}
	if !p.Traces.Empty() {
		b.faroTraces(&p.Traces)
	}
	return b.finish()
}

// Values Faro gives a meaning of its own.
const (
	faroMeasurementWebVital = "web-vitals" // the type of a web-vitals measurement
	faroUnknown             = "unknown"    // the placeholder for an id Faro does not know yet
	faroAnonymousFunction   = "?"          // the function name of an anonymous frame
)

// The most attributes the receiver adds next to an item's own, so that a record's map is
// sized once: an action's, an event's domain and navigation id, an exception's type,
// message and stack, a measurement's type.
const (
	faroActionAttrs      = 3
	faroEventAttrs       = 2
	faroExceptionAttrs   = 3
	faroMeasurementAttrs = 1
)

// actionAttrs is how many attributes putAction may add for a.
func actionAttrs(a *faro.Action) int {
	if a == nil {
		return 0
	}
	return faroActionAttrs
}

// measurementValuesOnStack covers the values of a measurement (a vital, its delta and
// its attribution); more spill to the heap.
const measurementValuesOnStack = 16

// faroSeverities maps Faro's console-style levels to OpenTelemetry severities.
var faroSeverities = map[string]plog.SeverityNumber{
	"trace": plog.SeverityNumberTrace,
	"debug": plog.SeverityNumberDebug,
	"info":  plog.SeverityNumberInfo,
	"log":   plog.SeverityNumberInfo,
	"warn":  plog.SeverityNumberWarn,
	"error": plog.SeverityNumberError,
}

func (b *batch) faroLog(l *faro.Log) {
	lr := b.appendSizedRecord(b.newHeader(l.Timestamp, l.Parsed), "", len(l.Context)+actionAttrs(l.Action))
	level := strings.ToLower(l.Level)
	if level == "" {
		level = "info"
	}
	sev, known := faroSeverities[level]
	if !known {
		sev = plog.SeverityNumberInfo
	}
	lr.SetSeverityNumber(sev)
	lr.SetSeverityText(level)
	lr.Body().SetStr(l.Message)
	putFaroAttrs(lr.Attributes(), l.Context)
	putAction(lr.Attributes(), l.Action)
}

func (b *batch) faroException(e *faro.Exception) {
	lr := b.appendSizedRecord(b.newHeader(e.Timestamp, e.Parsed), rumconv.EventException, len(e.Context)+faroExceptionAttrs+actionAttrs(e.Action))
	lr.SetSeverityNumber(plog.SeverityNumberError)
	lr.SetSeverityText("error")
	attrs := lr.Attributes()
	pattrs.PutNonEmpty(attrs, rumconv.AttrExceptionType, e.Type)
	pattrs.PutNonEmpty(attrs, rumconv.AttrExceptionMessage, e.Value)
	// "Type: message" is the body and, as in a browser's console, the stack's first line.
	text := strings.TrimPrefix(e.Type+": "+e.Value, ": ")
	if e.Stacktrace != nil && len(e.Stacktrace.Frames) > 0 {
		attrs.PutStr(rumconv.AttrExceptionStacktrace, formatStack(text, e.Stacktrace.Frames))
	}
	lr.Body().SetStr(text)
	putFaroAttrs(attrs, e.Context)
	putAction(attrs, e.Action)
}

// formatStack renders frames the way browsers print them, so the text reads like the
// console and source-map tools recognise it.
func formatStack(head string, frames []faro.Frame) string {
	var sb strings.Builder
	sb.WriteString(head)
	for _, f := range frames {
		sb.WriteString("\n    at ")
		if f.Function == faroAnonymousFunction {
			f.Function = ""
		}
		if f.Function != "" {
			sb.WriteString(f.Function)
			sb.WriteString(" (")
		}
		sb.WriteString(f.Filename)
		if f.Lineno > 0 {
			sb.WriteString(":" + strconv.FormatInt(f.Lineno, 10))
			if f.Colno > 0 {
				sb.WriteString(":" + strconv.FormatInt(f.Colno, 10))
			}
		}
		if f.Function != "" {
			sb.WriteString(")")
		}
	}
	return sb.String()
}

func (b *batch) faroEvent(e *faro.Event) {
	lr := b.appendSizedRecord(b.newHeader(e.Timestamp, e.Parsed), e.Name, len(e.Attributes)+faroEventAttrs+actionAttrs(e.Action))
	lr.SetSeverityNumber(plog.SeverityNumberInfo)
	attrs := lr.Attributes()
	pattrs.PutNonEmpty(attrs, rumconv.AttrFaroEventDomain, e.Domain)
	putFaroAttrs(attrs, e.Attributes)
	putAction(attrs, e.Action)
	if e.Name == rumconv.EventFaroNavigation {
		id, _ := e.Attributes.Get(rumconv.AttrFaroNavigationID)
		pattrs.PutNonEmpty(attrs, rumconv.AttrRUMNavigationID, knownNavigationID(id))
	}
}

func (b *batch) faroMeasurement(m *faro.Measurement) {
	h := b.newHeader(m.Timestamp, m.Parsed)
	// A measurement has a handful of values: their names are sorted on the stack.
	var buf [measurementValuesOnStack]string
	keys := appendSortedKeys(buf[:0], m.Values)
	own := len(m.Values) + len(m.Context)
	if m.Type != faroMeasurementWebVital {
		lr := b.appendSizedRecord(h, rumconv.EventFaroMeasurement, own+faroMeasurementAttrs+actionAttrs(m.Action))
		attrs := lr.Attributes()
		attrs.PutStr(rumconv.AttrFaroMeasurementType, m.Type)
		for _, k := range keys {
			attrs.PutDouble(k, m.Values[k])
		}
		putFaroAttrs(attrs, m.Context)
		putAction(attrs, m.Action)
		return
	}
	v, ok := faroVital(m, keys)
	if !ok {
		id, _ := m.Context.Get("id")
		b.reject(fmt.Sprintf("measurements (web-vitals id %q)", id), fmt.Errorf("web-vitals measurement names no known vital in %v", slices.Clone(keys)))
		return
	}
	lr := b.appendSizedRecord(h, rumconv.EventWebVital, own+vitalAttributeCount)
	lr.SetSeverityNumber(plog.SeverityNumberInfo)
	attrs := lr.Attributes()
	putVitalAttributes(attrs, &v)
	// Attribution values (time_to_first_byte, resource_load_delay…) and the rest of the
	// context keep their Faro names.
	for _, k := range keys {
		if k != v.Name && k != "delta" {
			attrs.PutDouble(k, m.Values[k])
		}
	}
	for _, kv := range m.Context {
		if _, known := faroVitalContextKeys[kv.Key]; !known {
			attrs.PutStr(kv.Key, kv.Value)
		}
	}
	b.addVital(&v, lr)
}

// faroVitalContextKeys are the measurement context entries that become vital attributes.
var faroVitalContextKeys = map[string]struct{}{"id": {}, "rating": {}, "navigation_type": {}, "navigation_entry_id": {}}

// faroVital reads a web-vitals measurement: values carries the vital under its lower-case
// name next to delta; the context has id, rating, navigation type and the page view.
// keys are the names in values, sorted, so that the first vital name is the same on
// every run.
func faroVital(m *faro.Measurement, keys []string) (Vital, bool) {
	var v Vital
	for _, name := range keys {
		if isVitalName(name) {
			v.Name, v.Value = name, m.Values[name]
			break
		}
	}
	if v.Name == "" {
		return v, false
	}
	v.Delta = v.Value
	if d, ok := m.Values["delta"]; ok {
		v.Delta = d
	}
	v.ID, _ = m.Context.Get("id")
	v.Rating, _ = m.Context.Get("rating")
	v.NavigationType, _ = m.Context.Get("navigation_type")
	nav, _ := m.Context.Get("navigation_entry_id")
	v.NavigationID = knownNavigationID(nav)
	return v, true
}

// knownNavigationID drops the placeholder Faro sends when it reports a vital before the
// navigation entry exists (FCP often is): "unknown" must never become a join key.
func knownNavigationID(id string) string {
	if id == faroUnknown {
		return ""
	}
	return id
}

// faroTraces decodes the embedded OTLP/JSON and adds the payload's resource attributes
// where the SDK's own resource does not have them.
func (b *batch) faroTraces(t *faro.Traces) {
	td, err := t.Spans()
	if err != nil {
		b.reject("traces", fmt.Errorf("invalid OTLP/JSON: %w", err))
		return
	}
	enrich := b.res.Logs.ResourceLogs().At(0).Resource().Attributes()
	for _, rs := range td.ResourceSpans().All() {
		enrichResource(rs.Resource().Attributes(), enrich)
	}
	b.res.Traces = td
}

// enrichResource adds to attrs those of enrich it does not have. The missing ones are
// found first, so that the map grows once, to its size: a map grown by doubling as they
// are put ends up with room for up to twice its attributes, 40 bytes each.
func enrichResource(attrs, enrich pcommon.Map) {
	type attr struct {
		key   string
		value pcommon.Value
	}
	var buf [faroResourceAttrs]attr
	missing := buf[:0]
	for k, v := range enrich.All() {
		if _, ok := attrs.Get(k); !ok {
			missing = append(missing, attr{k, v})
		}
	}
	attrs.EnsureCapacity(attrs.Len() + len(missing))
	for _, a := range missing {
		a.value.CopyTo(attrs.PutEmpty(a.key))
	}
}

func putFaroAttrs(m pcommon.Map, attrs faro.Attrs) {
	m.EnsureCapacity(m.Len() + len(attrs))
	for _, kv := range attrs {
		m.PutStr(kv.Key, kv.Value)
	}
}

func putAction(m pcommon.Map, a *faro.Action) {
	if a == nil {
		return
	}
	pattrs.PutNonEmpty(m, rumconv.AttrFaroActionID, a.ID)
	pattrs.PutNonEmpty(m, rumconv.AttrFaroActionName, a.Name)
	pattrs.PutNonEmpty(m, rumconv.AttrFaroActionParentID, a.ParentID)
}

// appendSortedKeys appends the keys of m to dst and sorts them.
func appendSortedKeys(dst []string, m map[string]float64) []string {
	for k := range m {
		dst = append(dst, k)
	}
	slices.Sort(dst)
	return dst
}
