// Copyright The otelcol-rum Authors
// SPDX-License-Identifier: Apache-2.0

// Package marker encodes the records that say who owns a partition of the checkpoint
// topic: claims, requests and releases. They share the topic with the session
// checkpoints, under keys no session key can have.
package marker // import "github.com/otelcol-rum/otelcol-rum/extension/kafkahandoverextension/internal/marker"

import (
	"encoding/binary"
	"errors"
	"fmt"
	"unicode/utf8"
)

// ReservedPrefix starts every key the store writes for itself. 0xff never occurs in UTF-8
// text, and session keys are session ids, which arrive as UTF-8 strings, so a checkpoint
// key cannot start with it; the store still refuses to write one that does.
const ReservedPrefix = "\xff"

// Keys of the marker records. Claims and releases share one key and requests have their
// own: compaction keeps the latest record per key, and the latest claim or release carries
// the watermark, which a later request must not erase.
const (
	OwnershipKey = ReservedPrefix + "rum.handover.ownership"
	RequestKey   = ReservedPrefix + "rum.handover.request"
)

// Kind is what a marker says.
type Kind uint8

const (
	// Claim says Owner owns the partition; the checkpoints before it reflect the data below
	// Watermark.
	Claim Kind = 1
	// Request says Owner asks the current owner to release the partition.
	Request Kind = 2
	// Release says Owner let go of the partition after its last checkpoints.
	Release Kind = 3
)

func (k Kind) String() string {
	switch k {
	case Claim:
		return "claim"
	case Request:
		return "request"
	case Release:
		return "release"
	default:
		return fmt.Sprintf("kind(%d)", uint8(k))
	}
}

// Key returns the record key a marker of kind k is written under.
func (k Kind) Key() string {
	if k == Request {
		return RequestKey
	}
	return OwnershipKey
}

// Version is the encoding this package writes. A later version may append fields: a
// reader of version 1 reads the fields it knows of any version and ignores the rest, so a
// new encoding must keep the layout of the old one as its prefix, or take a new key.
const Version = 1

// MaxOwnerLen bounds the owner id a marker may carry: a host name and a random suffix.
const MaxOwnerLen = 512

// Marker is the decoded value of a marker record.
type Marker struct {
	Kind  Kind
	Owner string
	// Watermark is the first data offset the partition's checkpoints do not reflect; -1
	// when there is none (a request, or a partition never written).
	Watermark int64
}

var (
	errEmpty    = errors.New("empty marker")
	errVersion  = errors.New("unknown marker version")
	errKind     = errors.New("unknown marker kind")
	errTrailing = errors.New("trailing bytes after a version 1 marker")
	errOwner    = errors.New("invalid marker owner")
	errTrunc    = errors.New("truncated marker")
)

// Encode returns m as a record value: version, kind, watermark (zig-zag varint), owner
// (length-prefixed).
func (m Marker) Encode() ([]byte, error) {
	if err := m.check(); err != nil {
		return nil, err
	}
	b := make([]byte, 0, 2+binary.MaxVarintLen64+binary.MaxVarintLen16+len(m.Owner))
	b = append(b, Version, byte(m.Kind))
	b = binary.AppendVarint(b, m.Watermark)
	b = binary.AppendUvarint(b, uint64(len(m.Owner)))
	return append(b, m.Owner...), nil
}

// Decode reads a record value written by Encode of this or a later version.
func Decode(b []byte) (Marker, error) {
	if len(b) == 0 {
		return Marker{}, errEmpty
	}
	version := b[0]
	if version < 1 {
		return Marker{}, errVersion
	}
	if len(b) < 2 {
		return Marker{}, errTrunc
	}
	m := Marker{Kind: Kind(b[1])}
	rest := b[2:]
	w, n := binary.Varint(rest)
	if n <= 0 {
		return Marker{}, errTrunc
	}
	m.Watermark, rest = w, rest[n:]
	l, n := binary.Uvarint(rest)
	if n <= 0 {
		return Marker{}, errTrunc
	}
	rest = rest[n:]
	if l > uint64(len(rest)) {
		return Marker{}, errTrunc
	}
	m.Owner, rest = string(rest[:l]), rest[l:]
	if version == Version && len(rest) > 0 {
		return Marker{}, errTrailing
	}
	if err := m.check(); err != nil {
		return Marker{}, err
	}
	return m, nil
}

func (m Marker) check() error {
	switch {
	case m.Kind != Claim && m.Kind != Request && m.Kind != Release:
		return errKind
	case m.Owner == "" || len(m.Owner) > MaxOwnerLen || !utf8.ValidString(m.Owner):
		return errOwner
	case m.Watermark < -1:
		return fmt.Errorf("invalid marker watermark %d", m.Watermark)
	}
	return nil
}
