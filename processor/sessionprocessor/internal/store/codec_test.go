// Copyright The otelcol-rum Authors
// SPDX-License-Identifier: Apache-2.0

package store

import (
	"encoding/binary"
	"os"
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/otelcol-rum/otelcol-rum/processor/sessionprocessor/internal/frustration"
)

// fullRecord uses every field, with entry and exit pages that are and are not among the
// pages kept.
func fullRecord() Record {
	return Record{
		Key: "k1", ID: "k1-2", PreviousID: "k1", App: "shop", Environment: "prod", Browser: "Chrome", UserID: "u1",
		Start: at(0), LastActivity: at(12), Views: 20, SoftViews: 7, Errors: 2, UserActions: 3, Spans: 4, Newest: at(11.5),
		EntryPage: "https://shop/landing", ExitPage: "https://shop/cart",
		Pages: []SavedPage{
			{NavHash: navHash("n1"), URL: "https://shop/", TraceID: [16]byte{1, 2}, SpanID: [8]byte{3}, Start: at(0.1), Emitted: true, Errors: 3},
			{URL: "https://shop/cart", Start: at(2), Soft: true, Type: NavigationPush, Actions: 65535},
			{NavHash: navHash("n2"), URL: "https://shop/cart", TraceID: [16]byte{4}, SpanID: [8]byte{5}, Start: at(-1), Type: NavigationReload},
		},
		Sampled: true, ExplicitSoft: true, Generation: 1,
		Frustrations: 2, Frustration: halfBurst(),
	}
}

// halfBurst is a detector that has seen two clicks on one target and an exception:
// a state with every field set.
func halfBurst() frustration.State {
	var s frustration.State
	cfg := frustration.Defaults()
	s.Click(&cfg, at(10), frustration.TargetHash("#coupon"), nil)
	s.Click(&cfg, at(10.2), frustration.TargetHash("#coupon"), nil)
	s.Error(&cfg, at(10.5), nil)
	return s
}

// framed is a value of kind with one frame of payload, with its right checksum.
func framed(kind byte, payload []byte) []byte {
	data := append(append([]byte(nil), magic...), formatVersion, kind)
	data = binary.AppendUvarint(data, uint64(len(payload)))
	data = append(data, payload...)
	return binary.LittleEndian.AppendUint32(data, crc32Checksum(payload))
}

func decodeAll(t *testing.T, data []byte, kind byte) []Frame {
	t.Helper()
	var out []Frame
	require.NoError(t, DecodeValue(data, kind, func(f *Frame) { out = append(out, *f) }))
	return out
}

func TestSegmentRoundTrip(t *testing.T) {
	full := fullRecord()
	plain := Record{Key: "k2", ID: "k2", Start: at(1), LastActivity: at(1)}
	pageExit := Record{Key: "k3", ID: "k3", Start: at(1), LastActivity: at(2), ExitPage: "https://a/", EntryPage: "https://a/",
		Pages: []SavedPage{{URL: "https://a/"}}}
	enc := NewEncoder(KindSegment)
	timedOut := Gone{Key: "late", Tombstone: Tombstone{ID: "late", Reason: EndTimeout, Until: at(30), Sampled: true}}
	continued := Gone{Key: "long", Tombstone: Tombstone{ID: "long-3", Generation: 2, Reason: EndMaxDuration, Until: at(250)}}
	enc.Gone(&Gone{Key: "gone"})
	enc.Gone(&timedOut)
	enc.Gone(&continued)
	enc.Record(&full)
	enc.Record(&plain)
	enc.Record(&pageExit)

	frames := decodeAll(t, enc.Bytes(), KindSegment)
	require.Len(t, frames, 6)
	assert.Equal(t, Frame{Ended: "gone"}, frames[0])
	assert.Equal(t, Frame{Ended: "late", Tombstone: timedOut.Tombstone}, frames[1])
	assert.Equal(t, Frame{Ended: "long", Tombstone: continued.Tombstone}, frames[2])
	assert.Equal(t, Frame{Record: full}, frames[3])
	assert.Equal(t, Frame{Record: plain}, frames[4])
	assert.Equal(t, Frame{Record: pageExit}, frames[5])

	err := DecodeValue(enc.Bytes(), KindChunk, func(*Frame) { t.Fatal("a segment read as a chunk") })
	assert.ErrorContains(t, err, "kind")
}

