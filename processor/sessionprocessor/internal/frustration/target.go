// Copyright The otelcol-rum Authors
// SPDX-License-Identifier: Apache-2.0

package frustration // import "github.com/otelcol-rum/otelcol-rum/processor/sessionprocessor/internal/frustration"

// MaxTargetHashed bounds the bytes of a target that TargetHash reads. Selectors and
// XPaths of one page share long beginnings and differ at their ends, so a longer target
// is hashed by its first and last MaxTargetHashed/2 bytes and its length.
const MaxTargetHashed = 1024

const (
	fnvOffset = 14695981039346656037
	fnvPrime  = 1099511628211
)

// TargetHash is the 64-bit FNV-1a hash of a click's target (a selector, an element
// name) folded to 32 bits (its halves xored), 0 for none. It is saved with the session,
// so it must stay the same across versions; a hash that happens to be 0 becomes 1, since
// 0 means unknown. 32 bits are plenty to tell apart the few targets of one run, and keep
// the state of every clicking session 4 bytes smaller; folding the 64-bit hash, rather
// than hashing anew, lets a state saved with 64-bit hashes (encoding v1) be read.
func TargetHash(target string) uint32 {
	if target == "" {
		return 0
	}
	h := uint64(fnvOffset)
	if len(target) > MaxTargetHashed {
		h = fnv(h, target[:MaxTargetHashed/2])
		h = fnv(h, target[len(target)-MaxTargetHashed/2:])
		for n := uint64(len(target)); n > 0; n >>= 8 {
			h ^= n & 0xff
			h *= fnvPrime
		}
	} else {
		h = fnv(h, target)
	}
	return fold(max(h, 1))
}

// fold makes a 64-bit target hash the 32-bit one, never 0 but for 0.
func fold(h uint64) uint32 {
	if h == 0 {
		return 0
	}
	return max(uint32(h^h>>32), 1) //nolint:gosec // the truncation is the fold
}

func fnv(h uint64, s string) uint64 {
	for i := 0; i < len(s); i++ {
		h ^= uint64(s[i])
		h *= fnvPrime
	}
	return h
}
