// Copyright The otelcol-rum Authors
// SPDX-License-Identifier: Apache-2.0

package route

import (
	"fmt"
	"strings"
)

// Pattern is a configured route such as /product/{id}, /blog/{year}/{slug} or /docs/*.
// The package comment describes the syntax.
type Pattern struct {
	text string
	// segs are the segments before any "*": a cleaned literal, or "" for a {param}.
	segs []string
	// rest is set when the pattern ends in "*".
	rest bool
}

// ParsePattern validates and compiles a pattern. Its error names the pattern, for example
// `invalid route pattern "/a/{": unclosed "{"`.
func ParsePattern(text string) (Pattern, error) {
	p := Pattern{text: text}
	if err := p.parse(); err != nil {
		return Pattern{}, fmt.Errorf("invalid route pattern %q: %w", text, err)
	}
	return p, nil
}

type patternError string

func (e patternError) Error() string { return string(e) }

func (p *Pattern) parse() error {
	s := p.text
	if !strings.HasPrefix(s, "/") {
		return patternError(`must start with "/"`)
	}
	if i := strings.IndexAny(s, `?#;\`); i >= 0 {
		return patternError(fmt.Sprintf("%q is not allowed: a pattern matches the path only", s[i:i+1]))
	}
	if s == "/" {
		return nil
	}
	if strings.HasSuffix(s, "/") {
		return patternError(`must not end with "/"`)
	}
	parts := strings.Split(s[1:], "/")
	for i, seg := range parts {
		switch {
		case seg == "":
			return patternError("empty segment (duplicate \"/\")")
		case seg == "*":
			if i != len(parts)-1 {
				return patternError(`"*" must be the last segment`)
			}
			p.rest = true
		case strings.Contains(seg, "*"):
			return patternError(fmt.Sprintf(`"*" must be a whole segment, found in %q`, seg))
		case seg[0] == '{':
			end := strings.IndexByte(seg, '}')
			if end < 0 {
				return patternError(`unclosed "{"`)
			}
			if end != len(seg)-1 {
				return patternError(fmt.Sprintf(`a parameter must be a whole segment, found %q`, seg))
			}
			name := seg[1:end]
			if name == "" {
				return patternError("empty parameter name")
			}
			for j := 0; j < len(name); j++ {
				if c := name[j]; !isAlpha(c) && !isDigit(c) && c != '_' && c != '-' && c != '.' {
					return patternError(fmt.Sprintf("invalid parameter name %q", name))
				}
			}
			p.segs = append(p.segs, "")
		case strings.ContainsAny(seg, "{}"):
			if strings.IndexByte(seg, '{') >= 0 {
				return patternError(fmt.Sprintf(`a parameter must be a whole segment, found %q`, seg))
			}
			return patternError(`unexpected "}"`)
		default:
			lit := cleanSegment(seg)
			if lit == "." || lit == ".." {
				return patternError(fmt.Sprintf("dot segment %q", seg))
			}
			p.segs = append(p.segs, lit)
		}
	}
	return nil
}

// String returns the pattern as configured: the template it stands for.
func (p Pattern) String() string { return p.text }

// match reports whether the cleaned segments of a path match p.
func (p *Pattern) match(segs []string) bool {
	if len(segs) < len(p.segs) || !p.rest && len(segs) != len(p.segs) {
		return false
	}
	for i, lit := range p.segs {
		if lit != "" && lit != segs[i] {
			return false
		}
	}
	return true
}

// Matches reports whether a path, or a route template such as /product/{id}, matches p;
// Apdex thresholds are chosen by matching a series' route against patterns.
func (p Pattern) Matches(path string) bool {
	return p.match(appendSegments(nil, path))
}
