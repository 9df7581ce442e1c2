// Copyright The otelcol-rum Authors
// SPDX-License-Identifier: Apache-2.0

package store // import "github.com/otelcol-rum/otelcol-rum/processor/sessionprocessor/internal/store"

import (
	"encoding/binary"
	"errors"
	"fmt"
	"hash/crc32"
)

// The saved state is made of values of two kinds: write-ahead segments (the sessions that
// changed and the keys of those that ended since the last segment) and snapshot chunks
// (a share of every open session). Both have the same layout:
//
//	value  = magic "rss" | format version (1 byte) | kind (1 byte) | frame*
//	frame  = uvarint length | payload (length bytes) | CRC-32C of the payload (4 bytes, LE)
//	payload = 'e' key                (a session that ended and left no tombstone: segments only)
//	        | 't' tombstone          (a session that ended by timeout or max_duration, and
//	                                  what it left for late data: see appendTombstone)
//	        | 's' session record     (see appendRecord)
//
// Each frame carries its own checksum, so a damaged frame loses one session, not the
// value; a broken length loses the rest of the value.
const (
	// KindSegment is a write-ahead segment.
	KindSegment byte = 'w'
	// KindChunk is a snapshot chunk.
	KindChunk byte = 'c'

	// formatVersion 2 added views (start, kind and counts of each, soft views, the
	// latest record time); 3 the frustration detector's state and count. Values of
	// versions 1 and 2 are still read: their sessions start with an empty detector.
	formatVersion  byte = 3
	formatV2       byte = 2
	formatV1       byte = 1
	frameEnded     byte = 'e'
	frameTombstone byte = 't'
	frameSession   byte = 's'

	recordSampled      = 1 << 0
	recordIDIsKey      = 1 << 1
	recordExplicitSoft = 1 << 2
	recordFlagMask     = recordSampled | recordIDIsKey
	recordFlagMaskV2   = recordFlagMask | recordExplicitSoft
)

var (
	magic   = []byte("rss")
	crcTab  = crc32.MakeTable(crc32.Castagnoli)
	errTail = errors.New("trailing bytes")
)

// Encoder builds one value. The zero value is not usable; use NewEncoder.
type Encoder struct {
	buf, frame []byte
}

// NewEncoder starts a value of the given kind.
func NewEncoder(kind byte) *Encoder {
	e := &Encoder{}
	e.Reset(kind)
	return e
}

// Reset starts a new value of the given kind, reusing the buffers.
func (e *Encoder) Reset(kind byte) {
	e.buf = append(append(e.buf[:0], magic...), formatVersion, kind)
}

// Gone adds a session that ended, with its tombstone if it left one.
func (e *Encoder) Gone(g *Gone) {
	if g.Tombstone.Reason == "" {
		e.frame = append(append(e.frame[:0], frameEnded), g.Key...)
	} else {
		e.frame = appendTombstone(append(e.frame[:0], frameTombstone), g)
	}
	e.flush()
}

// Record adds a session.
func (e *Encoder) Record(r *Record) {
	e.frame = appendRecord(append(e.frame[:0], frameSession), r)
	e.flush()
}

func (e *Encoder) flush() {
	e.buf = binary.AppendUvarint(e.buf, uint64(len(e.frame)))
	e.buf = append(e.buf, e.frame...)
	e.buf = binary.LittleEndian.AppendUint32(e.buf, crc32Checksum(e.frame))
}

// Bytes is the value so far; it is valid until the next call of the encoder.
func (e *Encoder) Bytes() []byte { return e.buf }

