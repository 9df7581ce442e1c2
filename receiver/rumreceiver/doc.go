// Copyright The otelcol-rum Authors
// SPDX-License-Identifier: Apache-2.0

//go:generate go tool -modfile=../../internal/tools/go.mod mdatagen metadata.yaml

// Package rumreceiver receives Real User Monitoring beacons from browser SDKs (Grafana Faro,
// the OpenTelemetry JS web SDK over OTLP/HTTP, and the web-vitals library) and turns them
// into OpenTelemetry traces, logs and metrics.
package rumreceiver // import "github.com/otelcol-rum/otelcol-rum/receiver/rumreceiver"
