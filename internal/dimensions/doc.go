// Copyright The otelcol-rum Authors
// SPDX-License-Identifier: Apache-2.0

// Package dimensions turns resource attributes into bounded labels of the metrics the
// webvitals and jserrors components emit: the browser, OS, device type and country a
// series is about. Each configured dimension keeps at most its max_values distinct values
// per service; further values are folded into Other, so that a flood of odd user agents
// costs one series more, not one per user agent. A value not seen for the series TTL is
// forgotten and its place goes to the next new value. An absent attribute gives no label,
// which Prometheus reads as the empty value.
//
// The components bound their series as a whole as well (max_series); this package bounds
// what each label may take.
package dimensions // import "github.com/otelcol-rum/otelcol-rum/internal/dimensions"
