// Copyright The otelcol-rum Authors
// SPDX-License-Identifier: Apache-2.0

//go:generate go tool -modfile=../../internal/tools/go.mod mdatagen metadata.yaml

// Package jserrorsprocessor makes JavaScript errors readable and countable: it turns the
// minified stack traces of exception log records and exception span events back into
// source with source maps, gives every error a group that two occurrences of one bug
// share, and emits the browser.errors counter by route, group and release, with
// exemplars that lead to the trace and the session of an error.
package jserrorsprocessor // import "github.com/otelcol-rum/otelcol-rum/processor/jserrorsprocessor"
