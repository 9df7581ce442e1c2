// Copyright The otelcol-rum Authors
// SPDX-License-Identifier: Apache-2.0

package sourcemaps // import "github.com/otelcol-rum/otelcol-rum/internal/sourcemaps"

import (
	"errors"
	"net/url"
	"strings"
)

// Limits of a key's parts. A browser chooses them, and every key may be remembered in the
// negative cache, so their length bounds that cache's memory; real bundle URLs, app names
// and releases are far shorter.
const (
	maxScriptURLLength = 2048
	maxNameLength      = 256
)

// Key names the map of one script of one release of one app.
type Key struct {
	// App is the service.name of the data.
	App string
	// Release is its service.version; without it only a download can find the map.
	Release string
	// ScriptURL is the script's URL as the stack frame names it.
	ScriptURL string
}

var (
	errNotHTTP     = errors.New("not an http or https URL")
	errTooLong     = errors.New("too long")
	errBadPathPart = errors.New("not a safe path segment")
)

// scriptURL parses the key's script URL: absolute http(s) only, as frames of scripts
// loaded by a page are; anything else ("<anonymous>", file:, extensions) has no map here.
func (k Key) scriptURL() (*url.URL, error) {
	if len(k.ScriptURL) > maxScriptURLLength {
		return nil, errTooLong
	}
	u, err := url.Parse(k.ScriptURL)
	if err != nil {
		return nil, err
	}
	if _, ok := originOf(u); !ok {
		return nil, errNotHTTP
	}
	return u, nil
}

// layoutPath is where the layout of directory and base_url puts the map:
// <app>/<release>/<script URL path>.map, as slash-separated segments. It refuses
// anything that could name a file outside that tree (.., empty or dot segments,
// backslashes, NUL) rather than cleaning it: a cleaned path would be another file than
// the one the URL names.
func (k Key) layoutPath(u *url.URL) ([]string, error) {
	for _, part := range []string{k.App, k.Release} {
		if len(part) > maxNameLength {
			return nil, errTooLong
		}
		if !safeSegment(part) {
			return nil, errBadPathPart
		}
	}
	p := strings.TrimPrefix(u.Path, "/")
	if p == "" || strings.HasSuffix(p, "/") {
		return nil, errBadPathPart
	}
	segs := strings.Split(p, "/")
	for _, s := range segs {
		if !safeSegment(s) {
			return nil, errBadPathPart
		}
	}
	segs[len(segs)-1] += ".map"
	return append([]string{k.App, k.Release}, segs...), nil
}

func safeSegment(s string) bool {
	return s != "" && s != "." && s != ".." && !strings.ContainsAny(s, "/\\\x00")
}

// deemedMapURL is where the map of a script is deemed to be when it does not come from
// the script's origin: next to the script, as a bundler writes it. Relative sources are
// resolved against it, so a frame names the same original file whichever source the map
// came from. Query and fragment are dropped: they version the script, not its sources.
func deemedMapURL(u *url.URL) string {
	v := url.URL{Scheme: u.Scheme, Host: u.Host, Path: u.Path + ".map"}
	return v.String()
}
