// Copyright The otelcol-rum Authors
// SPDX-License-Identifier: Apache-2.0

package route

import (
	"errors"
	"fmt"
	"hash/maphash"
	"strings"
	"sync"
	"sync/atomic"
	"unicode/utf8"
)

const (
	// Unknown is the template of input without a path: an empty string or an opaque URL
	// such as about:blank.
	Unknown = "/{unknown}"
	// DefaultOverflow is the overflow value when none is configured.
	DefaultOverflow = "{other}"
	// MaxServices is how many services are tracked at once.
	MaxServices = 10_000
	// CacheSize is how many URLs the cache holds, over all services.
	CacheSize = 1 << 14

	// maxCacheKeyLen is the longest URL (without query and fragment) that is cached.
	maxCacheKeyLen = 1024
	// shards is the number of cache shards and of service shards, so that goroutines
	// working on different URLs and services rarely wait for each other.
	shards = 64
)

// Templater turns page URLs into route templates and bounds their number per service.
// It is safe for concurrent use.
type Templater struct {
	patterns    []Pattern
	maxRoutes   int
	overflow    string
	maxServices int64
	seed        maphash.Seed

	cache    [shards]cacheShard
	cacheMax int // entries per cache shard

	services [shards]serviceShard
	// tracked counts the services over all shards.
	tracked atomic.Int64
}

// cacheShard maps a URL (without query and fragment) to its template before admission.
type cacheShard struct {
	mu sync.RWMutex
	m  map[string]string
	_  [64]byte // keeps shards on separate cache lines
}

// serviceShard maps a service to the set of routes it was admitted.
type serviceShard struct {
	mu sync.RWMutex
	m  map[string]map[string]struct{}
	_  [64]byte
}

// NewTemplater returns a Templater for the patterns, in matching order. Each service
// gets at most maxRoutesPerService routes (at least 1); a template beyond that is
// returned as overflow, which must not start with "/" (empty means DefaultOverflow).
// The error names every invalid pattern.
func NewTemplater(patterns []string, maxRoutesPerService int, overflow string) (*Templater, error) {
	var errs []error
	if maxRoutesPerService < 1 {
		errs = append(errs, fmt.Errorf("max routes per service must be at least 1, got %d", maxRoutesPerService))
	}
	if overflow == "" {
		overflow = DefaultOverflow
	}
	if err := CheckOverflow(overflow); err != nil {
		errs = append(errs, fmt.Errorf("invalid overflow route %q: %w", overflow, err))
	}
	t := &Templater{
		maxRoutes:   maxRoutesPerService,
		overflow:    overflow,
		maxServices: MaxServices,
		seed:        maphash.MakeSeed(),
		cacheMax:    CacheSize / shards,
	}
	for _, text := range patterns {
		p, err := ParsePattern(text)
		if err != nil {
			errs = append(errs, err)
			continue
		}
		t.patterns = append(t.patterns, p)
	}
	if len(errs) > 0 {
		return nil, errors.Join(errs...)
	}
	for i := range t.cache {
		t.cache[i].m = make(map[string]string)
	}
	for i := range t.services {
		t.services[i].m = make(map[string]map[string]struct{})
	}
	return t, nil
}

// CheckOverflow says why overflow cannot be the overflow value, or returns nil. A value
// starting with "/" could be mistaken for, or collide with, a route. The components'
// configurations check overflow_route with it, so that the collector refuses such a value
// at validation, naming the key, rather than when the templater is built.
func CheckOverflow(overflow string) error {
	if strings.HasPrefix(overflow, "/") {
		return errors.New(`must not start with "/", it could be mistaken for a route`)
	}
	if !utf8.ValidString(overflow) {
		return errors.New("not valid UTF-8")
	}
	return nil
}

// Template returns the route template of rawURL for service: a configured pattern, an
// automatic template, Unknown, or the overflow value once the service has its maximum
// number of routes. The package comment lists the rules.
func (t *Templater) Template(service, rawURL string) string {
	return t.admit(service, t.candidate(rawURL))
}

