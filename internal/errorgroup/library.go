// Copyright The otelcol-rum Authors
// SPDX-License-Identifier: Apache-2.0

package errorgroup

import (
	"regexp"
	"strings"
	"sync"
)

const (
	// maxRememberedURLs bounds how many URLs a Grouper remembers the library match of. An
	// app has a few bundles and a few hundred source files; a flood of made-up URLs clears
	// the memory when it is full rather than growing it.
	maxRememberedURLs = 1024
	// maxRememberedURLLen is the longest URL remembered, so the memory holds at most
	// about maxRememberedURLs × maxRememberedURLLen bytes of keys (512 KiB).
	maxRememberedURLLen = 512
)

// libraryMatcher answers whether a frame's URL matches the library pattern. It remembers
// the answers because the same few URLs come back in every stack, and an unanchored
// alternation such as `node_modules|webpack/bootstrap|\bvendor\b` costs Go's regexp about
// a microsecond per URL: nine tenths of an ID without the memory.
type libraryMatcher struct {
	re *regexp.Regexp

	mu   sync.RWMutex
	seen map[string]bool
}

func newLibraryMatcher(re *regexp.Regexp) *libraryMatcher {
	return &libraryMatcher{re: re, seen: make(map[string]bool)}
}

func (m *libraryMatcher) match(url string) bool {
	if len(url) > maxRememberedURLLen {
		return m.re.MatchString(url)
	}
	m.mu.RLock()
	is, ok := m.seen[url]
	m.mu.RUnlock()
	if ok {
		return is
	}
	is = m.re.MatchString(url)
	// The key is cloned: url usually shares the memory of a whole stack trace.
	key := strings.Clone(url)
	m.mu.Lock()
	if len(m.seen) >= maxRememberedURLs {
		clear(m.seen)
	}
	m.seen[key] = is
	m.mu.Unlock()
	return is
}
