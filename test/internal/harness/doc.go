// Copyright The otelcol-rum Authors
// SPDX-License-Identifier: Apache-2.0

// Package harness runs the built otelcol-rum binary in tests: the processes (collector,
// backends) with their output kept for the failure report, an OTLP/HTTP sink standing in
// for a backend, the real SDK captures turned into unique requests, and the bookkeeping
// that tells which acknowledged record reached the sink. test/e2e and test/fault use it.
//
// Everything listens on and talks to 127.0.0.1 only.
package harness // import "github.com/otelcol-rum/otelcol-rum/test/internal/harness"
