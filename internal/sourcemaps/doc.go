// Copyright The otelcol-rum Authors
// SPDX-License-Identifier: Apache-2.0

// Package sourcemaps turns minified JavaScript stack frames back into original source
// with the bundles' source maps.
//
// A Store finds the map of a script (Key: app, release and the script's URL) in up to
// three places, in order: a local directory laid out by app, release and the script's
// URL path; an HTTP(S) base URL laid out the same way; and, when enabled, the script's
// own origin through its sourceMappingURL comment or SourceMap header, for origins on an
// allow-list only. Parsed maps are kept in an LRU cache bounded in bytes, failures in a
// bounded negative cache, and concurrent requests for one map load it once. Get never
// waits past its context's deadline: a load that finishes later fills the cache for the
// next error. Symbolicate applies all of it to a jsstack.Trace.
//
// Everything a browser sends is untrusted: the script URL of a frame can name any host.
// Nothing outside the directory, the base URL and the allowed origins is ever read or
// requested, and every read is bounded in size and time.
package sourcemaps // import "github.com/otelcol-rum/otelcol-rum/internal/sourcemaps"
