// Copyright The otelcol-rum Authors
// SPDX-License-Identifier: Apache-2.0

package errorgroup

import (
	"crypto/sha256"
	"encoding/binary"
	"encoding/hex"
	"fmt"
	"regexp"
	"strings"

	"github.com/otelcol-rum/otelcol-rum/internal/jsstack"
)

// fingerprintVersion starts every fingerprint; change it with the rules, so that ids of
// different rules never meet.
const fingerprintVersion = "jserr/v1"

// IDLen is the length of an id: 16 hex digits, 64 bits.
const IDLen = 16

// Grouper computes error group ids. It is safe for concurrent use. Besides its
// configuration it holds only a bounded memory of which URLs are library URLs (see
// libraryMatcher), which never changes an id.
type Grouper struct {
	library *libraryMatcher // nil: every frame is in-app
	frames  int
}

// New returns a Grouper that counts the top frames in-app frames of a stack, leaving
// out the frames whose URL matches libraryPattern (an RE2 regular expression; empty
// matches nothing). frames may be 0: the group is then the type and the masked message.
func New(libraryPattern string, frames int) (*Grouper, error) {
	if frames < 0 {
		return nil, fmt.Errorf("frames must not be negative, got %d", frames)
	}
	g := &Grouper{frames: frames}
	if libraryPattern != "" {
		re, err := regexp.Compile(libraryPattern)
		if err != nil {
			return nil, fmt.Errorf("invalid library pattern: %w", err)
		}
		g.library = newLibraryMatcher(re)
	}
	return g, nil
}

// ID returns the group id of an error: 16 hex digits from the exception type, the
// masked message and the top in-app frames, as the package documentation says. frames
// are the stack's frames top (innermost call) first, symbolicated where a source map
// resolved them.
func (g *Grouper) ID(excType, message string, frames []jsstack.Frame) string {
	var stack [512]byte
	b := append(stack[:0], fingerprintVersion...)
	start := len(b)
	b = endField(append(b, strings.TrimSpace(excType)...), start)
	start = len(b)
	b = endField(appendMasked(b, message), start)
	counted := g.appendFrames(b, frames, true)
	if len(counted) == len(b) {
		// No in-app frame: the library's frames tell such errors apart better than the
		// message alone.
		counted = g.appendFrames(b, frames, false)
	}
	sum := sha256.Sum256(counted)
	var id [IDLen]byte
	hex.Encode(id[:], sum[:IDLen/2])
	return string(id[:])
}

// appendFrames appends the file and function of the top g.frames frames that are not
// built-ins and, with inApp, that do not match the library pattern.
func (g *Grouper) appendFrames(b []byte, frames []jsstack.Frame, inApp bool) []byte {
	n := 0
	for _, f := range frames {
		if n == g.frames {
			break
		}
		if isBuiltin(f) || (inApp && g.library != nil && g.library.match(f.URL)) {
			continue
		}
		start := len(b)
		b = endField(appendFile(b, f.URL), start)
		start = len(b)
		b = endField(appendFunction(b, f.Function), start)
		n++
	}
	return b
}

// endField ends the field written from start with its length: read from the end, the
// lengths split the string back into its fields, so that two different fingerprints
// never give the same bytes.
func endField(b []byte, start int) []byte {
	return binary.BigEndian.AppendUint32(b, uint32(len(b)-start)) //nolint:gosec // a field is a part of one error's text, far below 4 GiB
}
