// Copyright The otelcol-rum Authors
// SPDX-License-Identifier: Apache-2.0

// Package route turns page URLs into route templates: the bounded-cardinality value of
// the metric dimension url.template (see docs/design.md, Routes and bounded cardinality),
// such as /product/{id}, never a raw URL. The Web Vitals processor calls
// [Templater.Template] once per measurement, so the common case (a URL seen before) is a
// cache hit: two read locks, three map lookups, no allocation.
//
// # What a template is
//
// A template is a URL path. Scheme, host, port and user info are dropped because
// service.name already separates sites, and the same page served from www.shop.example
// and shop.example is one route. The query and the fragment are dropped because they
// carry per-user state (utm_*, session ids, search terms) and no route.
//
// Every value [Templater.Template] returns is one of:
//
//   - the text of the first configured pattern that matches the path, exactly as
//     configured (for example /blog/{year}/{slug});
//   - an automatic template: "/" followed by at most [MaxSegments] segments joined by
//     "/", each a cleaned path segment or a placeholder, and "/*" when segments were
//     folded. It is plain ASCII, starts with "/", never ends with "/" (but for "/"
//     itself), and never contains "?", "#", or an empty segment. Braces appear only in
//     placeholders and "*" only as the folded tail: a literal "{", "}" or "*" in a URL
//     stays percent-encoded;
//   - [Unknown] ("/{unknown}") for input that has no path: an empty string, or a URL
//     with an opaque scheme such as about:blank, data:…, blob:…, javascript:…;
//   - the overflow value, when the service already has its maximum number of routes.
//
// # Parsing
//
// Parsing is a small scanner rather than net/url: net/url rejects much of what browsers
// send (raw spaces, "%zz", control characters) and allocates a URL per call, while the
// scanner allocates only for a segment it must re-encode. The rules, in order:
//
//  1. The fragment (from the first "#") and then the query (from the first "?") are cut.
//  2. Leading and trailing spaces and control characters are trimmed (browsers do the
//     same). Nothing left (an empty string, "?a=1", "#top"): [Unknown].
//  3. If the input starts with a scheme followed by "://" (any case, "\" is taken for
//     "/" as browsers do for http and https), the authority up to the next "/" is
//     skipped; a URL with no path ("https://shop.example") is "/". A scheme not followed
//     by "//" is an opaque URL: [Unknown]. Anything else is a path; one without a leading
//     "/" ("product/42") is taken relative to the root. A leading "//" is a duplicate
//     slash, not a protocol-relative URL: page URLs come from location.href (always
//     absolute) or location.pathname, and the latter can start with "//".
//  4. Only the first [MaxPathLen] bytes of the path are read, so a hostile 1 MB URL costs
//     no more than a long one.
//  5. The path is split on "/" and "\". In each segment, path parameters (from the first
//     ";") are dropped: that is where servlet containers put ;jsessionid=…, a session id
//     in the path. Empty segments vanish, which collapses duplicate slashes and drops a
//     trailing slash.
//  6. Each segment is put in one canonical percent-encoded form (RFC 3986 §6.2.2), so
//     that the spellings of one URL make one route: escapes of unreserved characters are
//     decoded (%7E is ~, %41 is A), other escapes get upper-case hex (%c3%a9 is %C3%A9),
//     and every byte that may not appear raw in a path is encoded: controls, space,
//     non-ASCII bytes (so /café and /caf%C3%A9 agree, and invalid UTF-8 can never reach
//     a label), "\"<>^`{|}", "*" (so that in a template "*" only stands for folded
//     segments) and a "%" not starting a valid escape. %2F stays encoded: it is data,
//     not a separator. Case is kept: paths are case-sensitive.
//  7. The dot segments "." and ".." (also spelled %2E) are resolved as browsers do; ".."
//     never climbs above the root.
//
// # Configured patterns
//
// Patterns ([ParsePattern]) are matched against the cleaned segments, all of them (before
// any folding), in configuration order; the first match wins, so list specific patterns
// before general ones. Syntax:
//
//   - a pattern starts with "/" and has no empty segment and no trailing "/" ("/" alone
//     matches the root);
//   - a literal segment matches the cleaned segment exactly (case-sensitive; it is
//     cleaned the same way, so /caf%c3%a9 and /café are one literal);
//   - {name} as a whole segment matches any one segment; name is letters, digits, "_",
//     "-" or ".". Names are documentation only: nothing is extracted;
//   - "*" as the last segment matches the rest of the path, zero or more segments, so
//     /docs/* matches /docs, /docs/a and /docs/a/b. Put /docs before it to keep the index
//     apart. /* alone matches everything and turns automatic templating off.
//
// "?", "#", ";" and "\" are rejected (patterns match the path only, without path
// parameters), as are "." and ".."
// segments, braces anywhere but around a whole segment and "*" anywhere but as the last
// segment, each with an error that quotes the pattern.
//
// # Automatic templating
//
// Without a matching pattern, each segment is classified on its own; the first rule that
// applies wins. The rules aim at values a machine generated. Words a person wrote stay,
// including slugs: no rule can tell /blog/hello-world (a post, unbounded) from
// /about/our-team (a page, one), so free-text segments need a pattern, and the
// per-service limit below catches the ones nobody configured.
//
//   - longer than [MaxSegmentLen] bytes (cleaned form): {token}. Nothing that long is a
//     route name, and it keeps every label short.
//   - only digits: {id}. Numeric ids, and also years or page numbers; /blog/2024 and
//     /blog/2025 are one route.
//   - a UUID in canonical 8-4-4-4-12 form, any case, any version: {uuid}. Without dashes a
//     UUID is 32 hex digits, which cannot be told from an MD5 or a trace id, and the hex
//     rule makes it {hex}.
//   - at least 8 hex digits with at least one letter and one digit: {hex}. This catches
//     Mongo ObjectIds (24), SHA-1/SHA-256 digests, dashless UUIDs and content hashes
//     (8+). Requiring a digit keeps words made of the letters a-f (deadbeef, facade) and
//     requiring a letter leaves all-digit values to {id}. Seven-digit short git hashes are
//     left alone: too many words are that short.
//   - at least [MinTokenLen] (20) characters of the base64url alphabet [A-Za-z0-9_-]
//     with at least one letter and one digit: {token}. This catches base64url-encoded
//     16-byte values (22), nanoid (21), ULID (26), KSUID (27), Firebase keys (20) and
//     session or reset tokens. A slug is exempt: a segment split by "-" or "_" into parts
//     that are each only letters or only digits (summer-sale-2024-collection) stays as
//     it is. Shorter opaque ids (YouTube's 11 characters, Stripe's cus_…) cannot be told
//     from words and need a pattern.
//   - a segment with a "." (a file name) keeps its shape and has its dot-separated parts
//     classified: the parts get {uuid}, {hex} and {token} as above, and the first part
//     gets {id} when it is only digits and a later part has a letter. So
//     /static/app.3f9a1c2e.js is /static/app.{hex}.js, /invoice/12345.pdf is
//     /invoice/{id}.pdf, while versions and addresses (jquery-3.7.1.min.js, 1.5,
//     10.0.0.1) stay as they are. Bundlers that put the hash after a dash
//     (index-BQd8JkLm.js) are not caught; asset URLs are not pages and rarely reach Web
//     Vitals.
//   - anything else, ordinary words and locales (product, checkout, en-US, zh-Hant-TW,
//     v2), is kept as it is.
//
// A path of more than [MaxSegments] (8) segments keeps its first 8 and ends in "/*": real
// routes are shallower, and deeper paths are usually file trees or encoded data.
//
// # Bounds
//
// Each service admits at most maxRoutesPerService distinct templates; once it has them,
// a new template of that service is returned as the overflow value (default
// [DefaultOverflow], "{other}"), while the templates it already has keep being returned.
// The overflow value may not start with "/" so it can never be mistaken for, or collide
// with, a route. [Unknown] counts as a route like any other. At most [MaxServices]
// services are tracked; a service first seen when that many are already tracked gets
// the overflow value for every URL (its measurements still count, under one route). So
// the dimension holds at most MaxServices × maxRoutesPerService + 1 values.
//
// Routes are only ever dropped by [Templater.Forget], which the aggregator calls when the
// last series that used a route expires; a service whose last route is forgotten stops
// being tracked. Until then an admitted route holds its slot, which is what keeps a
// service's series count bounded.
//
// # Cache
//
// The template of a URL without its query and fragment depends only on that URL and the
// configured patterns, not on the service, so it is cached once for all services: a URL
// seen before costs one hash and a read-locked map lookup. The cache holds at most
// [CacheSize] entries in 64 shards; a full shard is emptied (cheaper than keeping an LRU
// order on every hit; the working set refills it within a few requests). Keys longer
// than 1024 bytes are not cached. Because the cache holds templates before admission,
// Forget and the per-service limit are never bypassed by a cached answer. Keys and
// values are copied before they are stored, so the cache never keeps a caller's buffer
// alive.
//
// Everything here is safe for concurrent use.
package route // import "github.com/otelcol-rum/otelcol-rum/internal/webvitals/route"