func TestDamagedFramesLoseOneSession(t *testing.T) {
	a, b := Record{Key: "a", ID: "a"}, Record{Key: "b", ID: "b"}
	enc := NewEncoder(KindChunk)
	enc.Record(&a)
	first := len(enc.Bytes())
	enc.Record(&b)
	data := append([]byte(nil), enc.Bytes()...)
	data[first-5]++ // the last payload byte of the first frame: its checksum no longer matches
	frames := decodeAll(t, data, KindChunk)
	require.Len(t, frames, 2)
	assert.ErrorContains(t, frames[0].Err, "checksum")
	assert.Equal(t, Record{}, frames[0].Record, "nothing of a damaged frame is trusted")
	assert.NoError(t, frames[1].Err)
	assert.Equal(t, b, frames[1].Record)

	// A broken length loses the rest of the value, after the frames before it.
	broken := append(append([]byte(nil), enc.Bytes()[:first]...), 0x7f)
	var seen int
	err := DecodeValue(broken, KindChunk, func(*Frame) { seen++ })
	assert.ErrorContains(t, err, "broken length")
	assert.Equal(t, 1, seen)
}

// TestUndecodableRecordKeepsItsID: a record whose checksum matches but does not decode
// (here, one written by a newer format with an unknown flag) still names its session, so
// that the session can end with a reason.
func TestUndecodableRecordKeepsItsID(t *testing.T) {
	r := Record{Key: "k", ID: "k-2"}
	payload := appendRecord([]byte{frameSession}, &r)
	payload[1] |= 1 << 7 // an unknown flag
	frames := decodeAll(t, framed(KindChunk, payload), KindChunk)
	require.Len(t, frames, 1)
	assert.ErrorContains(t, frames[0].Err, "flags")
	assert.Equal(t, Record{Key: "k", ID: "k-2"}, frames[0].Record)
}

// TestUndecodableTombstoneKeepsItsKey: a session that ended, whose tombstone does not
// decode (here, an unknown reason), still names its key: the session did end, only what
// it left for its late data is lost.
func TestUndecodableTombstoneKeepsItsKey(t *testing.T) {
	g := Gone{Key: "k", Tombstone: Tombstone{ID: "k-2", Generation: 1, Reason: EndMaxDuration, Until: at(1)}}
	payload := appendTombstone([]byte{frameTombstone}, &g)
	reason := 1 + 1 + (1 + len("k")) + (1 + len("k-2")) // after the type, the flags, the key and the id
	require.Equal(t, byte('m'), payload[reason])
	payload[reason] = 'x'
	frames := decodeAll(t, framed(KindSegment, payload), KindSegment)
	require.Len(t, frames, 1)
	assert.ErrorContains(t, frames[0].Err, "reason")
	assert.Equal(t, Frame{Ended: "k", Err: frames[0].Err}, frames[0])
}

func TestDecodeValueRefusesOtherFormats(t *testing.T) {
	for name, data := range map[string][]byte{
		"empty":   nil,
		"json":    []byte(`{"version":1}`),
		"version": append(append([]byte(nil), magic...), formatVersion+1, KindChunk),
	} {
		t.Run(name, func(t *testing.T) {
			assert.Error(t, DecodeValue(data, KindChunk, func(*Frame) { t.Fatal("no frame expected") }))
		})
	}
}

// TestDecodeVersion2: a chunk written by the previous release (format 2, before the
// frustration detector) reads whole, with an empty detector.
func TestDecodeVersion2(t *testing.T) {
	data, err := os.ReadFile(filepath.Join("testdata", "chunk-v2.bin"))
	require.NoError(t, err)
	require.Equal(t, formatV2, data[len(magic)])
	frames := decodeAll(t, data, KindChunk)
	require.Len(t, frames, 2)
	want := fullRecord()
	want.Frustrations, want.Frustration = 0, frustration.State{}
	assert.Equal(t, Frame{Record: want}, frames[0])
	assert.Equal(t, Frame{Record: Record{Key: "k", ID: "k", Start: at(1), LastActivity: at(2)}}, frames[1])
}

func TestLegacyCheckpoint(t *testing.T) {
	data, err := os.ReadFile(filepath.Join("testdata", "checkpoint-v1.json"))
	require.NoError(t, err)
	recs, err := DecodeLegacyCheckpoint(data)
	require.NoError(t, err)
	require.Len(t, recs, 2)
	assert.Equal(t, Record{
		Key: "a", ID: "a", App: "shop", Environment: "prod", Browser: "Chrome", UserID: "u1",
		Start: 1795248000000000000, LastActivity: 1795248060000000000, Views: 1, Errors: 2, Spans: 3,
		EntryPage: "https://shop/", ExitPage: "https://shop/",
		Pages:   []SavedPage{{NavHash: navHash("n1"), URL: "https://shop/", TraceID: [16]byte{9}, SpanID: [8]byte{8}, Emitted: true}},
		Sampled: true,
	}, recs[0])
	assert.Equal(t, Record{Key: "b", ID: "b-2", PreviousID: "b", Start: 1795248001000000000, LastActivity: 1795248001000000000, Generation: 1}, recs[1])

	_, err = DecodeLegacyCheckpoint([]byte(`{"version":99}`))
	assert.ErrorContains(t, err, "version 99")
	_, err = DecodeLegacyCheckpoint([]byte(`{"version":1,"sessions":[{"key":"a","id":"a","pages":[{"trace":"zz"}]}]}`))
	assert.ErrorContains(t, err, "trace id")
}

