// Copyright The otelcol-rum Authors
// SPDX-License-Identifier: Apache-2.0

package errorgroup

import (
	"strings"

	"github.com/otelcol-rum/otelcol-rum/internal/jsstack"
)

const (
	// minHashLen is the shortest part of a file name taken for a content hash when it is
	// hex (app.3f2c1.js); webpack, Parcel and Rollup write 8 to 20 hex digits.
	minHashLen = 5
	// minMixedHashLen is the shortest part taken for a hash when it mixes other letters
	// and digits (esbuild's app-5XJ2KQ3A.js, Vite's index-B1xT3k9a.js).
	minMixedHashLen = 8
)

// isBuiltin reports the frames of the engine's own functions, which have no file:
// whether a browser prints them does not depend on the bug.
func isBuiltin(f jsstack.Frame) bool {
	switch f.URL {
	case "", "<anonymous>", "native", "[native code]":
		return true
	}
	return strings.HasPrefix(f.URL, "index ")
}

// appendFile appends the file of a frame as the fingerprint counts it: the path of its
// URL without origin, query or fragment, and without the content hashes and chunk
// numbers of its segments.
func appendFile(b []byte, url string) []byte {
	if i := strings.IndexAny(url, "?#"); i >= 0 {
		url = url[:i]
	}
	if i := strings.Index(url, "://"); i >= 0 {
		url = url[i+len("://"):]
		if slash := strings.IndexByte(url, '/'); slash >= 0 {
			url = url[slash:]
		} else {
			url = ""
		}
	}
	for first := true; ; first = false {
		seg, rest, more := strings.Cut(url, "/")
		if !first {
			b = append(b, '/')
		}
		b = appendSegment(b, seg)
		if !more {
			return b
		}
		url = rest
	}
}

// appendSegment appends a path segment without its machine-made parts: the parts
// between ".", "-", "_" and "~" that look like hashes or numbers, and UUIDs, are left out
// with the separator before them (the one after them, for the first part).
func appendSegment(b []byte, seg string) []byte {
	wrote := false
	for start := 0; start <= len(seg); {
		if isUUID(seg[start:]) {
			// A blob: URL's path, or an id in a name: its groups are parts of their own.
			start += uuidLen + 1
			continue
		}
		end := start
		for end < len(seg) && !isNameSeparator(seg[end]) {
			end++
		}
		if part := seg[start:end]; !isHashLike(part) {
			if wrote {
				b = append(b, seg[start-1])
			}
			b = append(b, part...)
			wrote = true
		}
		start = end + 1
	}
	return b
}

func isNameSeparator(c byte) bool { return c == '.' || c == '-' || c == '_' || c == '~' }

// isHashLike reports a part of a file name that a build makes up: digits alone (chunk
// ids, versions), hex digits with a digit among them, or a long run of letters and
// digits with a digit among them.
func isHashLike(p string) bool {
	digits, hex, alnum := 0, true, true
	for i := 0; i < len(p); i++ {
		switch c := p[i]; {
		case isDigit(c):
			digits++
		case isHexLetter(c):
		case isAlpha(c):
			hex = false
		default:
			hex, alnum = false, false
		}
	}
	switch {
	case digits == 0:
		return false
	case digits == len(p):
		return true
	case hex && len(p) >= minHashLen:
		return true
	}
	return alnum && len(p) >= minMixedHashLen
}

// appendFunction appends the function of a frame as the fingerprint counts it: the name
// without what engines add around it ("new Foo", "Object.fn [as alias]", Firefox's
// "fn/<"), and nothing for an anonymous one ("?" is Faro's mark for it).
func appendFunction(b []byte, fn string) []byte {
	fn = strings.TrimPrefix(fn, "new ")
	if i := strings.Index(fn, " [as "); i >= 0 {
		fn = fn[:i]
	}
	for {
		trimmed := strings.TrimSuffix(strings.TrimSuffix(fn, "<"), "/")
		if trimmed == fn {
			break
		}
		fn = trimmed
	}
	switch fn {
	case "?", "<anonymous>":
		return b
	}
	return append(b, fn...)
}
