// Copyright The otelcol-rum Authors
// SPDX-License-Identifier: Apache-2.0

package sourcemaps // import "github.com/otelcol-rum/otelcol-rum/internal/sourcemaps"

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"

	"github.com/go-sourcemap/sourcemap"
)

// What a parsed map keeps. BenchmarkWeightEstimate measures the heap that parsed maps
// hold over the weight charged for them: 0.90 to 0.99 for the testdata maps and synthetic
// maps of 100 kB and 1 MB, 0.94 for a real 2.2 MB esbuild map (terser bundled), so the
// cache's byte bound holds. The weight counts:
//   - one 24-byte record (six int32) per mapping segment, in a slice the parser sizes by
//     counting the separators and that append usually grows once (one segment more than
//     separators), so the weight counts the capacity append gives;
//   - each name as a json.RawMessage: a slice header and a small allocation;
//   - sources and sourcesContent as strings, which are no longer than their JSON text;
//   - a fixed part for the parser's and the cache's structs.
const (
	bytesPerSegment = 24
	bytesPerName    = 40
	mapOverhead     = 1024
)

var errInvalidMap = errors.New("invalid source map")

// head is what parseMap reads of a map before handing it to the parser: enough to tell an
// index map from a plain one and to weigh it. encoding/json skips the other fields
// without keeping them.
type head struct {
	Version  int             `json:"version"`
	Mappings json.RawMessage `json:"mappings"`
	Names    elementCount    `json:"names"`
	Sections []struct {
		Offset struct {
			Line   int `json:"line"`
			Column int `json:"column"`
		} `json:"offset"`
		Map json.RawMessage `json:"map"`
		URL string          `json:"url"`
	} `json:"sections"`
}

// parseMap parses a source map: a plain one, or an index map whose sections each hold
// their map. mapURL is where the map is deemed to be; relative sources are resolved
// against it. Index maps are split here rather than by the parser, which misplaces
// sections that start after column 0 and panics on a section without a map.
func parseMap(mapURL string, b []byte) (*Map, error) {
	var h head
	if err := json.Unmarshal(b, &h); err != nil {
		return nil, fmt.Errorf("%w: %w", errInvalidMap, err)
	}
	if len(h.Sections) == 0 {
		s, w, err := parseSection(mapURL, b, h)
		if err != nil {
			return nil, err
		}
		return &Map{sections: []section{s}, weight: w + mapOverhead}, nil
	}
	if h.Version != 3 {
		return nil, fmt.Errorf("%w: index map of version %d", errInvalidMap, h.Version)
	}
	m := &Map{sections: make([]section, 0, len(h.Sections)), weight: mapOverhead}
	for i, hs := range h.Sections {
		if len(hs.Map) == 0 || hs.URL != "" {
			return nil, fmt.Errorf("%w: section %d has no map (sections by url are not supported)", errInvalidMap, i)
		}
		if hs.Offset.Line < 0 || hs.Offset.Column < 0 {
			return nil, fmt.Errorf("%w: section %d has a negative offset", errInvalidMap, i)
		}
		if i > 0 {
			prev := m.sections[i-1]
			if hs.Offset.Line < prev.line || hs.Offset.Line == prev.line && hs.Offset.Column <= prev.column {
				return nil, fmt.Errorf("%w: section %d does not start after the previous one", errInvalidMap, i)
			}
		}
		var sh head
		if err := json.Unmarshal(hs.Map, &sh); err != nil {
			return nil, fmt.Errorf("%w: section %d: %w", errInvalidMap, i, err)
		}
		if len(sh.Sections) > 0 {
			return nil, fmt.Errorf("%w: section %d is an index map itself", errInvalidMap, i)
		}
		s, w, err := parseSection(mapURL, hs.Map, sh)
		if err != nil {
			return nil, fmt.Errorf("section %d: %w", i, err)
		}
		s.line, s.column = hs.Offset.Line, hs.Offset.Column
		m.sections = append(m.sections, s)
		m.weight += w
	}
	return m, nil
}

// parseSection parses one plain map and estimates the memory it keeps.
func parseSection(mapURL string, b []byte, h head) (section, int64, error) {
	c, err := safeParse(mapURL, b)
	if err != nil {
		return section{}, 0, fmt.Errorf("%w: %w", errInvalidMap, err)
	}
	counted := bytes.Count(h.Mappings, []byte{','}) + bytes.Count(h.Mappings, []byte{';'})
	w := int64(bytesPerSegment*appendedCap(counted)) + int64(bytesPerName*int(h.Names)) + int64(len(b)-len(h.Mappings))
	return section{consumer: c}, w, nil
}

// appendedCap is the capacity of a slice of n elements after one more is appended, by
// the growth rule of the Go runtime (double below 256 elements, then about 1.25 times).
func appendedCap(n int) int {
	const threshold = 256
	if n < threshold {
		return max(2*n, 1)
	}
	return n + (n+3*threshold)/4
}

// elementCount counts the elements of a JSON array without keeping them: the map's
// names, which the parser keeps one allocation each.
type elementCount int

// UnmarshalJSON counts the top-level commas of an array that encoding/json has already
// checked to be valid JSON; anything but an array counts 0.
func (c *elementCount) UnmarshalJSON(b []byte) error {
	*c = 0
	depth, inString, escaped, empty := 0, false, false, true
	for _, ch := range b {
		if inString {
			switch {
			case escaped:
				escaped = false
			case ch == '\\':
				escaped = true
			case ch == '"':
				inString = false
			}
			continue
		}
		switch ch {
		case ' ', '\t', '\n', '\r':
			continue
		case '"':
			inString = true
		case '[', '{':
			depth++
			if depth == 1 {
				continue // the array's own bracket
			}
		case ']', '}':
			depth--
		case ',':
			if depth == 1 {
				*c++
				continue
			}
		}
		if depth >= 1 {
			empty = false
		}
	}
	if !empty {
		*c++
	}
	return nil
}

// safeParse runs the parser, turning a panic on hostile input into an error: a map comes
// from outside and must never take the collector down.
func safeParse(mapURL string, b []byte) (c *sourcemap.Consumer, err error) {
	defer func() {
		if r := recover(); r != nil {
			c, err = nil, fmt.Errorf("parser panicked: %v", r)
		}
	}()
	return sourcemap.Parse(mapURL, b)
}
