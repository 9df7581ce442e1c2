// Copyright The otelcol-rum Authors
// SPDX-License-Identifier: Apache-2.0

package faro // import "github.com/otelcol-rum/otelcol-rum/receiver/rumreceiver/internal/faro"

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"

	"github.com/otelcol-rum/otelcol-rum/receiver/rumreceiver/internal/jsonerr"
)

// ErrEmpty is returned for a body that holds no JSON value at all.
var ErrEmpty = errors.New("empty body")

// Payload is one Faro request body. Items are kept per kind; traces are OTLP/JSON, read
// into pdata by the fast decoder or by pdata's unmarshaler (Traces).
type Payload struct {
	Meta         Meta
	Logs         []Log
	Exceptions   []Exception
	Measurements []Measurement
	Events       []Event
	Traces       Traces
	// Rejected describes the items that could not be decoded, one line each.
	Rejected []string
}

// envelope is the top level with items left raw, so that one item of the wrong shape is
// dropped alone instead of failing the whole request: the slow path.
type envelope struct {
	Meta         json.RawMessage   `json:"meta"`
	Logs         []json.RawMessage `json:"logs"`
	Exceptions   []json.RawMessage `json:"exceptions"`
	Measurements []json.RawMessage `json:"measurements"`
	Events       []json.RawMessage `json:"events"`
	Traces       json.RawMessage   `json:"traces"`
}

// Decode parses a Faro payload. It fails only when the body is not a JSON object of the
// Faro shape or its meta is unreadable; items that fail to decode or validate are listed
// in Payload.Rejected and left out.
//
// Three paths, fastest first: the hand-written decoder (decodeFast) for the usual valid
// body; encoding/json in one pass when decodeFast declines; encoding/json item by item
// when some item has the wrong shape, so that it alone is dropped.
func Decode(body []byte) (*Payload, error) {
	p := new(Payload)
	if err := DecodeInto(body, p); err != nil {
		return nil, err
	}
	return p, nil
}

// DecodeInto is Decode into p, which the caller may keep on its stack: a payload is
// about 600 bytes, one allocation per request otherwise. p must be zero.
func DecodeInto(body []byte, p *Payload) error {
	if len(bytes.TrimSpace(body)) == 0 {
		return ErrEmpty
	}
	if t, ok := decodeFast(body); ok {
		fromTyped(p, &t)
		return nil
	}
	t, err := decodeTyped(body)
	if err == nil {
		fromTyped(p, &t)
		return nil
	}
	var typeErr *json.UnmarshalTypeError
	if !errors.As(err, &typeErr) {
		return jsonerr.Describe(err)
	}
	return decodeSlow(body, p)
}

// decodeTyped is the exact encoding/json decoding of a whole payload.
func decodeTyped(body []byte) (t typed, err error) {
	err = json.Unmarshal(body, &t)
	return t, err
}

// fromTyped validates the items of a payload decoded in one pass, into p.
func fromTyped(p *Payload, t *typed) {
	p.Meta, p.Traces = t.Meta, t.Traces
	p.Traces.Raw = nonNull(p.Traces.Raw)
	p.Logs = validItems(t.Logs, "logs", &p.Rejected, validateLog)
	p.Exceptions = validItems(t.Exceptions, "exceptions", &p.Rejected, validateException)
	p.Measurements = validItems(t.Measurements, "measurements", &p.Rejected, validateMeasurement)
	p.Events = validItems(t.Events, "events", &p.Rejected, validateEvent)
}

// decodeSlow decodes item by item into p, to find and drop the items of the wrong shape.
func decodeSlow(body []byte, p *Payload) error {
	var env envelope
	if err := json.Unmarshal(body, &env); err != nil {
		return jsonerr.Describe(err)
	}
	p.Traces = Traces{Raw: nonNull(env.Traces)}
	if len(env.Meta) > 0 {
		// Into a Meta of its own, which escapes to encoding/json, so that p does not.
		meta := new(Meta)
		if err := json.Unmarshal(env.Meta, meta); err != nil {
			return fmt.Errorf("meta: %w", jsonerr.Describe(err))
		}
		p.Meta = *meta
	}
	p.Logs = decodeItems(env.Logs, "logs", &p.Rejected, validateLog)
	p.Exceptions = decodeItems(env.Exceptions, "exceptions", &p.Rejected, validateException)
	p.Measurements = decodeItems(env.Measurements, "measurements", &p.Rejected, validateMeasurement)
	p.Events = decodeItems(env.Events, "events", &p.Rejected, validateEvent)
	return nil
}

func nonNull(raw json.RawMessage) json.RawMessage {
	if t := bytes.TrimSpace(raw); len(t) == 0 || bytes.Equal(t, []byte("null")) {
		return nil
	}
	return raw
}

// validItems keeps the items that validate, in place.
func validItems[T any](items []T, kind string, rejected *[]string, validate func(*T) error) []T {
	out := items[:0]
	for i := range items {
		if err := validate(&items[i]); err != nil {
			*rejected = append(*rejected, fmt.Sprintf("%s[%d]: %v", kind, i, err))
			continue
		}
		out = append(out, items[i])
	}
	if len(out) == 0 {
		return nil
	}
	return out
}

func decodeItems[T any](raw []json.RawMessage, kind string, rejected *[]string, validate func(*T) error) []T {
	if len(raw) == 0 {
		return nil
	}
	out := make([]T, 0, len(raw))
	for i, r := range raw {
		var item T
		err := json.Unmarshal(r, &item)
		if err == nil {
			err = validate(&item)
		}
		if err != nil {
			*rejected = append(*rejected, fmt.Sprintf("%s[%d]: %v", kind, i, jsonerr.Describe(err)))
			continue
		}
		out = append(out, item)
	}
	return out
}

func validateLog(l *Log) error {
	return l.parse()
}

func validateException(e *Exception) error {
	if e.Type == "" && e.Value == "" {
		return errors.New("exception has neither type nor value")
	}
	return e.parse()
}

func validateMeasurement(m *Measurement) error {
	if m.Type == "" {
		return errors.New("measurement has no type")
	}
	if len(m.Values) == 0 {
		return errors.New("measurement has no values")
	}
	return m.parse()
}

func validateEvent(e *Event) error {
	if e.Name == "" {
		return errors.New("event has no name")
	}
	return e.parse()
}
