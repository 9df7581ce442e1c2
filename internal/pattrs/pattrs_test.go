// Copyright The otelcol-rum Authors
// SPDX-License-Identifier: Apache-2.0

package pattrs

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"go.opentelemetry.io/collector/pdata/pcommon"
)

func TestPutRules(t *testing.T) {
	m := pcommon.NewMap()
	m.PutStr("kept", "original")
	PutNonEmpty(m, "empty", "")
	PutNonEmpty(m, "set", "v")
	PutIfAbsent(m, "kept", func() string { t.Error("the value of a key present was made"); return "other" })
	PutIfAbsent(m, "added", func() string { return "new" })
	PutIfAbsent(m, "none", func() string { return "" })
	assert.Equal(t, map[string]any{"kept": "original", "set": "v", "added": "new"}, m.AsRaw())
}

func TestStr(t *testing.T) {
	m := pcommon.NewMap()
	m.PutStr("s", "v")
	m.PutInt("i", 42)
	assert.Equal(t, "v", Str(m, "s"))
	assert.Equal(t, "42", Str(m, "i"), "an id sent as a number still reads")
	assert.Empty(t, Str(m, "missing"))
}

func TestFloat(t *testing.T) {
	m := pcommon.NewMap()
	m.PutDouble("d", 1.5)
	m.PutInt("i", 42)
	m.PutStr("s", "7")
	m.PutBool("b", true)
	for key, want := range map[string]float64{"d": 1.5, "i": 42} {
		got, ok := Float(m, key)
		assert.True(t, ok, key)
		assert.InDelta(t, want, got, 0, key)
	}
	for _, key := range []string{"s", "b", "missing"} {
		got, ok := Float(m, key)
		assert.False(t, ok, "%s is not a number", key)
		assert.Zero(t, got, key)
	}
}

func TestPageURL(t *testing.T) {
	m := pcommon.NewMap()
	assert.Empty(t, PageURL(m))
	m.PutStr("http.url", "https://shop/old")
	assert.Equal(t, "https://shop/old", PageURL(m), "older conventions")
	m.PutStr("url.full", "https://shop/new")
	assert.Equal(t, "https://shop/new", PageURL(m), "url.full first")
}
