// Copyright The otelcol-rum Authors
// SPDX-License-Identifier: Apache-2.0

package webvitalsprocessor

import (
	"context"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"go.opentelemetry.io/collector/component"
	"go.opentelemetry.io/collector/component/componenttest"
	"go.opentelemetry.io/collector/consumer/consumertest"
	"go.opentelemetry.io/collector/pdata/pmetric"
	"go.opentelemetry.io/collector/processor/processortest"

	"github.com/otelcol-rum/otelcol-rum/internal/clientinfotest"
	"github.com/otelcol-rum/otelcol-rum/internal/rumtest"
	"github.com/otelcol-rum/otelcol-rum/internal/sdkcaptures"
	"github.com/otelcol-rum/otelcol-rum/internal/webvitals/histtest"
	"github.com/otelcol-rum/otelcol-rum/processor/sessionprocessor"
)

// chain is rum receiver → session → webvitals → sinks, as config.example.yaml wires them.
type chain struct {
	url        string
	traces     *consumertest.TracesSink
	logs       *consumertest.LogsSink
	metrics    *consumertest.MetricsSink
	receiver   *rumtest.Receiver
	processors []component.Component
}

func startChain(t *testing.T, cfg *Config) *chain {
	ctx := context.Background()
	c := &chain{traces: new(consumertest.TracesSink), logs: new(consumertest.LogsSink), metrics: new(consumertest.MetricsSink)}
	wv := NewFactory()
	wvSet := processortest.NewNopSettings(wv.Type())
	wvMetrics, err := wv.CreateMetrics(ctx, wvSet, cfg, c.metrics)
	require.NoError(t, err)
	wvLogs, err := wv.CreateLogs(ctx, wvSet, cfg, c.logs)
	require.NoError(t, err)
	wvTraces, err := wv.CreateTraces(ctx, wvSet, cfg, c.traces)
	require.NoError(t, err)

	sf := sessionprocessor.NewFactory()
	sCfg := sf.CreateDefaultConfig()
	sSet := processortest.NewNopSettings(sf.Type())
	sTraces, err := sf.CreateTraces(ctx, sSet, sCfg, wvTraces)
	require.NoError(t, err)
	sLogs, err := sf.CreateLogs(ctx, sSet, sCfg, wvLogs)
	require.NoError(t, err)
	sMetrics, err := sf.CreateMetrics(ctx, sSet, sCfg, wvMetrics)
	require.NoError(t, err)

	// Started exporters-first and stopped receivers-first, as the collector does.
	c.processors = []component.Component{sTraces, sLogs, sMetrics, wvTraces, wvLogs, wvMetrics}
	for i := len(c.processors) - 1; i >= 0; i-- {
		require.NoError(t, c.processors[i].Start(ctx, componenttest.NewNopHost()))
	}
	ct, cl, cm := clientinfotest.Front(t, sTraces, sLogs, sMetrics)
	c.receiver = rumtest.Start(t, ct, cl, cm)
	c.url = c.receiver.URL
	return c
}

func (c *chain) stop(t *testing.T) {
	c.receiver.Shutdown(t)
	for _, comp := range c.processors {
		require.NoError(t, comp.Shutdown(context.Background()))
	}
}

func testConfig() *Config {
	cfg := createDefaultConfig().(*Config)
	cfg.EmitInterval = time.Hour // the test flushes at shutdown
	cfg.Dimensions = histtest.GoldenDimensions()
	return cfg
}