// candidate returns the template of rawURL before admission, from the cache if it can.
func (t *Templater) candidate(rawURL string) string {
	key := stripQuery(rawURL)
	if len(key) > maxCacheKeyLen {
		return t.compute(key)
	}
	sh := &t.cache[maphash.String(t.seed, key)%shards]
	sh.mu.RLock()
	tmpl, ok := sh.m[key]
	sh.mu.RUnlock()
	if ok {
		return tmpl
	}
	tmpl = t.compute(key)
	sh.mu.Lock()
	if len(sh.m) >= t.cacheMax {
		clear(sh.m)
	}
	sh.m[strings.Clone(key)] = tmpl
	sh.mu.Unlock()
	return tmpl
}

// compute returns the template of s, a URL without query and fragment. The result never
// shares memory with s: it goes into the cache.
func (t *Templater) compute(s string) string {
	path, ok := pathOf(s)
	if !ok {
		return Unknown
	}
	var buf [16]string
	segs := appendSegments(buf[:0], path)
	for i := range t.patterns {
		if t.patterns[i].match(segs) {
			return t.patterns[i].text
		}
	}
	return autoTemplate(segs)
}

// admit returns route if service has it or may add it, and the overflow value if not.
func (t *Templater) admit(service, route string) string {
	sh := &t.services[maphash.String(t.seed, service)%shards]
	// The common cases, an admitted route or a full service, only need the read lock.
	sh.mu.RLock()
	routes, known := sh.m[service]
	_, admitted := routes[route]
	full := known && len(routes) >= t.maxRoutes || !known && t.tracked.Load() >= t.maxServices
	sh.mu.RUnlock()
	if admitted {
		return route
	}
	if full {
		return t.overflow
	}

	sh.mu.Lock()
	defer sh.mu.Unlock()
	routes, known = sh.m[service]
	if !known {
		// Take a service slot only if one is free, so that the count never goes over
		// the limit, even for a moment.
		for {
			n := t.tracked.Load()
			if n >= t.maxServices {
				return t.overflow
			}
			if t.tracked.CompareAndSwap(n, n+1) {
				break
			}
		}
		routes = make(map[string]struct{})
		sh.m[strings.Clone(service)] = routes
	}
	if _, ok := routes[route]; ok {
		return route
	}
	if len(routes) >= t.maxRoutes {
		return t.overflow
	}
	routes[strings.Clone(route)] = struct{}{}
	return route
}

// Forget drops route from service's routes, making room for a new one; the aggregator
// calls it when the last series that used the route expires. A service without routes
// stops being tracked. Forgetting a route that is not admitted does nothing; a route
// forgotten too early is admitted again by its next Template call if there is room.
func (t *Templater) Forget(service, route string) {
	sh := &t.services[maphash.String(t.seed, service)%shards]
	sh.mu.Lock()
	defer sh.mu.Unlock()
	routes, ok := sh.m[service]
	if !ok {
		return
	}
	delete(routes, route)
	if len(routes) == 0 {
		delete(sh.m, service)
		t.tracked.Add(-1)
	}
}

// CheckOptions returns the errors of a component's route options, each naming its YAML
// key: routes (each a valid pattern), max_routes_per_service (positive) and
// overflow_route (see CheckOverflow).
func CheckOptions(patterns []string, maxRoutesPerService int, overflow string) []error {
	var errs []error
	for i, p := range patterns {
		if _, err := ParsePattern(p); err != nil {
			errs = append(errs, fmt.Errorf("invalid routes[%d]: %w", i, err))
		}
	}
	if maxRoutesPerService <= 0 {
		errs = append(errs, errors.New("invalid max_routes_per_service: must be positive"))
	}
	if overflow == "" {
		errs = append(errs, errors.New("invalid overflow_route: must not be empty"))
	} else if err := CheckOverflow(overflow); err != nil {
		errs = append(errs, fmt.Errorf("invalid overflow_route: %w", err))
	}
	return errs
}
