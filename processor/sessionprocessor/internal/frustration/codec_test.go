// Copyright The otelcol-rum Authors
// SPDX-License-Identifier: Apache-2.0

package frustration

import (
	"bytes"
	"encoding/binary"
	"encoding/hex"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// states are states a session can be in, built by events.
func states() map[string]State {
	cfg := Defaults()
	build := func(evs ...ev) State {
		var s State
		feed(&s, cfg, evs...)
		return s
	}
	return map[string]State{
		"empty":         {},
		"one click":     build(click(0, "#a")),
		"rage":          build(click(0, "#a"), click(100, "#a"), click(200, "#a"), click(300, "#a"), click(400, "#a")),
		"full run":      build(click(0, "#a"), click(10, "#a"), click(20, "#a"), click(30, "#a"), click(40, "#a"), click(50, "#a"), click(60, "#a"), click(70, "#a"), click(80, "#a")),
		"run after b":   build(click(0, "#b"), click(100, "#a"), click(200, "#a")),
		"error click":   build(click(0, "#a"), exception(10)),
		"late error":    build(exception(500), click(0, "#a")),
		"error alone":   build(exception(500)),
		"dead action":   build(action(0, "#a", EffectNone), click(100, "")),
		"two anchors":   build(click(0, "#a"), action(200, "#b", EffectSome), exception(250), exception(100)),
		"unknown click": build(click(0, "")),
	}
}

func TestEncodeDecodeRoundTrip(t *testing.T) {
	trailer := []byte("next field")
	for name, s := range states() {
		t.Run(name, func(t *testing.T) {
			b := s.Encode([]byte("prefix"))
			require.True(t, bytes.HasPrefix(b, []byte("prefix")), "Encode appends")
			var got State
			rest, err := got.Decode(append(b[len("prefix"):], trailer...))
			require.NoError(t, err)
			assert.Equal(t, s, got)
			assert.Equal(t, trailer, rest)
			t.Logf("%d bytes", len(b)-len("prefix"))
		})
	}
	var empty State
	assert.Equal(t, []byte{encodingEmpty}, empty.Encode(nil), "a session without clicks costs a byte")
}

// TestDecodeRefusesDamage: every strict prefix of a saved state, and values no sequence
// of events makes, fail and leave the state empty.
func TestDecodeRefusesDamage(t *testing.T) {
	full := states()["two anchors"]
	enc := full.Encode(nil)
	for n := range len(enc) {
		s := full
		_, err := s.Decode(enc[:n])
		require.Error(t, err, "prefix of %d bytes", n)
		assert.Equal(t, State{}, s)
	}

	v2 := func(flags byte, anchors [2]uint64, lastError uint64, target uint32, runLast, clicks, floor uint64, ago ...uint64) []byte {
		b := []byte{encodingV2, flags}
		for _, v := range []uint64{anchors[0], anchors[1], lastError} {
			b = binary.AppendUvarint(b, v)
		}
		b = binary.LittleEndian.AppendUint32(b, target)
		for _, v := range []uint64{runLast, clicks, floor} {
			b = binary.AppendUvarint(b, v)
		}
		b = append(b, byte(len(ago)))
		for _, v := range ago {
			b = binary.AppendUvarint(b, v)
		}
		return b
	}
	var ok State
	_, err := ok.Decode(v2(anchorClick, [2]uint64{10 * uint64(msec), 5}, 0, 7, 1, 3, 0, 1, 2))
	require.NoError(t, err, "the helper writes what Encode writes")

	bad := map[string][]byte{
		"unknown encoding":        {3},
		"run after newest click":  v2(anchorClick, [2]uint64{10 * uint64(msec), 5}, 0, 7, 11, 3, 0, 1, 2),
		"anchors out of order":    v2(0, [2]uint64{5, 10}, 0, 0, 0, 0, 0),
		"flags of no anchor":      v2(anchorClick<<anchorBits, [2]uint64{5 * uint64(msec), 0}, 0, 0, 0, 0, 0),
		"matched no error":        v2(flagErrorMatched, [2]uint64{5 * uint64(msec), 0}, 0, 0, 0, 0, 0),
		"run without target":      v2(0, [2]uint64{5 * uint64(msec), 0}, 0, 0, 3, 1, 0),
		"raged without run":       v2(flagRaged, [2]uint64{5 * uint64(msec), 0}, 0, 0, 0, 0, 0),
		"too many run clicks":     v2(0, [2]uint64{5 * uint64(msec), 0}, 0, 7, 1, 1, 0, 1, 2, 3, 4, 5, 6, 7, 8),
		"run clicks out of order": v2(0, [2]uint64{5 * uint64(msec), 0}, 0, 7, 1, 1, 0, 2, 1),
		"run click of zero":       v2(0, [2]uint64{5 * uint64(msec), 0}, 0, 7, 1, 1, 0, 0),
		"run click too far":       v2(0, [2]uint64{5 * uint64(msec), 0}, 0, 7, 1, 1, 0, 60_001),
		"click count too big":     v2(0, [2]uint64{5 * uint64(msec), 0}, 0, 7, 1, 1<<16, 0),
		"time beyond int64":       v2(0, [2]uint64{1 << 63, 0}, 0, 0, 0, 0, 0),
	}
	for name, b := range bad {
		s := full
		_, err := s.Decode(b)
		assert.Error(t, err, name)
		assert.Equal(t, State{}, s, name)
	}
}

// FuzzDecode: Decode of arbitrary bytes never panics; what it accepts re-encodes to a
// state that decodes the same, it consumes only its own bytes, and the detector works
// on it.
func FuzzDecode(f *testing.F) {
	for _, s := range states() {
		f.Add(s.Encode(nil))
	}
	f.Add([]byte{encodingV1, 0xff, 0x80})
	f.Add([]byte{})
	f.Fuzz(func(t *testing.T, data []byte) {
		var s State
		rest, err := s.Decode(data)
		if err != nil {
			require.Equal(t, State{}, s)
			return
		}
		require.True(t, bytes.HasSuffix(data, rest))
		var again State
		rest2, err := again.Decode(s.Encode(nil))
		require.NoError(t, err)
		require.Empty(t, rest2)
		require.Equal(t, s, again)
		cfg := Defaults()
		out := make([]Signal, 0, 2)
		for _, tm := range []int64{s.anchors[0], s.lastError, s.runLast() * msec, 1, 1 << 62} {
			out, _ = s.Click(&cfg, tm, s.runTarget, out[:0])
			out, _ = s.Error(&cfg, tm+1, out[:0])
			out, _ = s.Action(&cfg, tm+2, 3, EffectNone, out[:0])
			require.LessOrEqual(t, len(out), 2)
		}
	})
}

// TestDecodeVersion1: states saved before target hashes were 32-bit (testdata, written by
// that version's Encode) decode to the states the same events make now, so a run in
// progress across an upgrade goes on.
func TestDecodeVersion1(t *testing.T) {
	data, err := os.ReadFile(filepath.Join("testdata", "states-v1.txt"))
	require.NoError(t, err)
	want := states()
	seen := 0
	for _, line := range strings.Split(strings.TrimSpace(string(data)), "\n") {
		if strings.HasPrefix(line, "#") {
			continue
		}
		name, enc, ok := strings.Cut(line, "\t")
		require.True(t, ok, line)
		b, err := hex.DecodeString(enc)
		require.NoError(t, err, name)
		if name != "empty" {
			require.Equal(t, encodingV1, b[0], name)
		}
		var got State
		rest, err := got.Decode(b)
		require.NoError(t, err, name)
		assert.Empty(t, rest, name)
		assert.Equal(t, want[name], got, name)
		seen++
	}
	assert.Equal(t, len(want), seen, "a saved state for each state of states()")
}