// appendRecord writes a session record:
//
//	flags (1 byte: sampled, id equals key) | key | id (unless equal to key) | previous id
//	| app | environment | browser | user id | start (varint) | last activity - start (varint)
//	| views | errors | user actions | spans | generation | soft views (uvarints)
//	| latest record time - start (varint)
//	| page count (uvarint) | per page: navigation id hash (8, little-endian), URL,
//	  trace id (16), span id (8), start - session start (varint), kind (1 byte: soft,
//	  sent, inferred, navigation type), errors, actions (uvarints)
//	| entry page ref | exit page ref
//	| frustrations (uvarint) | frustration detector state (frustration.State.Encode)
//
// Version 2 had no frustrations and no detector state. Version 1 had no explicit-soft flag, no soft views, no latest record time, and pages
// without start, kind and counts.
//
// Strings are a uvarint length and the bytes. A page ref is 0 for "", 1+i for the URL of
// page i, or 1+len(pages)+n followed by n bytes: entry and exit pages are usually one of
// the pages kept, so they cost a byte.
func appendRecord(b []byte, r *Record) []byte {
	var flags byte
	if r.Sampled {
		flags |= recordSampled
	}
	if r.ID == r.Key {
		flags |= recordIDIsKey
	}
	if r.ExplicitSoft {
		flags |= recordExplicitSoft
	}
	b = append(b, flags)
	b = appendString(b, r.Key)
	if r.ID != r.Key {
		b = appendString(b, r.ID)
	}
	for _, s := range [...]string{r.PreviousID, r.App, r.Environment, r.Browser, r.UserID} {
		b = appendString(b, s)
	}
	b = binary.AppendVarint(b, r.Start)
	b = binary.AppendVarint(b, r.LastActivity-r.Start)
	for _, n := range [...]uint32{r.Views, r.Errors, r.UserActions, r.Spans, r.Generation, r.SoftViews} {
		b = binary.AppendUvarint(b, uint64(n))
	}
	b = binary.AppendVarint(b, r.Newest-r.Start)
	b = binary.AppendUvarint(b, uint64(len(r.Pages)))
	for i := range r.Pages {
		p := &r.Pages[i]
		b = binary.LittleEndian.AppendUint64(b, p.NavHash)
		b = appendString(b, p.URL)
		b = append(b, p.TraceID[:]...)
		b = append(b, p.SpanID[:]...)
		b = binary.AppendVarint(b, p.Start-r.Start)
		kind := makeKind(&PageView{Soft: p.Soft, Type: p.Type, Inferred: p.Inferred})
		if p.Emitted {
			kind |= kindEmitted
		}
		b = append(b, byte(kind))
		b = binary.AppendUvarint(b, uint64(p.Errors))
		b = binary.AppendUvarint(b, uint64(p.Actions))
	}
	b = appendPageRef(b, r.EntryPage, r.Pages)
	b = appendPageRef(b, r.ExitPage, r.Pages)
	b = binary.AppendUvarint(b, uint64(r.Frustrations))
	return r.Frustration.Encode(b)
}

// appendTombstone writes a session that ended and the tombstone it left:
//
//	flags (1 byte: sampled, id equals key) | key | id (unless equal to key)
//	| reason (1 byte: 't' timeout, 'm' max_duration) | generation (uvarint) | until (varint)
func appendTombstone(b []byte, g *Gone) []byte {
	t := &g.Tombstone
	var flags byte
	if t.Sampled {
		flags |= recordSampled
	}
	if t.ID == g.Key {
		flags |= recordIDIsKey
	}
	b = appendString(append(b, flags), g.Key)
	if t.ID != g.Key {
		b = appendString(b, t.ID)
	}
	b = append(b, tombstoneReasons[t.Reason])
	b = binary.AppendUvarint(b, uint64(t.Generation))
	return binary.AppendVarint(b, t.Until)
}

// tombstoneReasons are the end reasons that leave a tombstone, as saved.
var tombstoneReasons = map[EndReason]byte{EndTimeout: 't', EndMaxDuration: 'm'}

func appendString(b []byte, s string) []byte {
	return append(binary.AppendUvarint(b, uint64(len(s))), s...)
}

func appendPageRef(b []byte, url string, pages []SavedPage) []byte {
	if url == "" {
		return append(b, 0)
	}
	for i := range pages {
		if pages[i].URL == url {
			return binary.AppendUvarint(b, uint64(1+i))
		}
	}
	return append(binary.AppendUvarint(b, uint64(1+len(pages)+len(url))), url...)
}

// Frame is one entry of a decoded value: a session that ended, or a session.
type Frame struct {
	// Ended is the key of a session that ended; empty for a session frame. Tombstone is
	// what it left, if anything (its Reason is empty if not).
	Ended     string
	Tombstone Tombstone
	// Record is the saved session. When Err is set it holds what could be read of it:
	// Key and ID when they were readable, nothing otherwise.
	Record Record
	// Err is set for a frame that could not be read: a checksum that does not match, or
	// a record that does not decode.
	Err error
}

