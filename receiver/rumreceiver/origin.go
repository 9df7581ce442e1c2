// Copyright The otelcol-rum Authors
// SPDX-License-Identifier: Apache-2.0

package rumreceiver // import "github.com/otelcol-rum/otelcol-rum/receiver/rumreceiver"

import (
	"net/http"
	"net/url"
	"slices"
	"strings"
)

// originPolicy refuses requests sent by pages of origins that cors::allowed_origins does
// not list. CORS alone does not: it only keeps a page from reading the answer, and
// sendBeacon and simple text/plain POSTs are sent, and ingested, without asking first.
type originPolicy struct {
	// patterns are the allowed origins in lower case; empty means every origin.
	patterns []originPattern
}

// originPattern is an allowed origin, possibly with one "*" that stands for any run of
// characters (https://*.example.com), as cors::allowed_origins writes it.
type originPattern struct {
	prefix, suffix string
	wildcard       bool
}

func newOriginPolicy(cfg *Config) originPolicy {
	if !cfg.CORS.HasValue() {
		return originPolicy{}
	}
	allowed := cfg.CORS.Get().AllowedOrigins
	if len(allowed) == 0 || slices.Contains(allowed, "*") {
		return originPolicy{}
	}
	var p originPolicy
	for _, o := range allowed {
		o = strings.ToLower(o)
		prefix, suffix, wildcard := strings.Cut(o, "*")
		p.patterns = append(p.patterns, originPattern{prefix: prefix, suffix: suffix, wildcard: wildcard})
	}
	return p
}

// allows reports whether the request may be ingested, and the origin it was judged by.
// Browsers send Origin on every POST; a beacon from an older browser may carry only a
// Referer, whose origin stands in. A request with neither is not from a browser page: a
// non-browser client can send any header it likes, so refusing it would protect nothing.
func (p originPolicy) allows(req *http.Request) (origin string, ok bool) {
	if len(p.patterns) == 0 {
		return "", true
	}
	origin = req.Header.Get("Origin")
	if origin == "" {
		origin = refererOrigin(req.Referer())
	}
	if origin == "" {
		return "", true
	}
	lower := strings.ToLower(origin)
	for _, pat := range p.patterns {
		if pat.matches(lower) {
			return origin, true
		}
	}
	return origin, false
}

func (pat originPattern) matches(origin string) bool {
	if !pat.wildcard {
		return origin == pat.prefix
	}
	return len(origin) >= len(pat.prefix)+len(pat.suffix) &&
		strings.HasPrefix(origin, pat.prefix) && strings.HasSuffix(origin, pat.suffix)
}

// refererOrigin is scheme://host[:port] of a Referer, or "" when it has none.
func refererOrigin(referer string) string {
	if referer == "" {
		return ""
	}
	u, err := url.Parse(referer)
	if err != nil || u.Scheme == "" || u.Host == "" {
		return ""
	}
	return u.Scheme + "://" + u.Host
}
