// Copyright The otelcol-rum Authors
// SPDX-License-Identifier: Apache-2.0

// Package pattrs holds the two attribute-writing rules every otelcol-rum component uses
// (never write an empty value, and never overwrite what the data already says) and the
// attribute readers they share.
package pattrs // import "github.com/otelcol-rum/otelcol-rum/internal/pattrs"

import (
	"strings"
	"unicode/utf8"

	"go.opentelemetry.io/collector/pdata/pcommon"

	"github.com/otelcol-rum/otelcol-rum/internal/rumconv"
)

// PutNonEmpty sets key unless value is empty.
func PutNonEmpty(m pcommon.Map, key, value string) {
	if value != "" {
		m.PutStr(key, value)
	}
}

// PutIfAbsent sets key to value() where m does not have key yet, unless value() is
// empty. value is called only then, so that a value that costs a copy is made only when
// it is written.
func PutIfAbsent(m pcommon.Map, key string, value func() string) {
	if _, ok := m.Get(key); !ok {
		PutNonEmpty(m, key, value())
	}
}

// Str returns the value of key as a string: "" when absent, a non-string value in its
// textual form (a client may send an id as a number).
func Str(m pcommon.Map, key string) string {
	if v, ok := m.Get(key); ok {
		return v.AsString()
	}
	return ""
}

// Float returns the value of key as a number: a double, or an int widened to float64.
// ok is false when key is absent or holds another type; a numeric string is not read as
// a number.
func Float(m pcommon.Map, key string) (value float64, ok bool) {
	v, ok := m.Get(key)
	if !ok {
		return 0, false
	}
	switch v.Type() {
	case pcommon.ValueTypeDouble:
		return v.Double(), true
	case pcommon.ValueTypeInt:
		return float64(v.Int()), true
	}
	return 0, false
}

// FromFaro reports whether a resource describes data from the Grafana Faro web SDK. Faro's
// own resource says telemetry.sdk.name=faro-web; the OTLP spans it embeds keep the OTel
// SDK's name and say telemetry.distro.name=faro-web-sdk instead.
func FromFaro(res pcommon.Map) bool {
	return strings.HasPrefix(Str(res, rumconv.AttrTelemetrySDKName), "faro") || strings.HasPrefix(Str(res, rumconv.AttrTelemetryDistroName), "faro")
}

// PageURL is the page a record happened on: url.full, or http.url from SDKs on older
// semantic conventions.
func PageURL(attrs pcommon.Map) string {
	if u := Str(attrs, rumconv.AttrURLFull); u != "" {
		return u
	}
	return Str(attrs, rumconv.AttrHTTPURL)
}

// Clip cuts s to at most n bytes at a rune boundary: a label's bound, where the browser
// chose the value.
func Clip(s string, n int) string {
	if len(s) <= n {
		return s
	}
	cut := n
	for cut > 0 && !utf8.RuneStart(s[cut]) {
		cut--
	}
	return s[:cut]
}
