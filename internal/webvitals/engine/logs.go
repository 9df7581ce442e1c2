// Copyright The otelcol-rum Authors
// SPDX-License-Identifier: Apache-2.0

package engine // import "github.com/otelcol-rum/otelcol-rum/internal/webvitals/engine"

import (
	"math"
	"strconv"

	"go.opentelemetry.io/collector/pdata/plog"

	"github.com/otelcol-rum/otelcol-rum/internal/pattrs"
	"github.com/otelcol-rum/otelcol-rum/internal/rumconv"
	"github.com/otelcol-rum/otelcol-rum/internal/webvitals/aggregate"
)

// ConsumeLogs annotates web-vital records with the route and the rating, takes the page
// load timings of Faro navigation events into their histograms and, for
// SourceLogRecords, counts the web-vital records themselves.
func (e *Engine) ConsumeLogs(ld plog.Logs) {
	now := e.now().UnixNano()
	var batch []aggregate.Measurement
	for _, rl := range ld.ResourceLogs().All() {
		base := e.lazyDims(rl.Resource().Attributes(), now)
		for _, sl := range rl.ScopeLogs().All() {
			for _, lr := range sl.LogRecords().All() {
				switch lr.EventName() {
				case rumconv.EventWebVital:
					route := e.annotate(lr.Attributes(), base.service, pattrs.PageURL(lr.Attributes()))
					if e.set.Source != SourceLogRecords {
						continue
					}
					if m, ok := vitalFromAttributes(lr.Attributes(), base.get(), route); ok {
						m.Time, m.TraceID, m.SpanID = int64(lr.Timestamp()), lr.TraceID(), lr.SpanID()
						batch = append(batch, m)
					}
				case rumconv.EventFaroNavigation:
					batch = e.appendFaroPageLoad(batch, lr, base.get())
				}
			}
		}
	}
	e.addAll(batch, now)
}

// addAll takes a batch's measurements under one lock.
func (e *Engine) addAll(batch []aggregate.Measurement, now int64) {
	if len(batch) == 0 {
		return
	}
	e.mu.Lock()
	defer e.mu.Unlock()
	for i := range batch {
		e.agg.Add(batch[i], now)
	}
}

// faroTimings maps Faro's navigation timing attributes (milliseconds, as strings) to the
// page load histograms.
var faroTimings = []struct{ attr, metric string }{
	{rumconv.AttrFaroNavDuration, rumconv.MetricPageLoadDuration},
	{rumconv.AttrFaroNavDNSLookup, rumconv.MetricPageLoadDNS},
	{rumconv.AttrFaroNavTCPHandshake, rumconv.MetricPageLoadConnect},
	{rumconv.AttrFaroNavTLS, rumconv.MetricPageLoadTLS},
	{rumconv.AttrFaroNavTTFB, rumconv.MetricPageLoadTTFB},
	{rumconv.AttrFaroNavResponse, rumconv.MetricPageLoadResponse},
	{rumconv.AttrFaroNavDOMProcessing, rumconv.MetricPageLoadProcessing},
}

// appendFaroPageLoad reads a navigation's timings, linked to the navigation's trace. The
// navigation id keeps a resent event from being counted twice.
func (e *Engine) appendFaroPageLoad(batch []aggregate.Measurement, lr plog.LogRecord, base aggregate.Dims) []aggregate.Measurement {
	attrs := lr.Attributes()
	dims := base
	dims.Route = e.routes.Template(base.Service, pattrs.Str(attrs, rumconv.AttrURLFull))
	navID := pattrs.Str(attrs, rumconv.AttrRUMNavigationID)
	for _, t := range faroTimings {
		value, err := strconv.ParseFloat(pattrs.Str(attrs, t.attr), 64)
		if err != nil || !validDuration(value) {
			continue
		}
		m := aggregate.Measurement{
			Vital: t.metric, Value: value, Dims: dims,
			Time: int64(lr.Timestamp()), TraceID: lr.TraceID(), SpanID: lr.SpanID(),
		}
		if navID != "" {
			m.ID = navID + "/" + t.metric
		}
		batch = append(batch, m)
	}
	return batch
}

func validDuration(v float64) bool {
	return v >= 0 && !math.IsInf(v, 0) && !math.IsNaN(v)
}
