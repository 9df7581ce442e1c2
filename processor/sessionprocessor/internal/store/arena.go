// Copyright The otelcol-rum Authors
// SPDX-License-Identifier: Apache-2.0

package store // import "github.com/otelcol-rum/otelcol-rum/processor/sessionprocessor/internal/store"

import "slices"

// arena keeps the bytes of the store's strings outside the garbage collector's view: a
// Go string is a pointer the collector must follow on every cycle, and a million sessions
// hold millions of them. Strings are copied into blocks of a few size classes, each class
// a list of large chunks without pointers; a block is named by a 32-bit blockRef and
// reused once freed, so the arena holds at most what the open sessions need at their
// peak, rounded up to the class sizes (at most a third more).
type arena struct {
	classes [len(blockSizes)]blockClass
	// large holds strings longer than the largest class, each in its own slice.
	large     [][]byte
	largeFree []uint32
}

// blockSizes are the size classes, in bytes: steps of a quarter to a third.
var blockSizes = [...]int{8, 16, 24, 32, 48, 64, 80, 96, 128, 160, 192, 256, 320, 384, 512, 640, 768, 1024, 1280, 1536, 2048, 3072, 4096}

// largeClass marks a blockRef of arena.large.
const largeClass = len(blockSizes)

// chunkBytes is the size of one chunk of a class (fewer blocks for large classes).
const chunkBytes = 64 << 10

// blockRef names a block: the class in the top 5 bits, the block's index in the class
// below, plus one so that the zero value is no block.
type blockRef uint32

const classShift = 27

type blockClass struct {
	chunks [][]byte
	free   []uint32
	// used is the number of blocks ever handed out; those below it not in free are in use.
	used uint32
}

// alloc returns a block of at least n bytes (n > 0) and the block's bytes.
func (a *arena) alloc(n int) (blockRef, []byte) {
	class := classOf(n)
	if class == largeClass {
		b := make([]byte, n)
		var i uint32
		if k := len(a.largeFree); k > 0 {
			i = a.largeFree[k-1]
			a.largeFree = a.largeFree[:k-1]
			a.large[i] = b
		} else {
			i = uint32(len(a.large)) //nolint:gosec // one per open string over 4 KiB: far below 2^27 (classShift)
			a.large = append(a.large, b)
		}
		return makeRef(class, i), b
	}
	c := &a.classes[class]
	var i uint32
	if k := len(c.free); k > 0 {
		i = c.free[k-1]
		c.free = c.free[:k-1]
	} else {
		i = c.used
		c.used++
		if perChunk := blocksPerChunk(class); int(i)/perChunk == len(c.chunks) {
			c.chunks = append(c.chunks, make([]byte, perChunk*blockSizes[class]))
		}
	}
	ref := makeRef(class, i)
	return ref, a.bytes(ref)[:n:n]
}

// bytes returns the whole block of ref.
func (a *arena) bytes(ref blockRef) []byte {
	class, i := ref.split()
	if class == largeClass {
		return a.large[i]
	}
	size, perChunk := blockSizes[class], blocksPerChunk(class)
	chunk := a.classes[class].chunks[int(i)/perChunk]
	off := int(i) % perChunk * size
	return chunk[off : off+size : off+size]
}

// free gives the block back for reuse.
func (a *arena) free(ref blockRef) {
	if ref == 0 {
		return
	}
	class, i := ref.split()
	if class == largeClass {
		a.large[i] = nil
		a.largeFree = append(a.largeFree, i)
		return
	}
	a.classes[class].free = append(a.classes[class].free, i)
}

func makeRef(class int, i uint32) blockRef {
	return blockRef(uint32(class)<<classShift | (i + 1)) //nolint:gosec // class is at most largeClass (23)
}

func (r blockRef) split() (class int, i uint32) {
	return int(r >> classShift), uint32(r)&(1<<classShift-1) - 1
}

func blocksPerChunk(class int) int { return max(1, chunkBytes/blockSizes[class]) }

// classOf is the smallest class that holds n bytes, or largeClass.
func classOf(n int) int {
	i, _ := slices.BinarySearch(blockSizes[:], n)
	return i
}
