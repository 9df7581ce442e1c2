// Copyright The otelcol-rum Authors
// SPDX-License-Identifier: Apache-2.0

package normalize // import "github.com/otelcol-rum/otelcol-rum/receiver/rumreceiver/internal/normalize"

import (
	"go.opentelemetry.io/collector/pdata/pcommon"
	"go.opentelemetry.io/collector/pdata/plog"
	"go.opentelemetry.io/collector/pdata/pmetric"

	"github.com/otelcol-rum/otelcol-rum/internal/pattrs"
	"github.com/otelcol-rum/otelcol-rum/internal/rumconv"
	"github.com/otelcol-rum/otelcol-rum/receiver/rumreceiver/internal/metadata"
)

// Vital is one web-vitals measurement, whichever SDK reported it.
type Vital struct {
	Name           string // lower case: lcp, inp, cls, fcp, ttfb (fid from old SDKs)
	Value          float64
	Delta          float64
	ID             string
	Rating         string
	NavigationType string
	NavigationID   string
}

// vitalUnits are the UCUM units of the vitals; CLS is a unitless score.
var vitalUnits = map[string]string{"lcp": "ms", "inp": "ms", "fcp": "ms", "ttfb": "ms", "fid": "ms", "cls": "1"}

// isVitalName reports whether name (lower case) is a web vital this receiver knows.
func isVitalName(name string) bool {
	_, ok := vitalUnits[name]
	return ok
}

// measurementMetricName is the name of the per-measurement gauge for a vital. It differs
// from the webvitals processor's histogram names (browser.web_vital.lcp…) so the raw
// points and the aggregates never collide in a backend.
func measurementMetricName(vital string) string {
	if n, ok := measurementNames[vital]; ok {
		return n
	}
	return rumconv.MetricWebVitalMeasurement(vital)
}

// measurementNames avoids building the same strings for every measurement.
var measurementNames = func() map[string]string {
	out := make(map[string]string, len(vitalUnits))
	for v := range vitalUnits {
		out[v] = rumconv.MetricWebVitalMeasurement(v)
	}
	return out
}()

// putVitalAttributes writes the attribute form of the browser.web_vital event (semantic
// conventions 1.44 and later).
func putVitalAttributes(m pcommon.Map, v *Vital) {
	m.EnsureCapacity(m.Len() + vitalAttributeCount)
	m.PutStr(rumconv.AttrWebVitalName, v.Name)
	m.PutDouble(rumconv.AttrWebVitalValue, v.Value)
	m.PutDouble(rumconv.AttrWebVitalDelta, v.Delta)
	pattrs.PutNonEmpty(m, rumconv.AttrWebVitalID, v.ID)
	pattrs.PutNonEmpty(m, rumconv.AttrWebVitalRating, v.Rating)
	pattrs.PutNonEmpty(m, rumconv.AttrWebVitalNavigationType, v.NavigationType)
	pattrs.PutNonEmpty(m, rumconv.AttrRUMNavigationID, v.NavigationID)
}

// vitalAttributeCount is how many attributes putVitalAttributes may add, to size maps once.
const vitalAttributeCount = 8

// vitalMetrics holds one gauge per vital name within a request's scope.
type vitalMetrics struct {
	metrics pmetric.MetricSlice
}

// newResourceVitals appends to md a resource with a copy of res and the receiver's scope,
// for the vitals of records under res.
func newResourceVitals(md pmetric.Metrics, res pcommon.Resource, version string) vitalMetrics {
	rm := md.ResourceMetrics().AppendEmpty()
	res.CopyTo(rm.Resource())
	sm := rm.ScopeMetrics().AppendEmpty()
	sm.Scope().SetName(metadata.ScopeName)
	sm.Scope().SetVersion(version)
	return vitalMetrics{metrics: sm.Metrics()}
}

// find returns the gauge of a vital. A request holds at most a handful of vitals, so a scan
// beats allocating a map per request.
func (vm *vitalMetrics) find(name string) (pmetric.Metric, bool) {
	want := measurementMetricName(name)
	for _, m := range vm.metrics.All() {
		if m.Name() == want {
			return m, true
		}
	}
	return pmetric.Metric{}, false
}

// add appends the measurement as a gauge point carrying its trace context as an exemplar,
// which is how the link to the backend trace survives aggregation downstream.
func (vm *vitalMetrics) add(v *Vital, lr plog.LogRecord) {
	m, ok := vm.find(v.Name)
	if !ok {
		m = vm.metrics.AppendEmpty()
		m.SetName(measurementMetricName(v.Name))
		m.SetUnit(vitalUnits[v.Name])
		m.SetDescription("One web-vitals measurement as the browser reported it.")
		m.SetEmptyGauge()
	}
	dp := m.Gauge().DataPoints().AppendEmpty()
	dp.SetDoubleValue(v.Value)
	dp.SetTimestamp(lr.Timestamp())
	attrs := dp.Attributes()
	putVitalAttributes(attrs, v)
	if u, ok := lr.Attributes().Get(rumconv.AttrURLFull); ok {
		attrs.PutStr(rumconv.AttrURLFull, u.Str())
	}
	if !lr.TraceID().IsEmpty() {
		ex := dp.Exemplars().AppendEmpty()
		ex.SetTimestamp(lr.Timestamp())
		ex.SetDoubleValue(v.Value)
		ex.SetTraceID(lr.TraceID())
		ex.SetSpanID(lr.SpanID())
	}
}
