// Copyright The otelcol-rum Authors
// SPDX-License-Identifier: Apache-2.0

// Package beacon decodes what the web-vitals library's metric object becomes after
// JSON.stringify: one object, or an array of them, posted to /vitals (usually by
// navigator.sendBeacon, so with Content-Type text/plain).
package beacon // import "github.com/otelcol-rum/otelcol-rum/receiver/rumreceiver/internal/beacon"

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"strings"

	"github.com/otelcol-rum/otelcol-rum/receiver/rumreceiver/internal/jsonerr"
)

// Metric is one web-vitals report. Identity fields that sendBeacon cannot send as headers
// may ride in the body next to the library's own fields.
type Metric struct {
	Name           string   `json:"name"`
	Value          *float64 `json:"value"`
	Delta          *float64 `json:"delta"`
	ID             string   `json:"id"`
	Rating         string   `json:"rating"`
	NavigationType string   `json:"navigationType"`

	// Optional fields a page may add to the object before sending it.
	SessionID string `json:"sessionId"`
	PageURL   string `json:"url"`
	AppName   string `json:"app"`
	// EffectiveType is navigator.connection.effectiveType, which web-vitals does not
	// report itself.
	EffectiveType string `json:"effectiveType"`
}

// Beacon is a decoded body: the metrics that were valid and a line per one that was not.
type Beacon struct {
	Metrics  []Metric
	Rejected []string
}

// knownNames are the vitals web-vitals 6 reports (FID was removed in v5 but older
// pages still send it).
var knownNames = map[string]bool{"LCP": true, "INP": true, "CLS": true, "FCP": true, "TTFB": true, "FID": true}

// Decode parses a beacon body.
func Decode(body []byte) (*Beacon, error) {
	body = bytes.TrimSpace(body)
	if len(body) == 0 {
		return nil, errors.New("empty body")
	}
	if body[0] == '{' || body[0] == '[' {
		if b, ok := decodeFast(body); ok {
			return b, nil
		}
	}
	return decodeExact(body)
}

// decodeExact decodes a trimmed, non-empty body with encoding/json.
func decodeExact(body []byte) (*Beacon, error) {
	b := &Beacon{}
	switch body[0] {
	case '{':
		// The common case, one metric from sendBeacon: a single pass.
		var m Metric
		if err := json.Unmarshal(body, &m); err != nil {
			var syn *json.SyntaxError
			if errors.As(err, &syn) {
				return nil, jsonerr.Describe(err)
			}
			b.Rejected = append(b.Rejected, fmt.Sprintf("metrics[0]: %v", jsonerr.Describe(err)))
			return b, nil
		}
		b.add(0, m)
	case '[':
		var raws []json.RawMessage
		if err := json.Unmarshal(body, &raws); err != nil {
			return nil, jsonerr.Describe(err)
		}
		b.Metrics = make([]Metric, 0, len(raws))
		for i, raw := range raws {
			var m Metric
			if err := json.Unmarshal(raw, &m); err != nil {
				b.Rejected = append(b.Rejected, fmt.Sprintf("metrics[%d]: %v", i, jsonerr.Describe(err)))
				continue
			}
			b.add(i, m)
		}
	default:
		return nil, fmt.Errorf("malformed JSON: expected an object or an array of web-vitals metrics, got %q", firstRune(body))
	}
	return b, nil
}

// add keeps m if it is valid and records why not otherwise.
func (b *Beacon) add(i int, m Metric) {
	if err := validate(&m); err != nil {
		b.Rejected = append(b.Rejected, fmt.Sprintf("metrics[%d]: %v", i, err))
		return
	}
	b.Metrics = append(b.Metrics, m)
}

func validate(m *Metric) error {
	m.Name = strings.ToUpper(m.Name)
	if !knownNames[m.Name] {
		return fmt.Errorf("unknown web vital name %q", m.Name)
	}
	if m.Value == nil {
		return errors.New("missing value")
	}
	if *m.Value < 0 {
		return fmt.Errorf("negative value %v", *m.Value)
	}
	if m.Delta == nil {
		m.Delta = m.Value
	}
	return nil
}

func firstRune(b []byte) string {
	if len(b) > 8 {
		b = b[:8]
	}
	return string(b)
}
