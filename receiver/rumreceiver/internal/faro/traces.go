// Copyright The otelcol-rum Authors
// SPDX-License-Identifier: Apache-2.0

package faro // import "github.com/otelcol-rum/otelcol-rum/receiver/rumreceiver/internal/faro"

import (
	"bytes"

	"go.opentelemetry.io/collector/pdata/ptrace"
)

// Traces are the spans a payload carries as OTLP/JSON. The fast decoder reads the OTLP/JSON
// that browser SDKs write straight into pdata as it meets it (otlpjson), which spares
// scanning the text twice and keeping a copy of it; otherwise the text is kept, and pdata's
// unmarshaler reads it later (Spans), as encoding/json leaves it.
type Traces struct {
	// Raw is the OTLP/JSON text when the spans were not read.
	Raw []byte
	// spans are the spans the fast decoder read, when isRead.
	spans  ptrace.Traces
	isRead bool
}

// UnmarshalJSON keeps the text for pdata's unmarshaler, as a json.RawMessage would.
func (t *Traces) UnmarshalJSON(data []byte) error {
	*t = Traces{Raw: bytes.Clone(data)}
	return nil
}

// Empty reports whether there are no traces to read: none, or null.
func (t *Traces) Empty() bool { return !t.isRead && len(t.Raw) == 0 }

// Spans returns the spans: those the fast decoder read, or those pdata reads from the
// text, with its error.
func (t *Traces) Spans() (ptrace.Traces, error) {
	if t.isRead {
		return t.spans, nil
	}
	return (&ptrace.JSONUnmarshaler{}).UnmarshalTraces(t.Raw)
}
