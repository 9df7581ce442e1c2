// Copyright The otelcol-rum Authors
// SPDX-License-Identifier: Apache-2.0

package faro // import "github.com/otelcol-rum/otelcol-rum/receiver/rumreceiver/internal/faro"

import (
	"encoding/hex"
	"errors"
	"fmt"
	"time"
)

// Parsed holds what validation derives from an item's timestamp and trace context, so
// that later stages never meet an unparsed or invalid value.
type Parsed struct {
	// Time is the client timestamp; zero when the item had none.
	Time    time.Time
	TraceID [16]byte
	SpanID  [8]byte
}

var errBadTraceContext = errors.New("invalid trace context")

// parse validates the item's timestamp and trace context into Parsed.
func (b *ItemBase) parse() (err error) {
	b.Parsed, err = parseCommon(b.Timestamp, b.Trace)
	return err
}

func parseCommon(ts string, tc *TraceContext) (Parsed, error) {
	var p Parsed
	if ts != "" {
		t, err := time.Parse(time.RFC3339Nano, ts)
		if err != nil {
			return p, fmt.Errorf("invalid timestamp %q: want RFC 3339", ts)
		}
		p.Time = t
	}
	if tc == nil || (tc.TraceID == "" && tc.SpanID == "") {
		return p, nil
	}
	if len(tc.TraceID) != 2*len(p.TraceID) || len(tc.SpanID) != 2*len(p.SpanID) {
		return p, fmt.Errorf("%w: trace_id %q, span_id %q", errBadTraceContext, tc.TraceID, tc.SpanID)
	}
	if _, err := hex.Decode(p.TraceID[:], []byte(tc.TraceID)); err != nil {
		return p, fmt.Errorf("%w: trace_id %q", errBadTraceContext, tc.TraceID)
	}
	if _, err := hex.Decode(p.SpanID[:], []byte(tc.SpanID)); err != nil {
		return p, fmt.Errorf("%w: span_id %q", errBadTraceContext, tc.SpanID)
	}
	return p, nil
}
