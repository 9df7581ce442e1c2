// Copyright The otelcol-rum Authors
// SPDX-License-Identifier: Apache-2.0

package sessionprocessor

import (
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/otelcol-rum/otelcol-rum/internal/handover"
)

func TestOffsetsRoundTrip(t *testing.T) {
	for _, next := range []map[string]int64{
		{},
		{logsTopic: 42},
		{logsTopic: 7, tracesTopic: 0, "rum_metrics": 1 << 40},
	} {
		got, err := decodeOffsets(encodeOffsets(next))
		require.NoError(t, err)
		assert.Equal(t, next, got)
	}
	assert.Equal(t, encodeOffsets(map[string]int64{"a": 1, "b": 2}), encodeOffsets(map[string]int64{"b": 2, "a": 1}), "one value for one state")
}

func TestOffsetsRejectDamage(t *testing.T) {
	good := encodeOffsets(map[string]int64{logsTopic: 7, tracesTopic: 9})
	for name, data := range map[string][]byte{
		"empty":     nil,
		"version":   append([]byte{9}, good[1:]...),
		"truncated": good[:len(good)-1],
		"trailing":  append(good[:len(good):len(good)], 0),
		"too many":  {offsetsVersion, 0xff, 0xff, 0x01},
		"long name": append([]byte{offsetsVersion, 1, 0xfa, 0x01}, strings.Repeat("t", 250)...),
		"twice":     {offsetsVersion, 2, 1, 't', 2, 1, 't', 4},
	} {
		_, err := decodeOffsets(data)
		assert.Error(t, err, name)
	}
}

// TestClaimWithoutOffsetsUsesTheStoreWatermark: checkpoints written without watermarks by
// topic (another writer of the protocol) fall back on the Store's single watermark, for
// every topic; damaged checkpoints are counted, not restored.
func TestClaimWithoutOffsetsUsesTheStoreWatermark(t *testing.T) {
	c := decodeClaim(&handover.Claim{Watermark: 12, Sessions: []handover.Checkpoint{
		{Key: "s1", Value: []byte("rss-not-a-value")},
		{Key: "s2", Value: nil},
	}})
	assert.Equal(t, map[string]int64{anyTopic: 12}, c.from)
	assert.Equal(t, 1, c.lost)
	assert.Empty(t, c.sessions)
	pt := partition{from: c.from}
	assert.Equal(t, int64(12), pt.startFrom(logsTopic))

	c = decodeClaim(&handover.Claim{Watermark: 12, Sessions: []handover.Checkpoint{{Key: offsetsKey, Value: encodeOffsets(map[string]int64{logsTopic: 3})}}})
	pt = partition{from: c.from}
	assert.Equal(t, int64(3), pt.startFrom(logsTopic))
	assert.Equal(t, int64(-1), pt.startFrom(tracesTopic), "a topic the previous owner never saw starts anywhere")
	assert.Equal(t, int64(-1), scalarWatermark(nil))
	assert.Equal(t, int64(9), scalarWatermark(map[string]int64{logsTopic: 3, tracesTopic: 9}))
}

// FuzzDecodeOffsets: no input makes the reader panic, and what it accepts encodes back
// to the same value.
func FuzzDecodeOffsets(f *testing.F) {
	f.Add(encodeOffsets(map[string]int64{logsTopic: 7, tracesTopic: 9}))
	f.Add(encodeOffsets(map[string]int64{}))
	f.Add([]byte{offsetsVersion, 1, 0xfa, 0x01, 't'})
	f.Fuzz(func(t *testing.T, data []byte) {
		next, err := decodeOffsets(data)
		if err != nil {
			return
		}
		require.LessOrEqual(t, len(next), maxOffsetsTopics)
		again, err := decodeOffsets(encodeOffsets(next))
		require.NoError(t, err)
		require.Equal(t, next, again)
	})
}
