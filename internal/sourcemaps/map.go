// Copyright The otelcol-rum Authors
// SPDX-License-Identifier: Apache-2.0

package sourcemaps // import "github.com/otelcol-rum/otelcol-rum/internal/sourcemaps"

import (
	"sort"
	"strings"
	"sync/atomic"
	"unicode/utf8"

	"github.com/go-sourcemap/sourcemap"
)

// maxContextLine bounds the context line returned: a source that is itself minified can
// have lines of megabytes, and the line ends up in an attribute of every occurrence.
const maxContextLine = 1024

// Map is a parsed source map, safe for concurrent use.
type Map struct {
	sections []section // by offset, ascending; one at offset 0 for a plain map
	weight   int64     // estimated memory, for the cache's byte bound

	// outOfRange is set when a lookup met a mapping that points outside the map (a
	// source index past its sources): the map is damaged and is reported once.
	outOfRange     atomic.Bool
	damageReported atomic.Bool
}

// section is a plain map placed at a 0-based line and column of the generated file.
type section struct {
	line, column int
	consumer     *sourcemap.Consumer
}

// Position is a place in an original source.
type Position struct {
	// Source is the original file as the map names it, resolved against the map's URL.
	Source string
	// Line and Column are 1-based.
	Line, Column int
	// Name is the original name of the identifier the map records at the generated
	// position, if any. At a call site that is the function called, not the one calling:
	// Symbolicate names a frame's function from its caller's position for that reason.
	Name string
}

// Resolve returns the original position of a 1-based line and column of the generated
// file; false when the map has no mapping there. Any line and column are safe.
func (m *Map) Resolve(line, col int) (Position, bool) {
	if line < 1 || col < 1 {
		return Position{}, false
	}
	genLine, genCol := line-1, col-1
	// The last section that starts at or before the position holds it.
	i := sort.Search(len(m.sections), func(i int) bool {
		s := &m.sections[i]
		return s.line > genLine || s.line == genLine && s.column > genCol
	}) - 1
	if i < 0 {
		return Position{}, false
	}
	s := &m.sections[i]
	relLine, relCol := genLine-s.line, genCol
	if relLine == 0 {
		relCol -= s.column // a section's column offset applies to its first line only
	}
	source, name, srcLine, srcCol, ok, panicked := lookup(s.consumer, relLine+1, relCol)
	if panicked {
		m.outOfRange.Store(true)
		return Position{}, false
	}
	if !ok || source == "" || srcLine < 1 || srcCol < 0 {
		return Position{}, false
	}
	return Position{Source: source, Line: srcLine, Column: srcCol + 1, Name: name}, true
}

// lookup calls the parser's lookup (1-based line, 0-based column in and out of the
// line), which indexes the sources with the map's numbers unchecked: a damaged map
// makes it panic, which is turned into a failed lookup.
func lookup(c *sourcemap.Consumer, line, col int) (source, name string, srcLine, srcCol int, ok, panicked bool) {
	defer func() {
		if recover() != nil {
			ok, panicked = false, true
		}
	}()
	source, name, srcLine, srcCol, ok = c.Source(line, col)
	return source, name, srcLine, srcCol, ok, false
}

// ContextLine returns the 1-based line of an original source from the map's
// sourcesContent, without its line break and cut to 1 KiB; false when the map has no
// content for that source or the source is shorter.
func (m *Map) ContextLine(source string, line int) (string, bool) {
	if line < 1 {
		return "", false
	}
	for i := range m.sections {
		content := m.sections[i].consumer.SourceContent(source)
		if content == "" {
			continue
		}
		return nthLine(content, line)
	}
	return "", false
}

func nthLine(content string, n int) (string, bool) {
	for ; n > 1; n-- {
		i := strings.IndexByte(content, '\n')
		if i < 0 {
			return "", false
		}
		content = content[i+1:]
	}
	if i := strings.IndexByte(content, '\n'); i >= 0 {
		content = content[:i]
	}
	content = strings.TrimSuffix(content, "\r")
	if len(content) > maxContextLine {
		cut := maxContextLine
		for cut > 0 && !utf8.RuneStart(content[cut]) {
			cut--
		}
		content = content[:cut]
	}
	return strings.Clone(content), true
}

// Weight is the estimated memory the parsed map keeps, in bytes.
func (m *Map) Weight() int64 { return m.weight }
