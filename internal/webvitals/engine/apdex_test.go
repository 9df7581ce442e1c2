// Copyright The otelcol-rum Authors
// SPDX-License-Identifier: Apache-2.0

package engine

import (
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestApdexThresholdsByRoute: the first pattern that matches a route template gives its
// thresholds, a threshold it leaves out is the global one, and other routes have the
// global ones.
func TestApdexThresholdsByRoute(t *testing.T) {
	th, err := newApdexThresholds(ApdexConfig{
		LoadThreshold: 500 * time.Millisecond, LCPThreshold: 2500 * time.Millisecond,
		Routes: []ApdexRoute{
			{Pattern: "/checkout/*", LoadThreshold: 2 * time.Second, LCPThreshold: 4 * time.Second},
			{Pattern: "/product/{id}", LoadThreshold: time.Second},
			{Pattern: "/product/*", LoadThreshold: 3 * time.Second},
		},
	})
	require.NoError(t, err)
	for _, c := range []struct {
		route     string
		load, lcp float64
	}{
		{"/checkout/pay", 2000, 4000},
		{"/product/{id}", 1000, 2500},
		{"/product/{id}/reviews", 3000, 2500},
		{"/", 500, 2500},
		{"{other}", 500, 2500},
	} {
		load, lcp := th.of(c.route)
		assert.InDelta(t, c.load, load, 0, c.route)
		assert.InDelta(t, c.lcp, lcp, 0, c.route)
	}
}
