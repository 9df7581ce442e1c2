// Copyright The otelcol-rum Authors
// SPDX-License-Identifier: Apache-2.0

package aggregate // import "github.com/otelcol-rum/otelcol-rum/internal/webvitals/aggregate"

import "github.com/otelcol-rum/otelcol-rum/internal/rumconv"

// ApdexThresholds returns the target times T (milliseconds) of a route template, for the
// page load duration and for LCP.
type ApdexThresholds func(route string) (load, lcp float64)

var apdexZones = [3]string{rumconv.ApdexZoneSatisfied, rumconv.ApdexZoneTolerating, rumconv.ApdexZoneFrustrated}

// apdexSource says which Apdex source a vital is, "" for a vital Apdex does not count.
func apdexSource(v *Vital) string {
	switch v.Name {
	case rumconv.MetricPageLoadDuration:
		return rumconv.ApdexSourceLoad
	case "lcp":
		return rumconv.ApdexSourceLCP
	}
	return ""
}

// apdexTarget returns the target time of a new series of v on route, 0 when Apdex does
// not count v.
func (a *Aggregator) apdexTarget(v *Vital, route string) float64 {
	if a.set.Apdex == nil {
		return 0
	}
	load, lcp := a.set.Apdex(route)
	switch apdexSource(v) {
	case rumconv.ApdexSourceLoad:
		return load
	case rumconv.ApdexSourceLCP:
		return lcp
	}
	return 0
}

// apdexZone is the index in apdexZones of value for the target time t: satisfied up to
// t, tolerating up to 4t, frustrated beyond.
func apdexZone(value, t float64) int {
	switch {
	case value <= t:
		return 0
	case value <= 4*t:
		return 1
	}
	return 2
}
