// Copyright The otelcol-rum Authors
// SPDX-License-Identifier: Apache-2.0

package engine // import "github.com/otelcol-rum/otelcol-rum/internal/webvitals/engine"

import (
	"go.opentelemetry.io/collector/pdata/pcommon"

	"github.com/otelcol-rum/otelcol-rum/internal/pattrs"
	"github.com/otelcol-rum/otelcol-rum/internal/rumconv"
	"github.com/otelcol-rum/otelcol-rum/internal/webvitals/aggregate"
)

// baseDims reads the dimensions that come from the resource, the configured ones bounded
// at now; the route comes from each record's page.
func (e *Engine) baseDims(res pcommon.Map, now int64) aggregate.Dims {
	service := pattrs.Str(res, rumconv.AttrServiceName)
	return aggregate.Dims{
		Service: service, Environment: pattrs.Str(res, rumconv.AttrDeploymentEnvironmentName),
		Values: e.dims.Apply(service, res, now),
	}
}

// lazyDims are a resource's dimensions read when a measurement first needs them. The
// logs path annotates every web-vital record, which needs only the service, and with the
// measurements counted from metric points (SourceMetricPoints, the processor) it rarely
// takes a measurement from a record; reading the configured dimensions for every
// resource cost a scan of its attributes per dimension for nothing.
type lazyDims struct {
	e       *Engine
	res     pcommon.Map
	now     int64
	service string
	dims    aggregate.Dims
	read    bool
}

func (e *Engine) lazyDims(res pcommon.Map, now int64) lazyDims {
	return lazyDims{e: e, res: res, now: now, service: pattrs.Str(res, rumconv.AttrServiceName)}
}

// get reads the dimensions once.
func (l *lazyDims) get() aggregate.Dims {
	if !l.read {
		l.dims, l.read = l.e.baseDims(l.res, l.now), true
	}
	return l.dims
}

// annotate writes url.template and, where the SDK sent none, the rating, on a web-vital
// record, so that log and trace backends see the labels Prometheus sees. It returns the
// route. page is the record's page (pattrs.PageURL of attrs, unless the record takes it from
// elsewhere). A read-only engine only computes the route.
func (e *Engine) annotate(attrs pcommon.Map, service, page string) string {
	route := pattrs.Str(attrs, rumconv.AttrURLTemplate)
	if route == "" {
		route = e.routes.Template(service, page)
		if e.set.ReadOnly {
			return route
		}
		attrs.PutStr(rumconv.AttrURLTemplate, route)
	}
	if _, ok := attrs.Get(rumconv.AttrWebVitalRating); ok || e.set.ReadOnly {
		return route
	}
	v, known := aggregate.Vitals[pattrs.Str(attrs, rumconv.AttrWebVitalName)]
	if value, ok := pattrs.Float(attrs, rumconv.AttrWebVitalValue); known && ok {
		attrs.PutStr(rumconv.AttrWebVitalRating, v.Rate(value))
	}
	return route
}

// vitalFromAttributes reads a measurement in the browser.web_vital attribute form (a log
// record, a span or a span event). The route must already be on attrs (annotate).
func vitalFromAttributes(attrs pcommon.Map, dims aggregate.Dims, route string) (aggregate.Measurement, bool) {
	value, ok := pattrs.Float(attrs, rumconv.AttrWebVitalValue)
	name := pattrs.Str(attrs, rumconv.AttrWebVitalName)
	if !ok || name == "" {
		return aggregate.Measurement{}, false
	}
	m := aggregate.Measurement{
		Vital:  name,
		Value:  value,
		ID:     pattrs.Str(attrs, rumconv.AttrWebVitalID),
		Rating: pattrs.Str(attrs, rumconv.AttrWebVitalRating),
		Dims:   dims,
	}
	m.Dims.Route = route
	return m, true
}
