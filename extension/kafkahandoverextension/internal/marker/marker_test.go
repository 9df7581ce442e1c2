// Copyright The otelcol-rum Authors
// SPDX-License-Identifier: Apache-2.0

package marker

import (
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestRoundTrip(t *testing.T) {
	for _, m := range []Marker{
		{Kind: Claim, Owner: "host-a/0123456789abcdef", Watermark: 0},
		{Kind: Claim, Owner: "a", Watermark: 1<<62 + 3},
		{Kind: Request, Owner: "host-b/1", Watermark: -1},
		{Kind: Release, Owner: strings.Repeat("h", MaxOwnerLen), Watermark: 42},
	} {
		b, err := m.Encode()
		require.NoError(t, err)
		got, err := Decode(b)
		require.NoError(t, err)
		assert.Equal(t, m, got)
	}
}

// TestEncodingIsStable pins version 1's bytes: a change here breaks markers already on
// a topic.
func TestEncodingIsStable(t *testing.T) {
	b, err := Marker{Kind: Release, Owner: "ab", Watermark: 300}.Encode()
	require.NoError(t, err)
	assert.Equal(t, []byte{1, 3, 0xd8, 0x04, 2, 'a', 'b'}, b)
}

func TestDecodeRefuses(t *testing.T) {
	for name, b := range map[string][]byte{
		"empty":            {},
		"version 0":        {0, 1, 0, 1, 'a'},
		"only a version":   {1},
		"kind 0":           {1, 0, 0, 1, 'a'},
		"kind 4":           {1, 4, 0, 1, 'a'},
		"no watermark":     {1, 1},
		"watermark -2":     {1, 1, 3, 1, 'a'},
		"no owner length":  {1, 1, 0},
		"owner cut short":  {1, 1, 0, 5, 'a'},
		"empty owner":      {1, 1, 0, 0},
		"owner not UTF-8":  {1, 1, 0, 1, 0xff},
		"trailing bytes":   {1, 1, 0, 1, 'a', 9},
		"endless varint":   {1, 1, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80},
		"owner too long":   append([]byte{1, 1, 0, 0x81, 0x04}, []byte(strings.Repeat("a", MaxOwnerLen+1))...),
		"huge owner claim": {1, 1, 0, 0xff, 0xff, 0xff, 0xff, 0x0f, 'a'},
	} {
		t.Run(name, func(t *testing.T) {
			_, err := Decode(b)
			assert.Error(t, err)
		})
	}
}

// TestLaterVersionsKeepTheirPrefix: a reader of version 1 takes a later marker that appends
// fields, as the Version comment promises.
func TestLaterVersionsKeepTheirPrefix(t *testing.T) {
	got, err := Decode([]byte{2, 1, 20, 1, 'a', 7, 7, 7})
	require.NoError(t, err)
	assert.Equal(t, Marker{Kind: Claim, Owner: "a", Watermark: 10}, got)
}

func TestEncodeRefusesWhatDecodeWould(t *testing.T) {
	for _, m := range []Marker{
		{Kind: 9, Owner: "a"},
		{Kind: Claim},
		{Kind: Claim, Owner: "a", Watermark: -5},
	} {
		_, err := m.Encode()
		assert.Error(t, err, "%+v", m)
	}
}

func TestKeys(t *testing.T) {
	assert.Equal(t, RequestKey, Request.Key())
	assert.Equal(t, OwnershipKey, Claim.Key())
	assert.Equal(t, OwnershipKey, Release.Key())
	for _, k := range []string{OwnershipKey, RequestKey} {
		assert.True(t, strings.HasPrefix(k, ReservedPrefix))
		assert.False(t, utf8.ValidString(k), "a marker key must not be valid UTF-8, so no session id equals it")
	}
	assert.NotEqual(t, OwnershipKey, RequestKey)
}

// FuzzDecode: no input makes the decoder panic; what it accepts is a valid marker, and
// the markers it accepts survive a round trip.
func FuzzDecode(f *testing.F) {
	for _, m := range []Marker{
		{Kind: Claim, Owner: "collector-0/9f86d081884c7d65", Watermark: 1234},
		{Kind: Request, Owner: "collector-1/2c26b46b68ffc68f", Watermark: -1},
		{Kind: Release, Owner: "x", Watermark: 0},
	} {
		b, err := m.Encode()
		require.NoError(f, err)
		f.Add(b)
	}
	f.Add([]byte{})
	f.Add([]byte{2, 3, 0, 1, 'a', 0})
	f.Add([]byte{1, 1, 0x80})
	f.Fuzz(func(t *testing.T, b []byte) {
		m, err := Decode(b)
		if err != nil {
			return
		}
		require.Contains(t, []Kind{Claim, Request, Release}, m.Kind)
		require.NotEmpty(t, m.Owner)
		require.LessOrEqual(t, len(m.Owner), MaxOwnerLen)
		require.GreaterOrEqual(t, m.Watermark, int64(-1))
		again, err := m.Encode()
		require.NoError(t, err)
		back, err := Decode(again)
		require.NoError(t, err)
		require.Equal(t, m, back)
	})
}
