// Copyright The otelcol-rum Authors
// SPDX-License-Identifier: Apache-2.0

package normalize // import "github.com/otelcol-rum/otelcol-rum/receiver/rumreceiver/internal/normalize"

import (
	"math"
	"strings"

	"go.opentelemetry.io/collector/pdata/pcommon"
	"go.opentelemetry.io/collector/pdata/plog"
	"go.opentelemetry.io/collector/pdata/pmetric"

	"github.com/otelcol-rum/otelcol-rum/internal/pattrs"
	"github.com/otelcol-rum/otelcol-rum/internal/rumconv"
)

// FromOTLPLogs prepares logs from the OTel web SDK: future timestamps are corrected and
// flagged, every browser.web_vital event gets the attribute form of the conventions
// (whether it came in the body form of semconv 1.43 and earlier or the attribute form of
// 1.44 and later), and each vital also becomes a metric point. The logs are changed in
// place; the returned metrics are empty when there were no vitals.
func FromOTLPLogs(ld plog.Logs, src *Source, version string) (metrics pmetric.Metrics, corrected int) {
	metrics = pmetric.NewMetrics()
	for _, rl := range ld.ResourceLogs().All() {
		var vm *vitalMetrics // made by the resource's first vital
		for _, sl := range rl.ScopeLogs().All() {
			for _, lr := range sl.LogRecords().All() {
				if src.correctOTLPTime(lr) {
					corrected++
				}
				v, ok := otlpVital(lr)
				if !ok {
					continue
				}
				// Downstream processors look at the EventName field only.
				lr.SetEventName(rumconv.EventWebVital)
				updateVitalAttributes(lr.Attributes(), &v)
				if vm == nil {
					made := newResourceVitals(metrics, rl.Resource(), version)
					vm = &made
				}
				vm.add(&v, lr)
			}
		}
	}
	return metrics, corrected
}

// updateVitalAttributes gives a record's attributes the attribute form of v, as
// putVitalAttributes does, writing only the values that differ: the web-vitals SDK
// already sends that form, and a pdata write replaces the value with a new allocation
// even when it is the same.
func updateVitalAttributes(m pcommon.Map, v *Vital) {
	if _, ok := m.Get(rumconv.AttrWebVitalName); !ok {
		putVitalAttributes(m, v) // the body form: every attribute is new
		return
	}
	updateStr(m, rumconv.AttrWebVitalName, v.Name)
	updateDouble(m, rumconv.AttrWebVitalValue, v.Value)
	updateDouble(m, rumconv.AttrWebVitalDelta, v.Delta)
	for _, kv := range [...][2]string{
		{rumconv.AttrWebVitalID, v.ID},
		{rumconv.AttrWebVitalRating, v.Rating},
		{rumconv.AttrWebVitalNavigationType, v.NavigationType},
		{rumconv.AttrRUMNavigationID, v.NavigationID},
	} {
		if kv[1] != "" {
			updateStr(m, kv[0], kv[1])
		}
	}
}

// updateStr is PutStr unless key already holds the string s.
func updateStr(m pcommon.Map, key, s string) {
	if cur, ok := m.Get(key); ok && cur.Type() == pcommon.ValueTypeStr && cur.Str() == s {
		return
	}
	m.PutStr(key, s)
}

// updateDouble is PutDouble unless key already holds the double f, bit for bit.
func updateDouble(m pcommon.Map, key string, f float64) {
	if cur, ok := m.Get(key); ok && cur.Type() == pcommon.ValueTypeDouble && math.Float64bits(cur.Double()) == math.Float64bits(f) {
		return
	}
	m.PutDouble(key, f)
}

// correctOTLPTime applies the clock-skew and age rules to a record; a record without a client time
// gets its observed time so that downstream aggregation has a time to work with.
func (s *Source) correctOTLPTime(lr plog.LogRecord) bool {
	if lr.ObservedTimestamp() == 0 {
		lr.SetObservedTimestamp(pcommon.NewTimestampFromTime(s.Received))
	}
	if lr.Timestamp() == 0 {
		return false
	}
	ts, corrected := s.checkTime(lr.Timestamp().AsTime())
	if corrected {
		lr.Attributes().PutStr(rumconv.AttrRUMTimestampOriginal, lr.Timestamp().AsTime().Format("2006-01-02T15:04:05.000Z07:00"))
		lr.Attributes().PutBool(rumconv.AttrRUMTimestampCorrected, true)
		lr.SetTimestamp(ts)
	}
	return corrected
}

// otlpVital reads a browser.web_vital event in either form.
func otlpVital(lr plog.LogRecord) (Vital, bool) {
	if !isWebVitalEvent(lr) {
		return Vital{}, false
	}
	if lr.Timestamp() == 0 {
		lr.SetTimestamp(lr.ObservedTimestamp())
	}
	attrs := lr.Attributes()
	if name, ok := attrs.Get(attributeForm.name); ok {
		return vitalFromMap(attrs, name.Str(), attributeForm)
	}
	if lr.Body().Type() != pcommon.ValueTypeMap {
		return Vital{}, false
	}
	body := lr.Body().Map()
	name, ok := body.Get(bodyForm.name)
	if !ok {
		return Vital{}, false
	}
	return vitalFromMap(body, name.Str(), bodyForm)
}

// vitalKeys names the fields of a vital in one of the two event forms.
type vitalKeys struct{ name, value, delta, id, rating, navigationType string }

var (
	// attributeForm is the browser.web_vital event of semantic conventions 1.44 and later.
	attributeForm = vitalKeys{rumconv.AttrWebVitalName, rumconv.AttrWebVitalValue, rumconv.AttrWebVitalDelta, rumconv.AttrWebVitalID, rumconv.AttrWebVitalRating, rumconv.AttrWebVitalNavigationType}
	// bodyForm is the event body of semantic conventions 1.43 and earlier.
	bodyForm = vitalKeys{
		rumconv.WebVitalBodyName, rumconv.WebVitalBodyValue, rumconv.WebVitalBodyDelta,
		rumconv.WebVitalBodyID, rumconv.WebVitalBodyRating, rumconv.WebVitalBodyNavigationType,
	}
)

func isWebVitalEvent(lr plog.LogRecord) bool {
	if lr.EventName() == rumconv.EventWebVital {
		return true
	}
	n, ok := lr.Attributes().Get(rumconv.AttrEventName)
	return ok && n.Str() == rumconv.EventWebVital
}

// vitalFromMap reads the rest of a vital named name from m.
func vitalFromMap(m pcommon.Map, name string, k vitalKeys) (Vital, bool) {
	v := Vital{Name: strings.ToLower(name)}
	if !isVitalName(v.Name) {
		return v, false
	}
	var ok bool
	if v.Value, ok = pattrs.Float(m, k.value); !ok {
		return v, false
	}
	v.Delta = v.Value
	if d, ok := pattrs.Float(m, k.delta); ok {
		v.Delta = d
	}
	v.ID = pattrs.Str(m, k.id)
	v.Rating = pattrs.Str(m, k.rating)
	v.NavigationType = pattrs.Str(m, k.navigationType)
	v.NavigationID = pattrs.Str(m, rumconv.AttrRUMNavigationID)
	return v, true
}