// FuzzDecodeValue: no input makes the decoder panic or return a record or an ended
// session that does not encode back to a frame that decodes to the same.
func FuzzDecodeValue(f *testing.F) {
	full := fullRecord()
	seg := NewEncoder(KindSegment)
	seg.Gone(&Gone{Key: "gone"})
	seg.Gone(&Gone{Key: "late", Tombstone: Tombstone{ID: "late", Reason: EndTimeout, Until: at(30), Sampled: true}})
	seg.Gone(&Gone{Key: "long", Tombstone: Tombstone{ID: "long-3", Generation: 2, Reason: EndMaxDuration, Until: at(250)}})
	seg.Record(&full)
	f.Add(append([]byte(nil), seg.Bytes()...), KindSegment)
	chunk := NewEncoder(KindChunk)
	chunk.Record(&full)
	chunk.Record(&Record{Key: "k", ID: "k"})
	f.Add(append([]byte(nil), chunk.Bytes()...), KindChunk)
	f.Add(chunk.Bytes()[:len(chunk.Bytes())-3], KindChunk)
	f.Add([]byte("rss\x01c\x05sabc"), KindChunk)
	f.Add([]byte{}, KindSegment)
	f.Fuzz(func(t *testing.T, data []byte, kind byte) {
		_ = DecodeValue(data, kind, func(fr *Frame) { requireRoundTrip(t, fr) })
	})
}

// FuzzDecodeFrame: the same for one frame's payload, framed with its right checksum.
// Mutations of a whole value almost always break a checksum, so FuzzDecodeValue seldom
// reaches the record and tombstone decoders; this target feeds them directly.
func FuzzDecodeFrame(f *testing.F) {
	full := fullRecord()
	f.Add(appendRecord([]byte{frameSession}, &full))
	f.Add(appendRecord([]byte{frameSession}, &Record{Key: "k", ID: "k"}))
	f.Add(appendTombstone([]byte{frameTombstone}, &Gone{Key: "long", Tombstone: Tombstone{ID: "long-3", Generation: 2, Reason: EndMaxDuration, Until: at(250), Sampled: true}}))
	f.Add(appendTombstone([]byte{frameTombstone}, &Gone{Key: "late", Tombstone: Tombstone{ID: "late", Reason: EndTimeout, Until: at(30)}}))
	f.Add([]byte("egone"))
	f.Fuzz(func(t *testing.T, payload []byte) {
		if len(payload) == 0 {
			return
		}
		frames := 0
		require.NoError(t, DecodeValue(framed(KindSegment, payload), KindSegment, func(fr *Frame) {
			frames++
			requireRoundTrip(t, fr)
		}))
		require.Equal(t, 1, frames)
	})
}

// requireRoundTrip requires a frame that decoded without error to encode back to a
// frame that decodes to the same.
func requireRoundTrip(t *testing.T, fr *Frame) {
	if fr.Err != nil {
		return
	}
	enc := NewEncoder(KindChunk)
	if fr.Ended != "" {
		enc.Gone(&Gone{Key: fr.Ended, Tombstone: fr.Tombstone})
	} else {
		enc.Record(&fr.Record)
	}
	var again []Frame
	require.NoError(t, DecodeValue(enc.Bytes(), KindChunk, func(g *Frame) { again = append(again, *g) }))
	require.Len(t, again, 1)
	require.NoError(t, again[0].Err)
	require.Equal(t, *fr, again[0])
}

// FuzzDecodeLegacyCheckpoint: no input makes the JSON checkpoint reader panic, and what
// it accepts is within the store's bounds.
func FuzzDecodeLegacyCheckpoint(f *testing.F) {
	data, err := os.ReadFile(filepath.Join("testdata", "checkpoint-v1.json"))
	require.NoError(f, err)
	f.Add(data)
	f.Add([]byte(`{"version":1,"sessions":[{"key":"a","id":"a","pages":[{"trace":"0"}]}]}`))
	f.Add([]byte(`{"version":2}`))
	f.Fuzz(func(t *testing.T, data []byte) {
		recs, err := DecodeLegacyCheckpoint(data)
		if err != nil {
			return
		}
		for _, r := range recs {
			require.NotEmpty(t, r.Key)
			require.LessOrEqual(t, len(r.Pages), MaxPageViewsKept)
		}
	})
}
