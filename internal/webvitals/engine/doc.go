// Copyright The otelcol-rum Authors
// SPDX-License-Identifier: Apache-2.0

// Package engine is what the webvitals processor and the webvitals connector share: it
// reads Web Vitals measurements and page load timings out of metrics, logs and traces,
// aggregates them into histograms by route, annotates web-vital records with the route
// and rating, and emits the histograms on an interval into a metrics consumer.
//
// The two components differ only in where measurements are counted from (see Source):
// the processor counts the rum receiver's per-measurement metric points, which have a
// log record twin that must not be counted again; the connector counts the log records.
package engine // import "github.com/otelcol-rum/otelcol-rum/internal/webvitals/engine"
