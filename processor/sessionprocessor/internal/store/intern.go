// Copyright The otelcol-rum Authors
// SPDX-License-Identifier: Apache-2.0

package store // import "github.com/otelcol-rum/otelcol-rum/processor/sessionprocessor/internal/store"

import "hash/maphash"

// internID names a string of an internTable; 0 is the empty string.
type internID uint32

// internTable shares strings that repeat across sessions (page URLs, app, environment
// and browser names) and counts the references to each: a string goes when its last
// reference does, so the table holds no more than the open sessions refer to, however
// many distinct values come and go. Its bytes are in the arena and its index is keyed by
// a hash, so the garbage collector finds no pointer in it.
type internTable struct {
	seed   maphash.Seed
	byHash map[uint32]internID // the first entry of each hash; the others follow next
	// hashMask is all ones; tests clear it to make every string collide.
	hashMask uint32
	entries  slab[internEntry]
	arena    *arena
}

type internEntry struct {
	block blockRef
	len   uint32
	refs  uint32
	// next is the following entry whose string has the same hash.
	next internID
}

func newInternTable(a *arena) internTable {
	return internTable{seed: maphash.MakeSeed(), byHash: map[uint32]internID{}, hashMask: ^uint32(0), arena: a}
}

// lookup returns the id of s, or 0 if s is empty or not in the table.
func (t *internTable) lookup(s string) internID {
	if s == "" {
		return 0
	}
	for id := t.byHash[fold32(maphash.String(t.seed, s))&t.hashMask]; id != 0; id = t.entries.at(uint32(id)).next {
		if string(t.bytes(id)) == s {
			return id
		}
	}
	return 0
}

// ref returns the id of s with one more reference, adding s if it is new.
func (t *internTable) ref(s string) internID {
	if s == "" {
		return 0
	}
	h := fold32(maphash.String(t.seed, s)) & t.hashMask
	head := t.byHash[h]
	for id := head; id != 0; id = t.entries.at(uint32(id)).next {
		if string(t.bytes(id)) == s {
			t.entries.at(uint32(id)).refs++
			return id
		}
	}
	id := internID(t.entries.alloc())
	block, b := t.arena.alloc(len(s))
	copy(b, s)
	*t.entries.at(uint32(id)) = internEntry{block: block, len: uint32(len(s)), refs: 1, next: head} //nolint:gosec // one string of a record: protobuf caps a whole message at 2 GiB
	t.byHash[h] = id
	return id
}

// addRef adds a reference to id.
func (t *internTable) addRef(id internID) {
	if id != 0 {
		t.entries.at(uint32(id)).refs++
	}
}

// release drops a reference to id; the last one removes the string.
func (t *internTable) release(id internID) {
	if id == 0 {
		return
	}
	e := t.entries.at(uint32(id))
	if e.refs--; e.refs > 0 {
		return
	}
	unchain(t.byHash, fold32(maphash.Bytes(t.seed, t.bytes(id)))&t.hashMask, id, func(j internID) *internID { return &t.entries.at(uint32(j)).next })
	t.arena.free(e.block)
	t.entries.release(uint32(id))
}

// bytes returns the string of id, in the arena: valid until its last reference goes.
func (t *internTable) bytes(id internID) []byte {
	if id == 0 {
		return nil
	}
	e := t.entries.at(uint32(id))
	return t.arena.bytes(e.block)[:e.len]
}

// string returns a copy of the string of id.
func (t *internTable) string(id internID) string { return string(t.bytes(id)) }

// equals says whether id names s, without copying.
func (t *internTable) equals(id internID, s string) bool { return string(t.bytes(id)) == s }

// len is the number of distinct strings in the table.
func (t *internTable) len() int { return int(t.entries.limit()) - 1 - len(t.entries.free) }

// fold32 folds a 64-bit hash to 32 bits. The indices of sessions and interned strings are
// keyed by such hashes: a 4-byte key makes a map slot 8 bytes instead of 16 (a key of 8
// bytes pads its 4-byte value), and the chains of entries that share a hash, which the
// indices need anyway, keep the rarer collisions apart.
func fold32(h uint64) uint32 {
	return uint32(h>>32) ^ uint32(h) //nolint:gosec // dropping bits is the point
}

// unchain removes i from the chain of entries that share the hash h: m holds the first of
// each chain, next the link to the following one.
func unchain[I ~uint32](m map[uint32]I, h uint32, i I, next func(I) *I) {
	if head := m[h]; head == i {
		if n := *next(i); n == 0 {
			delete(m, h)
		} else {
			m[h] = n
		}
		return
	}
	prev := m[h]
	for *next(prev) != i {
		prev = *next(prev)
	}
	*next(prev) = *next(i)
}