// TestRealFaroSessionBecomesHistogramsLinkedToTraces replays a real Faro session through
// the receiver, the session processor and this processor: the vitals become histograms by
// route whose exemplars name the navigation traces (the backend traces that served the
// pages), and the raw measurement points are gone.
func TestRealFaroSessionBecomesHistogramsLinkedToTraces(t *testing.T) {
	c := startChain(t, testConfig())
	sdkcaptures.Replay(t, c.url, "faro")
	c.stop(t)

	navTraces := map[string]bool{}
	vitalsByName := map[string]int{}
	for _, ld := range c.logs.AllLogs() {
		for _, rl := range ld.ResourceLogs().All() {
			for _, sl := range rl.ScopeLogs().All() {
				for _, lr := range sl.LogRecords().All() {
					switch lr.EventName() {
					case "faro.performance.navigation":
						navTraces[lr.TraceID().String()] = true
					case "browser.web_vital":
						name, _ := lr.Attributes().Get("browser.web_vital.name")
						vitalsByName[name.Str()]++
						route, ok := lr.Attributes().Get("url.template")
						require.True(t, ok, "log record annotated with the route")
						assert.Equal(t, "/faro.html", route.Str())
						_, ok = lr.Attributes().Get("browser.web_vital.rating")
						assert.True(t, ok)
					}
				}
			}
		}
	}
	require.Len(t, navTraces, 2)
	require.Len(t, vitalsByName, 5)

	counts := map[string]uint64{}
	var ratingsTotal int64
	apdexBySource := map[string]uint64{}
	for _, md := range c.metrics.AllMetrics() {
		for _, rm := range md.ResourceMetrics().All() {
			svc, _ := rm.Resource().Attributes().Get("service.name")
			assert.Equal(t, "shop-web", svc.Str())
			for _, sm := range rm.ScopeMetrics().All() {
				for _, m := range sm.Metrics().All() {
					switch m.Type() {
					case pmetric.MetricTypeHistogram:
						for _, dp := range m.Histogram().DataPoints().All() {
							counts[m.Name()] += dp.Count()
							route, _ := dp.Attributes().Get("url.template")
							assert.Equal(t, "/faro.html", route.Str())
							require.Positive(t, dp.Exemplars().Len(), "%s has exemplars", m.Name())
							for _, ex := range dp.Exemplars().All() {
								assert.True(t, navTraces[ex.TraceID().String()], "%s exemplar links to a navigation trace", m.Name())
							}
						}
					case pmetric.MetricTypeSum:
						if m.Name() == "browser.apdex" {
							for _, dp := range m.Sum().DataPoints().All() {
								source, _ := dp.Attributes().Get("rum.apdex.source")
								apdexBySource[source.Str()] += uint64(dp.IntValue())
							}
							continue
						}
						require.Equal(t, "browser.web_vital.ratings", m.Name())
						for _, dp := range m.Sum().DataPoints().All() {
							ratingsTotal += dp.IntValue()
						}
					default:
						t.Errorf("unexpected metric %s: raw measurements must be replaced", m.Name())
					}
				}
			}
		}
	}
	// Page load timings from the two navigation events, linked to their traces.
	assert.Equal(t, uint64(2), counts["browser.page_load.duration"])
	for _, phase := range []string{"dns", "connect", "tls", "ttfb", "response", "processing"} {
		assert.Equal(t, uint64(2), counts["browser.page_load."+phase], phase)
	}

	var total uint64
	for name, n := range vitalsByName {
		assert.Equal(t, uint64(n), counts["browser.web_vital."+name], "%s counted once per measurement", name)
		total += uint64(n)
	}
	assert.Equal(t, int64(total), ratingsTotal)
	// Every page load and every LCP value is in one Apdex zone.
	assert.Equal(t, map[string]uint64{"load": counts["browser.page_load.duration"], "lcp": counts["browser.web_vital.lcp"]}, apdexBySource)
}

func TestRouteLimitFoldsIntoOverflow(t *testing.T) {
	cfg := testConfig()
	cfg.MaxRoutesPerService = 2
	cfg.Routes = []string{"/product/{id}"}
	set := processortest.NewNopSettings(NewFactory().Type())
	sink := new(consumertest.MetricsSink)
	p, err := NewFactory().CreateMetrics(context.Background(), set, cfg, sink)
	require.NoError(t, err)
	require.NoError(t, p.Start(context.Background(), componenttest.NewNopHost()))
	md := pmetric.NewMetrics()
	rm := md.ResourceMetrics().AppendEmpty()
	rm.Resource().Attributes().PutStr("service.name", "shop")
	m := rm.ScopeMetrics().AppendEmpty().Metrics().AppendEmpty()
	m.SetName("browser.web_vital.lcp.measurement")
	points := m.SetEmptyGauge().DataPoints()
	for i, url := range []string{"https://shop/product/1", "https://shop/product/2?x=1", "https://shop/cart", "https://shop/checkout/step-2", "https://shop/about"} {
		dp := points.AppendEmpty()
		dp.SetDoubleValue(1000)
		dp.Attributes().PutStr("url.full", url)
		dp.Attributes().PutStr("browser.web_vital.id", string(rune('a'+i)))
	}
	require.NoError(t, p.ConsumeMetrics(context.Background(), md))
	require.NoError(t, p.Shutdown(context.Background()))

	byRoute := map[string]uint64{}
	for _, p := range histtest.Points(sink.AllMetrics()) {
		byRoute[p.Route] += p.Count()
	}
	assert.Equal(t, map[string]uint64{"/product/{id}": 2, "/cart": 1, "{other}": 2}, byRoute)
}

func TestKeepMeasurementsForwardsRawPoints(t *testing.T) {
	cfg := testConfig()
	cfg.KeepMeasurements = true
	sink := new(consumertest.MetricsSink)
	p, err := NewFactory().CreateMetrics(context.Background(), processortest.NewNopSettings(NewFactory().Type()), cfg, sink)
	require.NoError(t, err)
	require.NoError(t, p.Start(context.Background(), componenttest.NewNopHost()))
	md := pmetric.NewMetrics()
	m := md.ResourceMetrics().AppendEmpty().ScopeMetrics().AppendEmpty().Metrics().AppendEmpty()
	m.SetName("browser.web_vital.cls.measurement")
	m.SetEmptyGauge().DataPoints().AppendEmpty().SetDoubleValue(0.2)
	require.NoError(t, p.ConsumeMetrics(context.Background(), md))
	require.Len(t, sink.AllMetrics(), 1, "the raw point passed")
	require.NoError(t, p.Shutdown(context.Background()))
	require.Len(t, sink.AllMetrics(), 2, "and the histogram came at shutdown")
}
