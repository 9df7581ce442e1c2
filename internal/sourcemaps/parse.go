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

// The parser keeps one 24-byte record (six int32) per mapping segment; it sizes that
// slice by counting the separators of the "mappings" string, which is what the weight
// counts too.
const bytesPerSegment = 24

// mapOverhead is the fixed cost of a parsed map: the parser's structs, the section and
// the cache entry (measured; see TestWeightEstimate).
const mapOverhead = 1024

var errInvalidMap = errors.New("invalid source map")

// head is what parseMap reads of a map before handing it to the parser: enough to tell an
// index map from a plain one and to weigh it. encoding/json skips the other fields
// without keeping them.
type head struct {
	Version  int             `json:"version"`
	Mappings json.RawMessage `json:"mappings"`
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

// parseSection parses one plain map and estimates the memory it keeps: a record per
// mapping segment, and the rest of its JSON (sources, sourcesContent, names), which the
// parser keeps as strings no longer than their JSON text.
func parseSection(mapURL string, b []byte, h head) (section, int64, error) {
	c, err := safeParse(mapURL, b)
	if err != nil {
		return section{}, 0, fmt.Errorf("%w: %w", errInvalidMap, err)
	}
	segments := 1 + bytes.Count(h.Mappings, []byte{','}) + bytes.Count(h.Mappings, []byte{';'})
	w := int64(bytesPerSegment*segments) + int64(len(b)-len(h.Mappings))
	return section{consumer: c}, w, nil
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
