// Copyright The otelcol-rum Authors
// SPDX-License-Identifier: Apache-2.0

package journeycount

import (
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"go.opentelemetry.io/collector/pdata/pmetric"
)

const t0 = int64(1_800_000_000_000_000_000)

func newCounter(maxSeries int, forget func(string, string)) *Counter {
	return New(Settings{
		MaxSeries: maxSeries, SeriesTTL: time.Hour, MaxTransitionsPerService: 2, MaxActionNamesPerService: 2,
		Other: "{other}", Forget: forget,
	})
}

func transition(service, from, to string) Observation {
	return Observation{Key: Key{Kind: Transitions, Service: service, A: from, B: to}}
}

// points returns the points of metric name as "label=value,...: value" lines.
func points(md pmetric.Metrics, name string) map[string]float64 {
	out := map[string]float64{}
	for _, rm := range md.ResourceMetrics().All() {
		svc, _ := rm.Resource().Attributes().Get("service.name")
		for _, sm := range rm.ScopeMetrics().All() {
			for _, m := range sm.Metrics().All() {
				if m.Name() != name {
					continue
				}
				switch m.Type() {
				case pmetric.MetricTypeSum:
					for _, dp := range m.Sum().DataPoints().All() {
						out[svc.AsString()+" "+fmt.Sprint(dp.Attributes().AsRaw())] = float64(dp.IntValue())
					}
				case pmetric.MetricTypeHistogram:
					for _, dp := range m.Histogram().DataPoints().All() {
						out[svc.AsString()+" "+fmt.Sprint(dp.Attributes().AsRaw())] = float64(dp.Count())
					}
				}
			}
		}
	}
	return out
}

// TestTransitionsFoldPastTheLimit: a service keeps its first max_transitions_per_service
// pairs; further pairs are counted as ({other}, {other}); another service has its own
// budget.
func TestTransitionsFoldPastTheLimit(t *testing.T) {
	c := newCounter(100, nil)
	c.Add([]Observation{
		transition("shop", "/", "/a"), transition("shop", "/a", "/b"), transition("shop", "/b", "/c"),
		transition("shop", "/c", "/d"), transition("shop", "/", "/a"), transition("blog", "/x", "/y"),
	}, t0)
	got := points(c.Export(t0, Scope{}), "browser.view.transitions")
	assert.Equal(t, map[string]float64{
		"shop map[rum.view.from:/ url.template:/a]":            2,
		"shop map[rum.view.from:/a url.template:/b]":           1,
		"shop map[rum.view.from:{other} url.template:{other}]": 2,
		"blog map[rum.view.from:/x url.template:/y]":           1,
	}, got)
	assert.Equal(t, int64(2), c.Stats().Folded)
}

// TestActionNamesFoldKeepingTheRoute: past the limit the action's name is folded, its
// route kept.
func TestActionNamesFoldKeepingTheRoute(t *testing.T) {
	c := newCounter(100, nil)
	for _, name := range []string{"buy", "search", "share", "like"} {
		c.Add([]Observation{{Key: Key{Kind: ActionDuration, Service: "shop", A: name, B: "/cart"}, Value: 120}}, t0)
	}
	got := points(c.Export(t0, Scope{}), "browser.action.duration")
	assert.Equal(t, map[string]float64{
		"shop map[rum.action.name:buy url.template:/cart]":     1,
		"shop map[rum.action.name:search url.template:/cart]":  1,
		"shop map[rum.action.name:{other} url.template:/cart]": 2,
	}, got)
}

// TestHistogramBuckets: values land in (bound[i-1], bound[i]], with count, sum, min and
// max.
func TestHistogramBuckets(t *testing.T) {
	c := newCounter(100, nil)
	for _, v := range []float64{1, 2, 2, 150} {
		c.Add([]Observation{{Key: Key{Kind: SessionViews, Service: "shop"}, Value: v}}, t0)
	}
	md := c.Export(t0, Scope{})
	dp := md.ResourceMetrics().At(0).ScopeMetrics().At(0).Metrics().At(0).Histogram().DataPoints().At(0)
	assert.Equal(t, uint64(4), dp.Count())
	assert.InDelta(t, 155.0, dp.Sum(), 1e-9)
	assert.InDelta(t, 1.0, dp.Min(), 1e-9)
	assert.InDelta(t, 150.0, dp.Max(), 1e-9)
	want := make([]uint64, len(sessionViewsBounds)+1)
	want[0], want[1], want[len(want)-1] = 1, 2, 1
	assert.Equal(t, want, dp.BucketCounts().AsRaw())
}

// TestOverflowPerMetricAndExpiry: past max_series each metric counts into its own
// overflow series, which never expires; other series expire after series_ttl, and the
// routes they named are forgotten once no series names them.
func TestOverflowPerMetricAndExpiry(t *testing.T) {
	var forgotten []string
	c := newCounter(2, func(service, route string) { forgotten = append(forgotten, service+" "+route) })
	over := c.Add([]Observation{
		{Key: Key{Kind: Views, Service: "shop", A: "/", B: "hard"}},
		{Key: Key{Kind: Entries, Service: "shop", A: "/"}},
		{Key: Key{Kind: Views, Service: "shop", A: "/cart", B: "soft"}},
		{Key: Key{Kind: SessionDuration, Service: "shop"}, Value: 30},
	}, t0)
	assert.Equal(t, int64(2), over)
	assert.Equal(t, 4, c.Len(), "two series and two overflow series")
	md := c.Export(t0, Scope{})
	overflowRes := md.ResourceMetrics().At(md.ResourceMetrics().Len() - 1)
	assert.Equal(t, 0, overflowRes.Resource().Attributes().Len())
	assert.Equal(t, 2, overflowRes.ScopeMetrics().At(0).Metrics().Len())

	c.Add([]Observation{{Key: Key{Kind: Views, Service: "shop", A: "/", B: "hard"}}}, t0+int64(30*time.Minute))
	c.Export(t0+int64(61*time.Minute), Scope{})
	assert.Equal(t, []string(nil), forgotten, "/ is still named by a live series")
	assert.Equal(t, 3, c.Len())
	c.Export(t0+int64(2*time.Hour), Scope{})
	assert.Equal(t, []string{"shop /"}, forgotten)
	assert.Equal(t, 2, c.Len(), "the overflow series stay")
	assert.Equal(t, int64(2), c.Stats().Expired)
}

// TestLabelsAreClipped: a label from the browser is cut to MaxLabelLen bytes at a rune
// boundary.
func TestLabelsAreClipped(t *testing.T) {
	c := newCounter(10, nil)
	long := strings.Repeat("é", MaxLabelLen)
	c.Add([]Observation{{Key: Key{Kind: ActionDuration, Service: long, A: long, B: "/"}, Value: 1}}, t0)
	md := c.Export(t0, Scope{})
	svc, _ := md.ResourceMetrics().At(0).Resource().Attributes().Get("service.name")
	require.LessOrEqual(t, len(svc.Str()), MaxLabelLen)
	assert.Equal(t, strings.Repeat("é", MaxLabelLen/2), svc.Str())
}
