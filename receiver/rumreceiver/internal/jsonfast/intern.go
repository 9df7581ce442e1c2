// Copyright The otelcol-rum Authors
// SPDX-License-Identifier: Apache-2.0

package jsonfast // import "github.com/otelcol-rum/otelcol-rum/receiver/rumreceiver/internal/jsonfast"

import "hash/maphash"

// A Faro batch repeats most of its short strings: the attribute keys of every
// performance event (duration, ttfb, initiatorType…) and many values ("0", "browser",
// "navigate", "good"). Each would be a small allocation per request, and together they
// were a third of the decoder's allocations. The iterator keeps a small direct-mapped
// cache of the strings it made: a repeat of one is handed out again instead of being
// copied. A string is immutable, so sharing it between requests is safe; the cache is
// bounded (internSlots strings of at most internMaxLen bytes) and adapts by itself, since
// a slot goes to the latest string that hashes to it. The bound takes a user agent (about
// 110 bytes), which a Faro batch with spans holds three times (meta and the span
// resource twice) and a browser population repeats across requests.

const (
	internSlots  = 1024 // a power of two
	internMaxLen = 128  // longer: messages, stack traces, long URLs, rarely repeated
)

var internSeed = maphash.MakeSeed()

type internCache [internSlots]string

// intern returns b as a string, the cached one where b was seen before.
func (c *internCache) intern(b []byte) string {
	if len(b) == 0 {
		return ""
	}
	if len(b) > internMaxLen {
		return string(b)
	}
	slot := &c[maphash.Bytes(internSeed, b)&(internSlots-1)]
	if *slot == string(b) {
		return *slot
	}
	s := string(b)
	*slot = s
	return s
}