// DecodeValue reads a value of the given kind and calls fn for each of its frames, in
// order. It returns an error if the value is not of that kind and format version, or if
// its framing breaks; fn has then seen the frames before the break. The frame passed to
// fn is reused for the next call.
func DecodeValue(data []byte, kind byte, fn func(*Frame)) error {
	if len(data) < len(magic)+2 || string(data[:len(magic)]) != string(magic) {
		return errors.New("not a saved session value")
	}
	version := data[len(magic)]
	if version != formatVersion && version != formatV2 && version != formatV1 {
		return fmt.Errorf("saved session format %d is not one of %d, %d and %d", version, formatV1, formatV2, formatVersion)
	}
	if k := data[len(magic)+1]; k != kind {
		return fmt.Errorf("saved value of kind %q, want %q", k, kind)
	}
	rest := data[len(magic)+2:]
	var f Frame
	for index := 0; len(rest) > 0; index++ {
		n, size := binary.Uvarint(rest)
		if size <= 0 {
			return fmt.Errorf("frame %d: broken length", index)
		}
		// Slices are indexed with the uint64 itself: no conversion can wrap.
		body := rest[size:]
		if n == 0 || n > uint64(len(body)) || uint64(len(body))-n < 4 {
			return fmt.Errorf("frame %d: broken length", index)
		}
		payload := body[:n]
		sum := binary.LittleEndian.Uint32(body[n:])
		rest = body[n+4:]
		f = Frame{}
		if crc32Checksum(payload) != sum {
			f.Err = fmt.Errorf("frame %d: checksum mismatch", index)
			fn(&f)
			continue
		}
		switch payload[0] {
		case frameEnded:
			if len(payload) == 1 {
				f.Err = fmt.Errorf("frame %d: ended session without key", index)
			}
			f.Ended = string(payload[1:])
		case frameTombstone:
			if err := decodeTombstone(payload[1:], &f); err != nil {
				f.Err = fmt.Errorf("frame %d: %w", index, err)
			}
		case frameSession:
			if err := decodeRecord(payload[1:], version, &f.Record); err != nil {
				f.Err = fmt.Errorf("frame %d: %w", index, err)
			}
		default:
			f.Err = fmt.Errorf("frame %d: unknown type %q", index, payload[0])
		}
		fn(&f)
	}
	return nil
}

// reader reads a record; its first error sticks and later reads return zero values.
type reader struct {
	b   []byte
	err error
}

func (r *reader) fail(what string) {
	if r.err == nil {
		r.err = fmt.Errorf("record: bad %s", what)
	}
	r.b = nil
}

func (r *reader) uvarint(what string) uint64 {
	v, n := binary.Uvarint(r.b)
	if n <= 0 {
		r.fail(what)
		return 0
	}
	r.b = r.b[n:]
	return v
}

func (r *reader) uint16(what string) uint16 {
	v := r.uvarint(what)
	if v > 1<<16-1 {
		r.fail(what)
		return 0
	}
	return uint16(v)
}

func (r *reader) uint32(what string) uint32 {
	v := r.uvarint(what)
	if v > 1<<32-1 {
		r.fail(what)
		return 0
	}
	return uint32(v)
}

// varint reads what binary.AppendVarint wrote: a zig-zag encoded uvarint.
func (r *reader) varint(what string) int64 {
	u := r.uvarint(what)
	return int64(u>>1) ^ -int64(u&1)
}

func (r *reader) bytes(n uint64, what string) []byte {
	if n > uint64(len(r.b)) {
		r.fail(what)
		return nil
	}
	out := r.b[:n]
	r.b = r.b[n:]
	return out
}

func (r *reader) string(what string) string {
	return string(r.bytes(r.uvarint(what), what))
}

func (r *reader) pageRef(pages []SavedPage, what string) string {
	ref := r.uvarint(what)
	switch {
	case ref == 0:
		return ""
	case ref <= uint64(len(pages)):
		return pages[ref-1].URL
	default:
		return string(r.bytes(ref-1-uint64(len(pages)), what))
	}
}

// decodeTombstone reads what appendTombstone wrote into f. On error, f.Ended holds the
// key if it was readable (the session did end), and f.Tombstone is empty.
func decodeTombstone(b []byte, f *Frame) error {
	if len(b) == 0 {
		return errors.New("tombstone: empty")
	}
	flags := b[0]
	r := reader{b: b[1:]}
	f.Ended = r.string("key")
	t := &f.Tombstone
	t.ID = f.Ended
	if flags&recordIDIsKey == 0 {
		t.ID = r.string("id")
	}
	if r.err == nil && (f.Ended == "" || t.ID == "") {
		r.fail("key")
	}
	if flags&^recordFlagMask != 0 {
		r.fail("flags")
	}
	t.Sampled = flags&recordSampled != 0
	switch reason := r.bytes(1, "reason"); {
	case reason == nil:
	case reason[0] == tombstoneReasons[EndTimeout]:
		t.Reason = EndTimeout
	case reason[0] == tombstoneReasons[EndMaxDuration]:
		t.Reason = EndMaxDuration
	default:
		r.fail("reason")
	}
	t.Generation = r.uint32("generation")
	t.Until = r.varint("until")
	if r.err == nil && len(r.b) > 0 {
		r.err = fmt.Errorf("tombstone: %w", errTail)
	}
	if r.err != nil {
		f.Tombstone = Tombstone{}
	}
	return r.err
}

