// Copyright The otelcol-rum Authors
// SPDX-License-Identifier: Apache-2.0

package clientinfoprocessor

import (
	"context"
	"strconv"
	"sync/atomic"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"go.opentelemetry.io/otel/sdk/metric/metricdata"

	"github.com/otelcol-rum/otelcol-rum/processor/clientinfoprocessor/internal/metadatatest"
)

// fakeClock is a clock that moves only when the test says so.
type fakeClock struct{ nanos atomic.Int64 }

func newFakeClock() *fakeClock {
	c := &fakeClock{}
	c.nanos.Store(time.Date(2026, 6, 1, 12, 0, 0, 0, time.UTC).UnixNano())
	return c
}

func (c *fakeClock) now() time.Time          { return time.Unix(0, c.nanos.Load()) }
func (c *fakeClock) advance(d time.Duration) { c.nanos.Add(int64(d)) }

// madeUpAgents are n distinct User-Agent strings, as a flood would send them.
func madeUpAgents(n int) []map[string]any {
	out := make([]map[string]any, n)
	for i := range out {
		out[i] = map[string]any{"user_agent.original": firefoxUA + " flood/" + strconv.Itoa(i)}
	}
	return out
}

func (h *harness) assertUnparsed(want int64) {
	h.t.Helper()
	metadatatest.AssertEqualProcessorClientinfoUserAgentsUnparsed(h.t, h.tel, []metricdata.DataPoint[int64]{{Value: want}}, ignoreTime...)
}

// TestUncachedParsesAreBounded: within one second no more new strings are parsed than
// max_uncached_per_second; the others go on unparsed, counted, and are parsed once the
// budget refills.
func TestUncachedParsesAreBounded(t *testing.T) {
	h := newHarness(t, func(c *Config) { c.UserAgent.MaxUncachedPerSecond = 2 })
	clock := newFakeClock()
	h.processor().uncached.now = clock.now

	flood := madeUpAgents(5)
	got := h.sentLogs(context.Background(), logsOf(flood...))
	require.Len(t, got, 5, "nothing is dropped")
	for i, res := range got {
		assert.Equal(t, flood[i]["user_agent.original"], res["user_agent.original"], "the string is kept")
		if i < 2 {
			assert.Equal(t, "Firefox", res["user_agent.name"], "within the budget: parsed")
		} else {
			assert.NotContains(t, res, "user_agent.name", "past the budget: left unparsed")
			assert.NotContains(t, res, "rum.device.type")
		}
	}
	h.assertUnparsed(3)
	h.assertEnriched(2)

	clock.advance(time.Second)
	got = h.sentLogs(context.Background(), logsOf(flood[2:5]...))
	assert.Equal(t, "Firefox", got[0]["user_agent.name"], "a second later the budget has refilled")
	assert.Equal(t, "Firefox", got[1]["user_agent.name"])
	assert.NotContains(t, got[2], "user_agent.name", "the refill is one second's worth")
	h.assertUnparsed(4)
}

// TestCachedAgentsAreNeverRefused: with the budget spent, strings already parsed are
// still enriched, however many resources carry them.
func TestCachedAgentsAreNeverRefused(t *testing.T) {
	h := newHarness(t, func(c *Config) { c.UserAgent.MaxUncachedPerSecond = 1 })
	h.processor().uncached.now = newFakeClock().now

	known := map[string]any{"user_agent.original": samsungUA}
	h.sentLogs(context.Background(), logsOf(known))
	h.sentLogs(context.Background(), logsOf(madeUpAgents(3)...))
	h.assertUnparsed(3)

	many := make([]map[string]any, 100)
	for i := range many {
		many[i] = known
	}
	for _, res := range h.sentLogs(context.Background(), logsOf(many...)) {
		assert.Equal(t, "Samsung Internet", res["user_agent.name"])
		assert.Equal(t, "mobile", res["rum.device.type"])
	}
	h.assertUnparsed(3)
	h.assertEnriched(101)
}
