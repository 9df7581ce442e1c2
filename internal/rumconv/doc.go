// Copyright The otelcol-rum Authors
// SPDX-License-Identifier: Apache-2.0

// Package rumconv declares every name otelcol-rum writes into telemetry or reads from it:
// attribute keys, event names, span and span event names, and metric names. Each name is
// declared once, here, and every component uses the constant, so that renaming one is one
// edit; the golden files, which hold the names as the components' output, then show the
// change.
//
// The files say where each name comes from:
//
//   - semconv.go: names the OpenTelemetry semantic conventions define, spelled exactly as
//     they do;
//   - project.go: the project's own names, for facts the conventions have no name for
//     (rum.*, the session.end summary, browser.name and browser.version, the faro.*
//     attributes the receiver writes);
//   - faro.go: names the Grafana Faro web SDK puts in its data, which the receiver passes
//     on and the processors read;
//   - documentload.go: the span and span event names of the OpenTelemetry JS
//     document-load instrumentation;
//   - metrics.go: the metrics the components emit (all the project's own).
//
// The instrumentation scope of the data a component creates is named after the
// component's Go package, as the collector's components do; it is not declared here:
// mdatagen generates it with the component's metadata, as ScopeName in the component's
// internal/metadata package.
//
// The names are string constants rather than references to go.opentelemetry.io/otel/semconv,
// which is in the module graph: pdata maps take string keys, the newest semconv package
// there (v1.41.0) has neither the browser.web_vital attributes nor any of the event names
// used here, and one kind of declaration keeps every name readable in one form. A test
// holds each constant that a semconv package also defines to that package's spelling.
package rumconv // import "github.com/otelcol-rum/otelcol-rum/internal/rumconv"
