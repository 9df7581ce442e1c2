// Copyright The otelcol-rum Authors
// SPDX-License-Identifier: Apache-2.0

package route

import (
	"strings"
	"testing"
	"unsafe"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// autoCases are URLs as browsers and SDKs send them, with their automatic template (no
// patterns configured). The fuzz test uses them as seeds too.
var autoCases = []struct {
	name, url, want string
}{
	// URL shapes: scheme, host, port and user info go; query and fragment go.
	{"full URL", "https://shop.example/product/42?ref=x#top", "/product/{id}"},
	{"path only", "/product/42", "/product/{id}"},
	{"relative path", "product/42", "/product/{id}"},
	{"root", "https://shop.example/", "/"},
	{"no path", "https://shop.example", "/"},
	{"host and port, no path", "http://localhost:3000", "/"},
	{"port", "https://shop.example:8443/checkout/", "/checkout"},
	{"user info", "https://user:pw@shop.example/account", "/account"},
	{"upper-case scheme and host, path case kept", "HTTPS://SHOP.EXAMPLE/Cart", "/Cart"},
	{"query", "http://shop.example/search?q=red+shoes&page=2", "/search"},
	{"query with slashes", "/search?next=/a/b/c", "/search"},
	{"fragment with a question mark", "/search#results?x=1", "/search"},
	{"empty query and fragment", "/search?#", "/search"},
	{"hash routing is a fragment", "https://app.example/#/product/42", "/"},
	{"file URL", "file:///C:/Users/me/index.html", "/C:/Users/me/index.html"},
	{"backslashes", `https:\\shop.example\product\42`, "/product/{id}"},
	{"surrounding spaces", "  https://shop.example/cart \n", "/cart"},
	{"root path", "/", "/"},

	// Unknown: no path.
	{"empty", "", Unknown},
	{"blank", " \t\n", Unknown},
	{"about:blank", "about:blank", Unknown},
	{"data URL", "data:text/html,<p>hi</p>", Unknown},
	{"javascript URL", "javascript:void(0)", Unknown},
	{"blob URL", "blob:https://shop.example/550e8400-e29b-41d4-a716-446655440000", Unknown},
	{"scheme with a single slash", "https:/product", Unknown},
	{"host:port without scheme reads as a scheme", "localhost:3000/x", Unknown},
	{"only a query", "?a=1", Unknown},
	{"only a fragment", "#top", Unknown},

	// Slashes and dot segments.
	{"duplicate slashes", "//shop//product///42//", "/shop/product/{id}"},
	{"trailing slash", "/product/42/", "/product/{id}"},
	{"dot segments", "/a/./b/../c", "/a/c"},
	{"dot-dot above the root", "/../../etc/passwd", "/etc/passwd"},
	{"encoded dot-dot", "/a/%2e%2E/b", "/b"},
	{"only dots", "/./..", "/"},
	{"three dots is a name", "/a/...", "/a/..."},
	{"path parameters", "/cart;jsessionid=ABC123DEF456GHI789/items;v=1", "/cart/items"},
	{"only a path parameter", "/;jsessionid=1/x", "/x"},

	// Percent-encoding, one canonical form.
	{"encoded space", "/search/red%20shoes", "/search/red%20shoes"},
	{"raw space", "/search/red shoes", "/search/red%20shoes"},
	{"lower-case escape", "/caf%c3%a9", "/caf%C3%A9"},
	{"raw UTF-8", "/café", "/caf%C3%A9"},
	{"encoded unreserved", "/%7Euser/%41bc", "/~user/Abc"},
	{"encoded digits", "/product/%34%32", "/product/{id}"},
	{"encoded slash is data", "/a%2Fb", "/a%2Fb"},
	{"lone percent", "/100%", "/100%25"},
	{"invalid escape", "/%zz/%4", "/%25zz/%254"},
	{"raw braces are not placeholders", "/x/{id}", "/x/%7Bid%7D"},
	{"encoded braces", "/x/%7bid%7d", "/x/%7Bid%7D"},
	{"sub-delims stay", "/a:b@c!$&'()+,=", "/a:b@c!$&'()+,="},
	{"a star is encoded", "/a/*/b*", "/a/%2A/b%2A"},
	{"controls", "/a\x00b\x7f", "/a%00b%7F"},
	{"invalid UTF-8", "/\xff\xfe", "/%FF%FE"},

	// {id}
	{"numeric id", "/order/0012345", "/order/{id}"},
	{"page number", "/page/2", "/page/{id}"},
	{"date path", "/2024/05/17/launch", "/{id}/{id}/{id}/launch"},
	{"api version kept", "/api/v2/users/42", "/api/v2/users/{id}"},
	{"negative number is a word", "/n/-1", "/n/-1"},

	// {uuid}
	{"uuid", "/product/550e8400-e29b-41d4-a716-446655440000", "/product/{uuid}"},
	{"upper-case uuid", "/product/550E8400-E29B-41D4-A716-446655440000/reviews", "/product/{uuid}/reviews"},
	{"nil uuid", "/x/00000000-0000-0000-0000-000000000000", "/x/{uuid}"},
	{"dashless uuid is hex", "/product/550e8400e29b41d4a716446655440000", "/product/{hex}"},
	{"malformed uuid is a token", "/x/550e8400e-29b-41d4-a716-446655440000", "/x/{token}"},

	// {hex}
	{"mongo object id", "/users/507f1f77bcf86cd799439011/orders", "/users/{hex}/orders"},
	{"sha1", "/commit/da39a3ee5e6b4b0d3255bfef95601890afd80709", "/commit/{hex}"},
	{"8 hex", "/c/3f9a1c2e", "/c/{hex}"},
	{"upper-case hex", "/c/3F9A1C2E", "/c/{hex}"},
	{"7 hex kept", "/c/3f9a1c2", "/c/3f9a1c2"},
	{"hex letters only kept", "/c/deadbeef", "/c/deadbeef"},
	{"hex-like word kept", "/c/facade", "/c/facade"},

	// {token}
	{"jwt-like", "/verify/eyJhbGciOiJIUzI1NiJ9", "/verify/{token}"},
	{"ulid", "/o/01ARZ3NDEKTSV4RRFFQ69G5FAV", "/o/{token}"},
	{"nanoid", "/s/V1StGXR8_Z5jdHi6B-myT", "/s/{token}"},
	{"base64url 16 bytes", "/r/q1Z2x8Kd0pXvQ7uLwN3hYg", "/r/{token}"},
	{"slug with a year kept", "/blog/summer-sale-2024-collection", "/blog/summer-sale-2024-collection"},
	{"snake slug kept", "/blog/how_to_bake_bread_in_10_minutes", "/blog/how_to_bake_bread_in_10_minutes"},
	{"slug with a mixed part", "/p/iphone-15-pro-max-256gb-blue", "/p/{token}"},
	{"long word kept", "/internationalization", "/internationalization"},
	{"short opaque id kept", "/watch/dQw4w9WgXcQ", "/watch/dQw4w9WgXcQ"},
	{"segment at the length limit", "/" + strings.Repeat("a", MaxSegmentLen), "/" + strings.Repeat("a", MaxSegmentLen)},
	{"segment over the length limit", "/s/" + strings.Repeat("a", MaxSegmentLen+1), "/s/{token}"},
	{"encoded segment over the length limit", "/s/" + strings.Repeat("é", 22), "/s/{token}"},

	// Words and locales.
	{"words", "/checkout/shipping", "/checkout/shipping"},
	{"locale", "/en-US/checkout", "/en-US/checkout"},
	{"lower-case locale", "/en-us/", "/en-us"},
	{"script locale", "/zh-Hant-TW/", "/zh-Hant-TW"},

	// File names.
	{"hashed asset", "/static/app.3f9a1c2e.js", "/static/app.{hex}.js"},
	{"create-react-app chunk", "/static/js/main.8c4f1e2b.chunk.js", "/static/js/main.{hex}.chunk.js"},
	{"numeric file name", "/invoice/12345.pdf", "/invoice/{id}.pdf"},
	{"uuid file name", "/files/550e8400-e29b-41d4-a716-446655440000.png", "/files/{uuid}.png"},
	{"token file name", "/dl/01ARZ3NDEKTSV4RRFFQ69G5FAV.zip", "/dl/{token}.zip"},
	{"version kept", "/jquery-3.7.1.min.js", "/jquery-3.7.1.min.js"},
	{"decimal kept", "/v/1.5", "/v/1.5"},
	{"address kept", "/host/10.0.0.1", "/host/10.0.0.1"},
	{"hash after a dash kept", "/assets/index-BQd8JkLm.js", "/assets/index-BQd8JkLm.js"},
	{"dot file", "/.well-known/security.txt", "/.well-known/security.txt"},
	{"trailing dot", "/a/b.", "/a/b."},

	// Depth.
	{"8 segments", "/a/b/c/d/e/f/g/h", "/a/b/c/d/e/f/g/h"},
	{"9 segments", "/a/b/c/d/e/f/g/h/i", "/a/b/c/d/e/f/g/h/*"},
	{"deep path", "/a/1/b/2/c/3/d/4/e/5/f/6", "/a/{id}/b/{id}/c/{id}/d/{id}/*"},
}

func newTemplater(t testing.TB, patterns ...string) *Templater {
	tp, err := NewTemplater(patterns, 1_000_000, "")
	require.NoError(t, err)
	return tp
}

func TestAutoTemplate(t *testing.T) {
	tp := newTemplater(t)
	for _, tc := range autoCases {
		t.Run(tc.name, func(t *testing.T) {
			assert.Equal(t, tc.want, tp.Template("shop", tc.url), "url %q", tc.url)
			// A second call is a cache hit and agrees.
			assert.Equal(t, tc.want, tp.Template("shop", tc.url), "url %q (cached)", tc.url)
		})
	}
}

func TestLongPathIsCutAndNotCached(t *testing.T) {
	tp := newTemplater(t)
	long := "https://shop.example/product/42/" + strings.Repeat("x/", 1_000_000)
	assert.Equal(t, "/product/{id}/x/x/x/x/x/x/*", tp.Template("shop", long))
	for i := range tp.cache {
		for k := range tp.cache[i].m {
			assert.LessOrEqual(t, len(k), maxCacheKeyLen)
		}
	}
	// Dot segments past MaxPathLen are never read.
	tail := "/a/" + strings.Repeat("b", MaxPathLen) + "/../../../c"
	assert.Equal(t, "/a/{token}", tp.Template("shop", tail))
}

func TestPatterns(t *testing.T) {
	tp := newTemplater(t,
		"/product/{id}",
		"/blog/{year}/{slug}",
		"/shop/{category}/{item}",
		"/shop/sale/{item}", // shadowed by the pattern above: first match wins
		"/account/*",
		"/account/settings", // shadowed too
		"/docs",
		"/docs/*",
		"/café/{id}",
		"/a/b/c/d/e/f/g/h/i/{id}",
		"/x/{uuid}",
	)
	for _, tc := range []struct{ url, want string }{
		{"https://shop.example/product/42?ref=x#top", "/product/{id}"},
		{"/product/not-a-number", "/product/{id}"},
		{"/product/%7Bx%7D", "/product/{id}"},
		{"/product/42/", "/product/{id}"},
		{"//product//42", "/product/{id}"},
		{"/product/42/reviews", "/product/{id}/reviews"}, // more segments: automatic
		{"/product", "/product"},
		{"/Product/42", "/Product/{id}"}, // literals are case-sensitive
		{"/blog/2024/hello-world", "/blog/{year}/{slug}"},
		{"/blog/2024", "/blog/{id}"},
		{"/shop/sale/42", "/shop/{category}/{item}"},
		{"/account/settings", "/account/*"},
		{"/account", "/account/*"},
		{"/account/orders/42/invoice", "/account/*"},
		{"/docs", "/docs"},
		{"/docs/", "/docs"},
		{"/docs?page=2", "/docs"},
		{"/docs/guide/install", "/docs/*"},
		{"https://shop.example/caf%c3%a9/1", "/café/{id}"},
		{"/café/1", "/café/{id}"},
		{"/a/b/c/d/e/f/g/h/i/42", "/a/b/c/d/e/f/g/h/i/{id}"}, // matched before folding
		{"/a/b/c/d/e/f/g/h/i/42/j", "/a/b/c/d/e/f/g/h/*"},
		{"/x/42", "/x/{uuid}"}, // a parameter matches any segment, whatever its name
		{"/x/./y/../42", "/x/{uuid}"},
		{"about:blank", Unknown},
	} {
		assert.Equal(t, tc.want, tp.Template("shop", tc.url), "url %q", tc.url)
	}
}

func TestCatchAllPattern(t *testing.T) {
	tp := newTemplater(t, "/", "/*")
	assert.Equal(t, "/", tp.Template("shop", "https://shop.example"))
	assert.Equal(t, "/*", tp.Template("shop", "/product/42"))
	assert.Equal(t, Unknown, tp.Template("shop", "about:blank"))
}

func TestParsePattern(t *testing.T) {
	for _, text := range []string{
		"/", "/product/{id}", "/blog/{year}/{slug}", "/docs/*", "/*", "/{a_b-c.d}", "/~user/:id/@x",
		"/caf%c3%a9", "/café", "/a/...",
	} {
		p, err := ParsePattern(text)
		require.NoError(t, err, text)
		assert.Equal(t, text, p.String())
	}
}

func TestParsePatternErrors(t *testing.T) {
	for _, tc := range []struct{ pattern, err string }{
		{"", `invalid route pattern "": must start with "/"`},
		{"product/{id}", `invalid route pattern "product/{id}": must start with "/"`},
		{" /product", `invalid route pattern " /product": must start with "/"`},
		{"/a/{", `invalid route pattern "/a/{": unclosed "{"`},
		{"/a/{id", `invalid route pattern "/a/{id": unclosed "{"`},
		{"/a/{}", `invalid route pattern "/a/{}": empty parameter name`},
		{"/a/{b c}", `invalid route pattern "/a/{b c}": invalid parameter name "b c"`},
		{"/a/{b{c}", `invalid route pattern "/a/{b{c}": invalid parameter name "b{c"`},
		{"/a/x{id}", `invalid route pattern "/a/x{id}": a parameter must be a whole segment, found "x{id}"`},
		{"/a/{id}.js", `invalid route pattern "/a/{id}.js": a parameter must be a whole segment, found "{id}.js"`},
		{"/a}", `invalid route pattern "/a}": unexpected "}"`},
		{"/a//b", `invalid route pattern "/a//b": empty segment (duplicate "/")`},
		{"//", `invalid route pattern "//": must not end with "/"`},
		{"/a/", `invalid route pattern "/a/": must not end with "/"`},
		{"/a/*/b", `invalid route pattern "/a/*/b": "*" must be the last segment`},
		{"/*/*", `invalid route pattern "/*/*": "*" must be the last segment`},
		{"/a*", `invalid route pattern "/a*": "*" must be a whole segment, found in "a*"`},
		{"/a?b=1", `invalid route pattern "/a?b=1": "?" is not allowed: a pattern matches the path only`},
		{"/a#top", `invalid route pattern "/a#top": "#" is not allowed: a pattern matches the path only`},
		{"/a;v=1", `invalid route pattern "/a;v=1": ";" is not allowed: a pattern matches the path only`},
		{`/a\b`, `invalid route pattern "/a\\b": "\\" is not allowed: a pattern matches the path only`},
		{"/a/../b", `invalid route pattern "/a/../b": dot segment ".."`},
		{"/a/.", `invalid route pattern "/a/.": dot segment "."`},
		{"/a/%2E", `invalid route pattern "/a/%2E": dot segment "%2E"`},
	} {
		_, err := ParsePattern(tc.pattern)
		assert.EqualError(t, err, tc.err, "pattern %q", tc.pattern)
	}
}

func TestNewTemplaterErrors(t *testing.T) {
	_, err := NewTemplater([]string{"/ok/{id}", "/a/{", "/b/", "/also/*"}, 10, "")
	assert.EqualError(t, err, `invalid route pattern "/a/{": unclosed "{"`+"\n"+
		`invalid route pattern "/b/": must not end with "/"`)

	_, err = NewTemplater(nil, 0, "")
	assert.EqualError(t, err, "max routes per service must be at least 1, got 0")

	_, err = NewTemplater(nil, 10, "/other")
	assert.EqualError(t, err, `invalid overflow route "/other": must not start with "/", it could be mistaken for a route`)

	_, err = NewTemplater(nil, 10, "\xff")
	assert.EqualError(t, err, `invalid overflow route "\xff": not valid UTF-8`)

	tp, err := NewTemplater(nil, 10, "")
	require.NoError(t, err)
	assert.Equal(t, DefaultOverflow, tp.overflow)
	tp, err = NewTemplater(nil, 10, "other")
	require.NoError(t, err)
	assert.Equal(t, "other", tp.overflow)
}

func TestOverflowAndForget(t *testing.T) {
	tp, err := NewTemplater([]string{"/blog/{slug}"}, 3, "")
	require.NoError(t, err)

	assert.Equal(t, "/", tp.Template("shop", "https://shop.example/"))
	assert.Equal(t, "/product/{id}", tp.Template("shop", "https://shop.example/product/1"))
	assert.Equal(t, "/blog/{slug}", tp.Template("shop", "https://shop.example/blog/hello"))
	assert.Equal(t, 3, tp.routeCount("shop"))

	// The 4th distinct template overflows; admitted ones, by any URL, keep coming back.
	assert.Equal(t, "{other}", tp.Template("shop", "https://shop.example/checkout"))
	assert.Equal(t, "{other}", tp.Template("shop", "https://shop.example/checkout"))
	assert.Equal(t, "{other}", tp.Template("shop", "about:blank"))
	assert.Equal(t, "/product/{id}", tp.Template("shop", "/product/2?x=1"))
	assert.Equal(t, "/blog/{slug}", tp.Template("shop", "/blog/other-post"))
	assert.Equal(t, 3, tp.routeCount("shop"))

	// Another service is unaffected.
	assert.Equal(t, "/checkout", tp.Template("docs", "https://docs.example/checkout"))
	assert.Equal(t, 1, tp.routeCount("docs"))
	assert.Equal(t, 2, tp.serviceCount())

	// Forgetting a route makes room for one new route, even one answered from the cache.
	tp.Forget("shop", "/product/{id}")
	tp.Forget("shop", "/never-admitted")
	tp.Forget("nobody", "/")
	tp.Forget("shop", tp.overflow)
	assert.Equal(t, 2, tp.routeCount("shop"))
	assert.Equal(t, "/checkout", tp.Template("shop", "https://shop.example/checkout"))
	assert.Equal(t, "{other}", tp.Template("shop", "/product/3"))
	assert.Equal(t, 3, tp.routeCount("shop"))

	// A service whose last route is forgotten is no longer tracked.
	tp.Forget("docs", "/checkout")
	assert.Equal(t, 0, tp.routeCount("docs"))
	assert.Equal(t, 1, tp.serviceCount())
}

func TestMaxServices(t *testing.T) {
	tp := newTemplater(t)
	tp.maxServices = 3
	for _, s := range []string{"a", "b", "c"} {
		assert.Equal(t, "/x", tp.Template(s, "/x"))
	}
	assert.Equal(t, "{other}", tp.Template("d", "/x"))
	assert.Equal(t, 0, tp.routeCount("d"))
	assert.Equal(t, 3, tp.serviceCount())
	assert.Equal(t, "/y", tp.Template("a", "/y"), "tracked services still get new routes")

	tp.Forget("b", "/x")
	assert.Equal(t, "/x", tp.Template("d", "/x"))
	assert.Equal(t, 3, tp.serviceCount())
}

func TestCacheIsBounded(t *testing.T) {
	tp := newTemplater(t)
	tp.cacheMax = 4
	for i := range 10_000 {
		url := "https://shop.example/product/" + strings.Repeat("x", i%50) + "/" + string(rune('a'+i%26))
		tp.Template("shop", url)
	}
	total := 0
	for i := range tp.cache {
		assert.LessOrEqual(t, len(tp.cache[i].m), tp.cacheMax)
		total += len(tp.cache[i].m)
	}
	assert.Positive(t, total)
	assert.Equal(t, "/product/{id}", tp.Template("shop", "/product/42"))
}

func TestCacheHitDoesNotAllocate(t *testing.T) {
	tp := newTemplater(t, "/blog/{slug}")
	url := "https://shop.example/product/42?utm_source=newsletter#reviews"
	require.Equal(t, "/product/{id}", tp.Template("shop", url))
	allocs := testing.AllocsPerRun(1000, func() {
		tp.Template("shop", url)
	})
	assert.Zero(t, allocs)
	// Overflowing is as cheap.
	tp2, err := NewTemplater(nil, 1, "")
	require.NoError(t, err)
	tp2.Template("shop", "/a")
	tp2.Template("shop", "/b")
	assert.Zero(t, testing.AllocsPerRun(1000, func() { tp2.Template("shop", "/b") }))
}

// within reports whether s points into outer's memory.
func within(outer, s string) bool {
	if s == "" || outer == "" {
		return false
	}
	o := uintptr(unsafe.Pointer(unsafe.StringData(outer)))
	p := uintptr(unsafe.Pointer(unsafe.StringData(s)))
	return p >= o && p < o+uintptr(len(outer))
}

// The cache and the route sets outlive the call: they must not keep the caller's strings
// (often slices of a request body) alive.
func TestStoredStringsAreCopies(t *testing.T) {
	tp := newTemplater(t)
	body := "https://shop.example/checkout?session=1 shop"
	url, svc := body[:39], body[40:]
	require.Equal(t, "/checkout", tp.Template(svc, url))
	path := "/checkout" // a path-only URL whose template is itself
	require.Equal(t, "/checkout", tp.Template(svc, path))
	stored := 0
	for i := range tp.cache {
		for k, v := range tp.cache[i].m {
			assert.False(t, within(body, k) || within(path, k), "cache key %q shares the caller's memory", k)
			assert.False(t, within(body, v) || within(path, v), "cache value %q shares the caller's memory", v)
			stored++
		}
	}
	for i := range tp.services {
		for s, routes := range tp.services[i].m {
			assert.False(t, within(body, s), "service %q shares the caller's memory", s)
			for r := range routes {
				assert.False(t, within(body, r) || within(path, r), "route %q shares the caller's memory", r)
				stored++
			}
		}
	}
	assert.Equal(t, 3, stored)
}
