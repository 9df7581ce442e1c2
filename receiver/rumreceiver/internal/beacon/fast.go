// Copyright The otelcol-rum Authors
// SPDX-License-Identifier: Apache-2.0

package beacon // import "github.com/otelcol-rum/otelcol-rum/receiver/rumreceiver/internal/beacon"

import (
	"github.com/otelcol-rum/otelcol-rum/receiver/rumreceiver/internal/jsonfast"
)

// metricKeys are the JSON keys of Metric, the only ones the fast path reads; the rest of a
// web-vitals object (entries, navigationURL, ...) is skipped without being decoded.
var metricKeys = []string{"name", "value", "delta", "id", "rating", "navigationType", "sessionId", "url", "app", "effectiveType"}

// decodeFast reads a body of one metric object or an array of them off a token stream.
// It reports false whenever encoding/json might decide differently (see jsonfast), and
// for any metric encoding/json would refuse: Decode then takes its exact path, which also
// words the errors. Validation is the same on both paths.
func decodeFast(body []byte) (*Beacon, bool) {
	it := jsonfast.Borrow(body)
	defer jsonfast.Return(it)
	b := &Beacon{}
	switch jsonfast.Kind(it) {
	case jsonfast.ObjectValue, jsonfast.ArrayValue:
	default:
		// Decode takes only objects and arrays; jsonfast.Array would read null as an
		// empty list, which the exact path refuses.
		return nil, false
	}
	if jsonfast.Kind(it) == jsonfast.ObjectValue {
		var m Metric
		readMetric(it, &m)
		if jsonfast.Failed(it) {
			return nil, false
		}
		b.Metrics = make([]Metric, 0, 1)
		b.add(0, m)
	} else {
		i := 0
		jsonfast.Array(it, func() {
			var m Metric
			readMetric(it, &m)
			if !jsonfast.Failed(it) {
				b.add(i, m)
			}
			i++
		})
	}
	if !jsonfast.Done(it) {
		return nil, false
	}
	return b, true
}

// readMetric reads one object into m as encoding/json would: null keeps a field's zero
// value, and a number is kept behind a pointer so that a missing value stays missing.
func readMetric(it *jsonfast.Iter, m *Metric) {
	if jsonfast.Kind(it) != jsonfast.ObjectValue {
		jsonfast.Decline(it) // null or another kind: the exact path words it
		return
	}
	jsonfast.Object(it, metricKeys, func(key string) {
		switch key {
		case "name":
			m.Name = jsonfast.String(it)
		case "value":
			m.Value = readNumber(it)
		case "delta":
			m.Delta = readNumber(it)
		case "id":
			m.ID = jsonfast.String(it)
		case "rating":
			m.Rating = jsonfast.String(it)
		case "navigationType":
			m.NavigationType = jsonfast.String(it)
		case "sessionId":
			m.SessionID = jsonfast.String(it)
		case "url":
			m.PageURL = jsonfast.String(it)
		case "app":
			m.AppName = jsonfast.String(it)
		case "effectiveType":
			m.EffectiveType = jsonfast.String(it)
		}
	})
}

func readNumber(it *jsonfast.Iter) *float64 {
	if jsonfast.IsNull(it) {
		return nil
	}
	f := jsonfast.Float(it)
	return &f
}
