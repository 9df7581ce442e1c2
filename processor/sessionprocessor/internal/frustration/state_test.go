// Copyright The otelcol-rum Authors
// SPDX-License-Identifier: Apache-2.0

package frustration

import (
	"reflect"
	"strings"
	"testing"
	"time"
	"unsafe"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestStateIsSmallAndPointerFree: the store keeps one State per session, a million of
// them, in slabs the garbage collector must not scan.
func TestStateIsSmallAndPointerFree(t *testing.T) {
	size := unsafe.Sizeof(State{})
	t.Logf("unsafe.Sizeof(State{}) = %d bytes", size)
	assert.LessOrEqual(t, size, uintptr(56), "the size the README's memory figures count on")
	assertNoPointers(t, reflect.TypeFor[State]())
}

func assertNoPointers(t *testing.T, typ reflect.Type) {
	switch typ.Kind() {
	case reflect.Struct:
		for i := range typ.NumField() {
			assertNoPointers(t, typ.Field(i).Type)
		}
	case reflect.Array:
		assertNoPointers(t, typ.Elem())
	case reflect.Bool, reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64,
		reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64:
	default:
		t.Errorf("%s holds a %s", typ, typ.Kind())
	}
}

func TestConfig(t *testing.T) {
	def := Defaults()
	require.NoError(t, def.Validate())
	assert.Equal(t, Config{RageClicks: 4, RageWindow: time.Second, ErrorClickWindow: time.Second, MaxReorder: 30 * time.Second}, def)
	tests := []struct {
		key    string
		change func(*Config)
	}{
		{"rage_clicks", func(c *Config) { c.RageClicks = 1 }},
		{"rage_clicks", func(c *Config) { c.RageClicks = MaxRageClicks + 1 }},
		{"rage_window", func(c *Config) { c.RageWindow = 0 }},
		{"rage_window", func(c *Config) { c.RageWindow = time.Microsecond }},
		{"rage_window", func(c *Config) { c.RageWindow = MaxWindow + 1 }},
		{"error_click_window", func(c *Config) { c.ErrorClickWindow = -time.Second }},
		{"error_click_window", func(c *Config) { c.ErrorClickWindow = time.Hour }},
		{"max_reorder", func(c *Config) { c.MaxReorder = -1 }},
		{"max_reorder", func(c *Config) { c.MaxReorder = MaxReorderLimit + 1 }},
	}
	for _, tt := range tests {
		cfg := Defaults()
		tt.change(&cfg)
		err := cfg.Validate()
		require.Error(t, err)
		assert.True(t, strings.HasPrefix(err.Error(), "invalid "+tt.key+": "), err.Error())
	}
	edges := Config{RageClicks: MaxRageClicks, RageWindow: MaxWindow, ErrorClickWindow: time.Millisecond}
	assert.NoError(t, edges.Validate())
}

func TestNames(t *testing.T) {
	assert.Equal(t, "rage", Rage.String())
	assert.Equal(t, "error", ErrorClick.String())
	assert.Equal(t, "dead", DeadClick.String())
	assert.Empty(t, Kind(0).String())
	for o, name := range map[Outcome]string{Taken: "taken", Duplicate: "duplicate", Late: "late", Invalid: "invalid", 9: ""} {
		assert.Equal(t, name, o.String())
	}
}

func TestTargetHash(t *testing.T) {
	assert.Zero(t, TargetHash(""), "no target")
	// The FNV-1a test vectors, folded: the hash is saved, so it must never change.
	assert.Equal(t, uint32(0xaf63dc4c^0x8601ec8c), TargetHash("a"))
	assert.Equal(t, uint32(0x85944171^0xf73967e8), TargetHash("foobar"))
	assert.NotEqual(t, TargetHash("#buy"), TargetHash("#pay"))

	prefix := strings.Repeat("html > body > div#root > main > ", 40)
	long1, long2 := prefix+"button#buy", prefix+"button#pay"
	require.Greater(t, len(long1), MaxTargetHashed)
	assert.NotEqual(t, TargetHash(long1), TargetHash(long2), "long selectors differ at their ends")
	assert.NotEqual(t, TargetHash(long1), TargetHash(prefix+"x"+"button#buy"), "nor in their lengths")
	sameEnds := long1[:MaxTargetHashed/2] + strings.Repeat("y", len(long1)-MaxTargetHashed) + long1[len(long1)-MaxTargetHashed/2:]
	assert.Equal(t, TargetHash(long1), TargetHash(sameEnds), "the middle of a long target is not read")
}

// TestRunLongAgo: a run whose newest click is further before the newest anchor than the
// state counts in milliseconds (about 49 days) is over for every click the state can
// still take, as it would be at its true age.
func TestRunLongAgo(t *testing.T) {
	cfg := Defaults()
	cfg.MaxReorder = MaxReorderLimit
	day := int64(24 * time.Hour / time.Millisecond)
	var s State
	sigs, _ := feed(&s, cfg,
		click(0, "#a"), click(100, "#a"), click(200, "#a"),
		action(60*day, "#b", EffectSome),
		click(60*day-int64(MaxReorderLimit/time.Millisecond), "#a"), // as old as it may be: a new run
		click(60*day-int64(MaxReorderLimit/time.Millisecond)+100, "#a"),
	)
	assert.Empty(t, sigs)
	target, clicks, rage := s.Burst()
	assert.Equal(t, TargetHash("#a"), target)
	assert.Equal(t, 2, clicks, "the clicks of 30 days ago are no burst with those of 60 days ago")
	assert.False(t, rage)
	var again State
	_, err := again.Decode(s.Encode(nil))
	require.NoError(t, err)
	assert.Equal(t, s, again)
}
