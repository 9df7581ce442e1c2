// Copyright The otelcol-rum Authors
// SPDX-License-Identifier: Apache-2.0

package useragent // import "github.com/otelcol-rum/otelcol-rum/internal/useragent"

import (
	"errors"
	"strings"
	"sync"
	"unicode/utf8"

	lru "github.com/hashicorp/golang-lru/v2"
	"github.com/ua-parser/uap-go/uaparser"
)

// MaxLength is how much of a User-Agent string is parsed and cached, in bytes. Real
// browsers send 100 to 300 bytes, in-app browsers up to about 400; a longer string is cut
// (at a character boundary) before anything else, so that a 1 MB header costs what 512
// bytes cost and a cache entry never holds more.
const MaxLength = 512

// Agent is what a User-Agent string says, in the values the semantic conventions'
// attributes take. Names are ua-parser's families as it spells them ("Chrome Mobile",
// "Mac OS X"); "Other" is a string it recognised nothing in.
type Agent struct {
	Name, Version     string // user_agent.name, user_agent.version ("Chrome", "131.0.0")
	OSName, OSVersion string // os.name, os.version
	DeviceType        string // rumconv.DeviceDesktop, Mobile, Tablet or Bot; "" for an empty string
	DeviceModel       string // device.model.name; "" when the string names no model
	Bot               bool
}

// Parser parses User-Agent strings and remembers the last cacheSize results. It is safe
// for concurrent use.
type Parser struct {
	cache *lru.Cache[string, Agent]
}

// compiled is ua-parser's compiled expressions (about a thousand, 40 ms to compile),
// shared by every Parser: they are read-only once built, and its own per-parser caches
// are kept to one entry, since Parser caches whole results.
var compiled = sync.OnceValues(func() (*uaparser.Parser, error) {
	return uaparser.New(uaparser.WithCacheSize(1))
})

// NewParser returns a parser whose cache keeps cacheSize results, the least recently
// used going first.
func NewParser(cacheSize int) (*Parser, error) {
	if cacheSize <= 0 {
		return nil, errors.New("cache size must be positive")
	}
	if _, err := compiled(); err != nil {
		return nil, err
	}
	cache, err := lru.New[string, Agent](cacheSize)
	if err != nil {
		return nil, err
	}
	return &Parser{cache: cache}, nil
}

// Parse returns what ua says; an empty string says nothing.
func (p *Parser) Parse(ua string) Agent {
	if ua == "" {
		return Agent{}
	}
	ua = truncate(ua)
	if a, ok := p.cache.Get(ua); ok {
		return a
	}
	uap, _ := compiled() // NewParser made sure it compiled
	a := classify(ua, uap.ParseUserAgent(ua), uap.ParseOs(ua), uap.ParseDevice(ua))
	// The key is copied: ua may be a slice of a much larger string, or of a request's
	// buffer, which the cache must not keep alive.
	p.cache.Add(strings.Clone(ua), a)
	return a
}

// Cached returns what ua says if the cache has it, without parsing: a caller that
// bounds how many strings it parses asks first, since a cached one costs nothing to
// speak of. An empty string is always known: it says nothing.
func (p *Parser) Cached(ua string) (Agent, bool) {
	if ua == "" {
		return Agent{}, true
	}
	return p.cache.Get(truncate(ua))
}

// Len is the number of results in the cache.
func (p *Parser) Len() int { return p.cache.Len() }

// truncate cuts ua to at most MaxLength bytes without splitting a UTF-8 sequence.
func truncate(ua string) string {
	if len(ua) <= MaxLength {
		return ua
	}
	cut := MaxLength
	for cut > MaxLength-utf8.UTFMax && !utf8.RuneStart(ua[cut]) {
		cut--
	}
	return ua[:cut]
}