// decodeRecord reads a record written by appendRecord, in the given format version. On
// error, out holds the key and id if they were readable.
func decodeRecord(b []byte, version byte, out *Record) error {
	r := reader{b: b}
	if len(b) == 0 {
		return errors.New("record: empty")
	}
	flags := b[0]
	r.b = b[1:]
	out.Key = r.string("key")
	out.ID = out.Key
	if flags&recordIDIsKey == 0 {
		out.ID = r.string("id")
	}
	if r.err == nil && (out.Key == "" || out.ID == "") {
		r.fail("key")
	}
	if r.err != nil {
		*out = Record{}
		return r.err
	}
	mask := byte(recordFlagMaskV2)
	if version == formatV1 {
		mask = recordFlagMask
	}
	if flags&^mask != 0 {
		r.fail("flags")
	}
	out.Sampled = flags&recordSampled != 0
	out.ExplicitSoft = flags&recordExplicitSoft != 0
	out.PreviousID = r.string("previous id")
	out.App = r.string("app")
	out.Environment = r.string("environment")
	out.Browser = r.string("browser")
	out.UserID = r.string("user id")
	out.Start = r.varint("start")
	out.LastActivity = out.Start + r.varint("last activity")
	out.Views = r.uint32("views")
	out.Errors = r.uint32("errors")
	out.UserActions = r.uint32("user actions")
	out.Spans = r.uint32("spans")
	out.Generation = r.uint32("generation")
	if version != formatV1 {
		out.SoftViews = r.uint32("soft views")
		out.Newest = out.Start + r.varint("latest record time")
		if out.SoftViews > out.Views {
			r.fail("soft views")
		}
	}
	n := r.uvarint("page count")
	if n > MaxPageViewsKept+MaxPathLength {
		r.fail("page count")
	}
	if r.err == nil && n > 0 {
		out.Pages = make([]SavedPage, n)
		for i := range out.Pages {
			decodePage(&r, version, out.Start, &out.Pages[i])
		}
	}
	out.EntryPage = r.pageRef(out.Pages, "entry page")
	out.ExitPage = r.pageRef(out.Pages, "exit page")
	if version == formatVersion && r.err == nil {
		out.Frustrations = r.uint32("frustrations")
		rest, err := out.Frustration.Decode(r.b)
		if err != nil && r.err == nil {
			r.err = fmt.Errorf("record: %w", err)
		}
		r.b = rest
	}
	if r.err == nil && len(r.b) > 0 {
		r.err = fmt.Errorf("record: %w", errTail)
	}
	if r.err != nil {
		*out = Record{Key: out.Key, ID: out.ID}
	}
	return r.err
}

// decodePage reads one saved view. A view of version 1 had no start and no kind: it is
// hard, and counts as sent (views saved before views had events get none).
func decodePage(r *reader, version byte, sessionStart int64, p *SavedPage) {
	if b := r.bytes(8, "navigation id"); b != nil {
		p.NavHash = binary.LittleEndian.Uint64(b)
	}
	p.URL = r.string("page url")
	copy(p.TraceID[:], r.bytes(16, "trace id"))
	copy(p.SpanID[:], r.bytes(8, "span id"))
	if version == formatV1 {
		p.Emitted = true
		return
	}
	p.Start = sessionStart + r.varint("view start")
	if b := r.bytes(1, "view kind"); b != nil {
		kind := viewKind(b[0])
		if kind.navigationType() >= navigationTypes || kind&^(kindSoft|kindEmitted|kindInferred|viewKind(0xf0)) != 0 {
			r.fail("view kind")
		}
		p.Soft, p.Emitted, p.Inferred, p.Type = kind.soft(), kind.emitted(), kind&kindInferred != 0, kind.navigationType()
	}
	p.Errors = r.uint16("view errors")
	p.Actions = r.uint16("view actions")
}

func crc32Checksum(b []byte) uint32 { return crc32.Checksum(b, crcTab) }
