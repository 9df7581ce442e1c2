// Copyright The otelcol-rum Authors
// SPDX-License-Identifier: Apache-2.0

package faro // import "github.com/otelcol-rum/otelcol-rum/receiver/rumreceiver/internal/faro"

import (
	"bytes"
	"encoding/json"
	"sort"
)

// Attr is one key/value pair of a Faro context or attribute map.
type Attr struct {
	Key   string
	Value string
}

// Attrs is a Faro string map. The SDK types it as Record<string, string>, but user code
// puts numbers, booleans and objects in it too: those are kept as their JSON text rather
// than failing the item. Pairs are sorted by key so output is deterministic.
type Attrs []Attr

// Get returns the value of key.
func (a Attrs) Get(key string) (string, bool) {
	for _, kv := range a {
		if kv.Key == key {
			return kv.Value, true
		}
	}
	return "", false
}

// UnmarshalJSON accepts an object (or null) whose values are of any JSON type.
func (a *Attrs) UnmarshalJSON(data []byte) error {
	if bytes.Equal(bytes.TrimSpace(data), []byte("null")) {
		*a = nil
		return nil
	}
	var raw map[string]json.RawMessage
	if err := json.Unmarshal(data, &raw); err != nil {
		return err
	}
	out := make(Attrs, 0, len(raw))
	for k, v := range raw {
		var s string
		if len(v) > 0 && v[0] == '"' {
			if err := json.Unmarshal(v, &s); err != nil {
				return err
			}
		} else {
			s = string(v)
		}
		out = append(out, Attr{Key: k, Value: s})
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Key < out[j].Key })
	*a = out
	return nil
}

// Brands is navigator.userAgentData.brands as Faro sends it: a list of {brand, version}
// objects, or a plain string where the browser has no client hints.
type Brands []string

// UnmarshalJSON accepts both shapes.
func (b *Brands) UnmarshalJSON(data []byte) error {
	data = bytes.TrimSpace(data)
	switch {
	case len(data) == 0 || bytes.Equal(data, []byte("null")):
		*b = nil
		return nil
	case data[0] == '"':
		var s string
		if err := json.Unmarshal(data, &s); err != nil {
			return err
		}
		if !noBrands(s) {
			*b = Brands{s}
		}
		return nil
	}
	var list []brandEntry
	if err := json.Unmarshal(data, &list); err != nil {
		return err
	}
	out := make(Brands, 0, len(list))
	for _, e := range list {
		out = append(out, e.text())
	}
	*b = out
	return nil
}

// The rules below are shared with readBrands, the fast decoder, so that both decode alike.

// noBrands reports whether the string form names no brand: empty, or the "unknown" that
// Faro sends where the browser has no client hints.
func noBrands(s string) bool { return s == "" || s == "unknown" }

// text is the entry as one string: "Chromium 156", or the bare brand.
func (e brandEntry) text() string {
	if e.Version != "" {
		return e.Brand + " " + e.Version
	}
	return e.Brand
}
