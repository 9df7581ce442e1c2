// Copyright The otelcol-rum Authors
// SPDX-License-Identifier: Apache-2.0

// Package sessionkey is the key of a session for data that names none, shared by the
// session processor (unknown_sessions: assign) and the rum receiver (session_metadata),
// so that both make the same decision: on two tiers the receiver sees the client's
// address and the session processor does not.
package sessionkey // import "github.com/otelcol-rum/otelcol-rum/internal/sessionkey"

import (
	"context"
	"net"
	"strconv"
	"strings"

	"go.opentelemetry.io/collector/client"
	"go.opentelemetry.io/collector/pdata/pcommon"

	"github.com/otelcol-rum/otelcol-rum/internal/pattrs"
	"github.com/otelcol-rum/otelcol-rum/internal/rumconv"
)

// AssignedPrefix marks the keys made here, so that they are never mistaken for an SDK's
// session id.
const AssignedPrefix = "srv-"

// Assigned derives a stable key from the app, the client address and the user agent of
// a resource. The address is the resource's client.address where it is recorded,
// otherwise the request's, from the context (the receiver passes its context on); it is
// only hashed, never written anywhere, so a key does not undo the receiver's privacy
// settings.
func Assigned(ctx context.Context, res pcommon.Map, app string) string {
	addr := pattrs.Str(res, rumconv.AttrClientAddress)
	if addr == "" {
		addr = host(client.FromContext(ctx).Addr)
	}
	h := fnvField(fnvField(fnvField(fnvOffset64, app), addr), pattrs.Str(res, rumconv.AttrUserAgentOriginal))
	var buf [len(AssignedPrefix) + 16]byte
	return string(strconv.AppendUint(append(buf[:0], AssignedPrefix...), h, 16))
}

// host is the address of a client without its port, as its String method writes it
// (with a zone, if any). The receivers name clients by *net.IPAddr or *net.TCPAddr;
// other kinds keep the text of their String method, less a port.
func host(a net.Addr) string {
	switch a := a.(type) {
	case nil:
		return ""
	case *net.IPAddr:
		return a.String()
	case *net.TCPAddr:
		return (&net.IPAddr{IP: a.IP, Zone: a.Zone}).String()
	}
	s := a.String()
	if h, _, err := net.SplitHostPort(s); err == nil {
		return h
	}
	return s
}

// FNV-1a, 64 bits (hash/fnv's New64a), written out so that a key costs no allocation:
// the rum receiver makes one per call for data without a session. Keys made before are
// kept in saved sessions, so the hash never changes.
const (
	fnvOffset64 = 14695981039346656037
	fnvPrime64  = 1099511628211
)

// fnvField hashes s and a 0 byte after it into h.
func fnvField(h uint64, s string) uint64 {
	for i := 0; i < len(s); i++ {
		h ^= uint64(s[i])
		h *= fnvPrime64
	}
	// The 0 byte: XOR with it changes nothing, the multiplication remains.
	return h * fnvPrime64
}

// FromMetadata returns the assigned key the receiver put in the client metadata
// (rum.session.key), or "" when there is none or it is an SDK's session id: on the
// session tier, where the request's address is unknown, it is the only way to the key
// Assigned made from it.
func FromMetadata(ctx context.Context) string {
	values := client.FromContext(ctx).Metadata.Get(rumconv.MetadataSessionKey)
	if len(values) != 1 || !strings.HasPrefix(values[0], AssignedPrefix) {
		return ""
	}
	return values[0]
}
