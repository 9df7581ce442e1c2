// Copyright The otelcol-rum Authors
// SPDX-License-Identifier: Apache-2.0

package jserrorsprocessor

import (
	"context"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"go.opentelemetry.io/collector/pdata/pcommon"

	"github.com/otelcol-rum/otelcol-rum/internal/dimensions"
)

// TestDimensionsAreLabelsOfTheCounter: the configured resource attributes become labels
// of browser.errors, a browser past max_values is counted as "other", an absent one
// gives no label, and a dimension may be an attribute the default set leaves out.
func TestDimensionsAreLabelsOfTheCounter(t *testing.T) {
	cfg := testConfig()
	cfg.Dimensions = []dimensions.Dimension{{Name: "user_agent.name", MaxValues: 2}, {Name: "geo.country.iso_code", MaxValues: 250}, {Name: "browser.name", MaxValues: 5}}
	h := newHarness(t, cfg, nopSettings(), fakeParts(&fakeSymbolicator{}))
	for _, client := range [][]string{
		{"user_agent.name", "Chrome", "geo.country.iso_code", "BR"},
		{"user_agent.name", "Chrome", "geo.country.iso_code", "BR"},
		{"user_agent.name", "Firefox", "geo.country.iso_code", "DE"},
		{"user_agent.name", "Opera", "geo.country.iso_code", "DE"},
		{"user_agent.name", "Edge", "geo.country.iso_code", "DE"},
		{"browser.name", "Safari"},
	} {
		res := browserResource()
		for i := 0; i < len(client); i += 2 {
			res.Attributes().PutStr(client[i], client[i+1])
		}
		require.NoError(t, h.lp.ConsumeLogs(context.Background(), logsOf(res, exception(func(m pcommon.Map) {
			m.PutStr("exception.message", "boom")
		}))))
	}
	h.proc.emit(context.Background())

	counts := map[string]int64{}
	for _, p := range errorPoints(t, h.metrics) {
		a := p.Attributes().AsRaw()
		key := ""
		for _, k := range []string{"user_agent.name", "geo.country.iso_code", "browser.name"} {
			v, _ := a[k].(string)
			key += k + "=" + v + " "
		}
		counts[key] += p.IntValue()
	}
	assert.Equal(t, map[string]int64{
		"user_agent.name=Chrome geo.country.iso_code=BR browser.name= ":  2,
		"user_agent.name=Firefox geo.country.iso_code=DE browser.name= ": 1,
		"user_agent.name=other geo.country.iso_code=DE browser.name= ":   2,
		"user_agent.name= geo.country.iso_code= browser.name=Safari ":    1,
	}, counts)
}
