// Copyright The otelcol-rum Authors
// SPDX-License-Identifier: Apache-2.0

package jserrorsprocessor // import "github.com/otelcol-rum/otelcol-rum/processor/jserrorsprocessor"

import (
	"context"

	"github.com/otelcol-rum/otelcol-rum/internal/jsstack"
	"github.com/otelcol-rum/otelcol-rum/internal/sourcemaps"
)

// symbolicator turns the frames of a minified stack trace back into source: the source
// map store (sourcemaps.Store) in the collector, a fake in the tests that are about
// what this processor does with the outcome (time budgets, failures, counting).
type symbolicator interface {
	// Symbolicate looks up every frame of t that names a script in the maps of app's
	// release and returns the trace with the resolved frames replaced. It returns at
	// ctx's deadline at the latest.
	Symbolicate(ctx context.Context, app, release string, t jsstack.Trace) (jsstack.Trace, sourcemaps.SymbolicationResult)
}

// grouper computes the error group id (errorgroup.Grouper).
type grouper interface {
	ID(excType, message string, frames []jsstack.Frame) string
}

// parts are what reads an exception, and what releases them at shutdown.
type parts struct {
	symbolicator symbolicator
	grouper      grouper
	// close releases what the parts hold (the store's loads in flight); may be nil.
	close func()
}

// newPartsFunc builds the parts once the processor's telemetry exists, which the source
// map store reports to.
type newPartsFunc func(obs sourcemaps.Observer) (parts, error)
