// Copyright The otelcol-rum Authors
// SPDX-License-Identifier: Apache-2.0

package journeysprocessor // import "github.com/otelcol-rum/otelcol-rum/processor/journeysprocessor"

import (
	"context"
	"math"

	"go.opentelemetry.io/collector/pdata/pcommon"

	"github.com/otelcol-rum/otelcol-rum/internal/dimensions"
	"github.com/otelcol-rum/otelcol-rum/internal/pattrs"
	"github.com/otelcol-rum/otelcol-rum/internal/rumconv"
	"github.com/otelcol-rum/otelcol-rum/processor/journeysprocessor/internal/journeycount"
)

// origin is what an observation takes from its resource.
type origin struct {
	service, environment string
	// res gives the dimensions, read on the first observation of the resource: most
	// resources of a pipeline have nothing this processor counts.
	res      pcommon.Map
	dims     dimensions.Values
	dimsRead bool
}

func originOf(res pcommon.Map) origin {
	return origin{
		res:         res,
		service:     pattrs.Str(res, rumconv.AttrServiceName),
		environment: pattrs.Str(res, rumconv.AttrDeploymentEnvironmentName),
	}
}

// batch gathers the observations of one call of a pipeline, counted under one lock at
// its end.
type batch struct {
	p   *journeysProcessor
	now int64 // Unix nanoseconds, for the dimensions' values
	obs []journeycount.Observation
}

func (p *journeysProcessor) startBatch() *batch {
	return &batch{p: p, now: p.now().UnixNano()}
}

// add queues one observation of kind for the resource o, with the labels a and b in the
// order the kind names them.
func (b *batch) add(o *origin, kind journeycount.Kind, a, bLabel string, value float64) {
	if !o.dimsRead {
		o.dims, o.dimsRead = b.p.dims.Apply(o.service, o.res, b.now), true
	}
	b.obs = append(b.obs, journeycount.Observation{
		Key:   journeycount.Key{Kind: kind, Service: o.service, Environment: o.environment, A: a, B: bLabel, Dims: o.dims},
		Value: value,
	})
}

// route is the template of a page for o's service, "" for no page.
func (b *batch) route(o *origin, url string) string {
	if url == "" {
		return ""
	}
	return b.p.routes.Template(o.service, url)
}

// finish counts the batch's observations.
func (b *batch) finish(ctx context.Context) {
	if len(b.obs) == 0 {
		return
	}
	overflowed := b.p.counter.Add(b.obs, b.p.now().UnixNano())
	b.p.telemetry.counted(ctx, int64(len(b.obs)), overflowed)
}

// maxMeasurable bounds what goes into a histogram: 10^12 (as milliseconds, 31 years) is
// more than any real action, session or view count, and far enough below the largest
// float64 that no number of observations makes a sum infinite.
const maxMeasurable = 1e12

// measurable reports whether v can go into a histogram: a browser may send anything,
// and one NaN or infinity, or two values near the largest float64, would spoil a series'
// sum for good.
func measurable(v float64) bool {
	return !math.IsNaN(v) && v >= 0 && v <= maxMeasurable
}
