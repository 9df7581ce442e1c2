// Copyright The otelcol-rum Authors
// SPDX-License-Identifier: Apache-2.0

package sourcemaps // import "github.com/otelcol-rum/otelcol-rum/internal/sourcemaps"

import (
	"context"
	"errors"
	"fmt"
	"net/url"
)

var (
	// errKeyRefused marks a refusal of the key itself, which a browser chose: counted,
	// never logged, unlike a refused map URL, which the operator's site names.
	errKeyRefused     = errors.New("script URL refused")
	errNoSource       = errors.New("no source configured")
	errNoMappingURL   = errors.New("the script names no source map")
	errNotHTTPMapURL  = errors.New("sourceMappingURL is not an http(s) URL")
	errNotAllowedMap  = errors.New("sourceMappingURL on an origin not on download.allowed_origins")
	errUnreadableLink = errors.New("sourceMappingURL is not a URL")
)

// found is a map's text and where it came from.
type found struct {
	body []byte
	// mapURL is where the map is deemed to be: its relative sources are resolved
	// against it.
	mapURL string
	source Source
}

// find tries the sources in order: directory, base_url, download. It moves on only when a
// source has no map; any other failure (too large, refused, timeout) is the answer, so
// that a broken deploy shows instead of being papered over by another source.
func (s *Store) find(ctx context.Context, k Key, u *url.URL) (found, Reason, error) {
	reason, err := ReasonNotFound, errNoSource
	if s.cfg.Directory != "" || s.baseURL != nil {
		segs, lerr := k.layoutPath(u)
		if lerr != nil {
			reason, err = ReasonRefused, fmt.Errorf("%w: no layout path: %w", errKeyRefused, lerr)
		}
		if lerr == nil && s.cfg.Directory != "" {
			b, r, ferr := readFromDirectory(s.cfg.Directory, segs, s.cfg.MaxMapSize)
			if r == "" {
				return found{body: b, mapURL: deemedMapURL(u), source: SourceDirectory}, "", nil
			}
			if r != ReasonNotFound {
				return found{}, r, ferr
			}
			reason, err = r, ferr
		}
		if lerr == nil && s.baseURL != nil {
			f, r, ferr := get(ctx, s.client, baseURLPath(s.baseURL, segs), s.cfg.MaxMapSize)
			if r == "" {
				return found{body: f.body, mapURL: deemedMapURL(u), source: SourceBaseURL}, "", nil
			}
			if r != ReasonNotFound {
				return found{}, r, ferr
			}
			reason, err = r, ferr
		}
	}
	if s.cfg.Download.Enabled {
		return s.download(ctx, u)
	}
	return found{}, reason, err
}

// baseURLPath is where base_url keeps the map of the layout path segs. JoinPath takes
// its elements as escaped text, and segs are decoded (a browser's names and its
// script's decoded path): each is escaped first, so that "%2e%2e" or "..%2F" reaches the
// server as the literal name it is, not as a ".." that the server decodes and follows
// out of <base_url>/<app>/<release>/.
func baseURLPath(base *url.URL, segs []string) *url.URL {
	escaped := make([]string, len(segs))
	for i, seg := range segs {
		escaped[i] = url.PathEscape(seg)
	}
	return base.JoinPath(escaped...)
}

// download reads the script from its origin, then the map its SourceMap header or
// sourceMappingURL comment names. Every URL is checked against the allow-list before it
// is requested.
func (s *Store) download(ctx context.Context, u *url.URL) (found, Reason, error) {
	if !s.allowed.allows(u) {
		return found{}, ReasonRefused, fmt.Errorf("%w: %w", errKeyRefused, errNotAllowedOrigin)
	}
	script, r, err := get(ctx, s.client, u, s.cfg.Download.MaxScriptSize)
	if r != "" {
		return found{}, r, err
	}
	ref := mapReference(script)
	if ref == "" {
		return found{}, ReasonNotFound, errNoMappingURL
	}
	if isDataURL(ref) {
		b, r, err := decodeInlineMap(ref, s.cfg.MaxMapSize)
		if r != "" {
			return found{}, r, err
		}
		return found{body: b, mapURL: deemedMapURL(script.url), source: SourceInline}, "", nil
	}
	mu, err := script.url.Parse(ref)
	if err != nil {
		return found{}, ReasonRefused, fmt.Errorf("%w: %w", errUnreadableLink, err)
	}
	if _, ok := originOf(mu); !ok {
		return found{}, ReasonRefused, fmt.Errorf("%w: %s", errNotHTTPMapURL, mu.Scheme)
	}
	if !s.allowed.allows(mu) {
		return found{}, ReasonRefused, fmt.Errorf("%w: %s", errNotAllowedMap, mu.Redacted())
	}
	m, r, err := get(ctx, s.client, mu, s.cfg.MaxMapSize)
	if r != "" {
		return found{}, r, err
	}
	at := url.URL{Scheme: m.url.Scheme, Host: m.url.Host, Path: m.url.Path}
	return found{body: m.body, mapURL: at.String(), source: SourceDownload}, "", nil
}

// mapReference is the map's URL as the script's response names it: the SourceMap header
// (or its older X-SourceMap), which takes precedence as the source map specification
// says, else the last sourceMappingURL comment.
func mapReference(script fetched) string {
	for _, h := range []string{"SourceMap", "X-SourceMap"} {
		if v := script.header.Get(h); v != "" {
			return v
		}
	}
	ref, _ := sourceMappingURL(script.body)
	return ref
}
