// Copyright The otelcol-rum Authors
// SPDX-License-Identifier: Apache-2.0

// Package otlpjson reads the OTLP/JSON traces that a Faro payload carries straight into
// pdata, over the jsonfast scanner.
//
// Why: a Faro batch with a fetch span spends more on those spans than on all of its own
// items: pdata's JSON unmarshaler reads each key and value through jsoniter, allocates
// every string twice (a Go string, then the attribute value) and grows every list by
// doubling. Reading the known keys off the body's bytes and building each attribute map
// once at its size costs a fraction of that.
//
// The reader is an optimisation only, as the Faro fast decoder is: it takes the OTLP/JSON
// that browser SDKs write (camelCase keys, ids as hex, times as decimal strings, string,
// bool, int and array values) and declines everything else, so that
// ptrace.JSONUnmarshaler decodes it as before. It never accepts what pdata refuses and
// never decodes differently; FuzzReadTracesAgrees holds it to that.
package otlpjson // import "github.com/otelcol-rum/otelcol-rum/receiver/rumreceiver/internal/otlpjson"
