// Copyright The otelcol-rum Authors
// SPDX-License-Identifier: Apache-2.0

package clientinfoprocessor

import (
	"context"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"go.opentelemetry.io/otel/sdk/metric/metricdata"

	"github.com/otelcol-rum/otelcol-rum/processor/clientinfoprocessor/internal/metadatatest"
)

func TestUserAgentOfTheResource(t *testing.T) {
	h := newHarness(t, nil)
	got := h.sentLogs(context.Background(), logsOf(map[string]any{"service.name": "shop", "user_agent.original": samsungUA}))
	assert.Equal(t, []map[string]any{{
		"service.name":        "shop",
		"user_agent.original": samsungUA,
		"user_agent.name":     "Samsung Internet",
		"user_agent.version":  "26.0",
		"os.name":             "Android",
		"os.version":          "14",
		"rum.device.type":     "mobile",
		"device.model.name":   "Samsung SM-S918B",
	}}, got)
	h.assertEnriched(1)
}

// Without user_agent.original on the resource, the request's header is read from the
// context (a receiver with include_metadata); user_agent.original is not added.
func TestUserAgentOfTheRequest(t *testing.T) {
	h := newHarness(t, nil)
	ctx := fromClient(nil, map[string][]string{"user-agent": {firefoxUA}})
	got := h.sentLogs(ctx, logsOf(map[string]any{"service.name": "shop"}))
	assert.Equal(t, []map[string]any{{
		"service.name":       "shop",
		"user_agent.name":    "Firefox",
		"user_agent.version": "133.0",
		"os.name":            "Windows",
		"os.version":         "10",
		"rum.device.type":    "desktop",
	}}, got)
}

// The resource's string wins over the request's header: a collector or proxy in front
// sends its own.
func TestResourceUserAgentWinsOverTheHeader(t *testing.T) {
	h := newHarness(t, nil)
	ctx := fromClient(nil, map[string][]string{"User-Agent": {"Go-http-client/1.1"}})
	got := h.sentLogs(ctx, logsOf(map[string]any{"user_agent.original": firefoxUA}))
	require.Len(t, got, 1)
	assert.Equal(t, "Firefox", got[0]["user_agent.name"])
}

// What the SDK sent stays; an empty value counts as not sent.
func TestKeepsWhatTheSDKSent(t *testing.T) {
	h := newHarness(t, nil)
	got := h.sentLogs(context.Background(), logsOf(map[string]any{
		"user_agent.original": samsungUA,
		"user_agent.name":     "Shop App WebView",
		"os.name":             "",
		"rum.device.type":     "tablet",
	}))
	require.Len(t, got, 1)
	assert.Equal(t, "Shop App WebView", got[0]["user_agent.name"])
	assert.Equal(t, "26.0", got[0]["user_agent.version"])
	assert.Equal(t, "Android", got[0]["os.name"])
	assert.Equal(t, "tablet", got[0]["rum.device.type"])
}

// A resource with no user agent anywhere, and no database, is left as it came and not
// counted.
func TestNothingToEnrich(t *testing.T) {
	h := newHarness(t, nil)
	in := map[string]any{"service.name": "shop", "client.address": "203.0.113.9"}
	got := h.sentLogs(context.Background(), logsOf(in))
	assert.Equal(t, []map[string]any{in}, got)
	_, err := h.tel.GetMetric("otelcol_processor_clientinfo_resources_enriched")
	assert.Error(t, err, "no resource was enriched")
}

func TestBotsAreMarked(t *testing.T) {
	h := newHarness(t, nil)
	got := h.sentLogs(context.Background(), logsOf(map[string]any{"user_agent.original": googlebotUA}))
	require.Len(t, got, 1)
	assert.Equal(t, "bot", got[0]["user_agent.synthetic.type"])
	assert.Equal(t, "bot", got[0]["rum.device.type"])
	assert.Equal(t, "Googlebot", got[0]["user_agent.name"])
	assert.NotContains(t, got[0], "device.model.name")
}

// With drop_bots, a crawler's resource goes with its data, the others stay; a payload of
// crawlers only is not sent on at all. The SDK's own synthetic type counts too.
func TestDropBots(t *testing.T) {
	h := newHarness(t, func(cfg *Config) { cfg.DropBots = true })
	got := h.sentLogs(context.Background(), logsOf(
		map[string]any{"service.name": "a", "user_agent.original": googlebotUA},
		map[string]any{"service.name": "b", "user_agent.original": firefoxUA},
		map[string]any{"service.name": "c", "user_agent.synthetic.type": "bot"},
	))
	require.Len(t, got, 1)
	assert.Equal(t, "b", got[0]["service.name"])

	require.NoError(t, h.traces.ConsumeTraces(context.Background(), tracesOf(map[string]any{"user_agent.original": googlebotUA})))
	assert.Empty(t, h.spans.AllTraces(), "a payload of crawlers only is not sent on")
	metadatatest.AssertEqualProcessorClientinfoBotsDropped(t, h.tel, []metricdata.DataPoint[int64]{{Value: 3}}, ignoreTime...)
}

// Spans and metrics are enriched like logs.
func TestEveryResourceOfEverySignal(t *testing.T) {
	h := newHarness(t, nil)
	require.NoError(t, h.traces.ConsumeTraces(context.Background(), tracesOf(map[string]any{"user_agent.original": samsungUA})))
	require.NoError(t, h.metrics.ConsumeMetrics(context.Background(), metricsOf(map[string]any{"user_agent.original": firefoxUA})))
	require.Len(t, h.spans.AllTraces(), 1)
	require.Len(t, h.points.AllMetrics(), 1)
	spanRes := h.spans.AllTraces()[0].ResourceSpans().At(0).Resource().Attributes().AsRaw()
	metricRes := h.points.AllMetrics()[0].ResourceMetrics().At(0).Resource().Attributes().AsRaw()
	assert.Equal(t, "mobile", spanRes["rum.device.type"])
	assert.Equal(t, "desktop", metricRes["rum.device.type"])
	assert.Equal(t, 1, h.spans.AllTraces()[0].SpanCount(), "the span went on")
	h.assertEnriched(2)
}
