// Copyright The otelcol-rum Authors
// SPDX-License-Identifier: Apache-2.0

package sourcemaps // import "github.com/otelcol-rum/otelcol-rum/internal/sourcemaps"

import (
	"errors"
	"net"
	"net/url"
	"strings"
)

// origin is a normalized scheme://host:port. Comparing normalized origins makes
// https://Shop.example and https://shop.example:443 the same origin, as a browser does,
// so that neither the allow-list nor the redirect check can be dodged by spelling.
type origin string

// parseOrigin reads an allow-list entry: an http(s) origin with nothing after the host
// but an optional "/".
func parseOrigin(s string) (origin, error) {
	u, err := url.Parse(s)
	if err != nil {
		return "", err
	}
	if u.Path != "" && u.Path != "/" || u.RawQuery != "" || u.Fragment != "" || u.User != nil {
		return "", errors.New("must be scheme://host[:port] without path, query or user")
	}
	o, ok := originOf(u)
	if !ok {
		return "", errors.New("must be an http or https origin with a host")
	}
	return o, nil
}

// originOf returns the origin of an absolute http(s) URL; false for any other URL.
func originOf(u *url.URL) (origin, bool) {
	scheme := strings.ToLower(u.Scheme)
	if scheme != "http" && scheme != "https" || u.Hostname() == "" {
		return "", false
	}
	port := u.Port()
	if port == "" {
		port = "80"
		if scheme == "https" {
			port = "443"
		}
	}
	host := strings.ToLower(u.Hostname())
	return origin(scheme + "://" + net.JoinHostPort(host, port)), true
}

// allowList is the set of origins downloads may contact.
type allowList map[origin]struct{}

func newAllowList(origins []string) (allowList, error) {
	l := make(allowList, len(origins))
	for _, s := range origins {
		o, err := parseOrigin(s)
		if err != nil {
			return nil, err
		}
		l[o] = struct{}{}
	}
	return l, nil
}

// allows reports whether u may be requested: its origin is listed and it carries no
// user information, which would make the collector send credentials a browser chose
// (a stack frame's URL or a sourceMappingURL) to the allowed origin.
func (l allowList) allows(u *url.URL) bool {
	if u.User != nil {
		return false
	}
	o, ok := originOf(u)
	if !ok {
		return false
	}
	_, ok = l[o]
	return ok
}
