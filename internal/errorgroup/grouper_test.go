// Copyright The otelcol-rum Authors
// SPDX-License-Identifier: Apache-2.0

package errorgroup

import (
	"crypto/sha256"
	"encoding/binary"
	"encoding/hex"
	"regexp"
	"strconv"
	"strings"
	"sync"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/otelcol-rum/otelcol-rum/internal/jsstack"
)

// libraryPattern is the kind of pattern the package documentation recommends.
const libraryPattern = `node_modules|webpack/(bootstrap|runtime)|\bvendors?\b`

func newGrouper(t *testing.T, frames int) *Grouper {
	t.Helper()
	g, err := New(libraryPattern, frames)
	require.NoError(t, err)
	return g
}

// symbolicate stands in for source maps: it replaces the frames it has a position for
// with the original ones, and leaves the others as they were.
func symbolicate(frames []jsstack.Frame, original map[jsstack.Frame]jsstack.Frame) []jsstack.Frame {
	out := make([]jsstack.Frame, len(frames))
	for i, f := range frames {
		if o, ok := original[jsstack.Frame{URL: f.URL, Line: f.Line, Column: f.Column}]; ok {
			out[i] = o
		} else {
			out[i] = f
		}
	}
	return out
}

// One bug seen in two builds: the minified names, the bundle hashes and every position
// differ, the message has another order number, and the top in-app frames resolve to the
// same source functions (at other lines: code above them moved). One group.
func TestTwoBuildsShareTheGroup(t *testing.T) {
	g := newGrouper(t, 3)
	buildA := jsstack.Parse(`TypeError: Cannot read properties of undefined (reading 'total')
    at t.n (https://shop.example/static/js/app.3f2c1.js:1:48213)
    at Array.forEach (<anonymous>)
    at e.r (https://shop.example/static/js/app.3f2c1.js:1:1200)
    at https://shop.example/static/js/vendors~main.9ab01.chunk.js:2:4113
    at async o (https://shop.example/static/js/app.3f2c1.js:1:777)`).Frames()
	buildB := jsstack.Parse(`TypeError: Cannot read properties of undefined (reading 'total')
    at a.b (https://cdn.shop.example/static/js/app.77d0e.js?v=8:1:50990)
    at Array.forEach (<anonymous>)
    at c.d (https://cdn.shop.example/static/js/app.77d0e.js?v=8:1:1377)
    at https://cdn.shop.example/static/js/vendors~main.5e6f7.chunk.js:2:4200
    at async f (https://cdn.shop.example/static/js/app.77d0e.js?v=8:1:802)`).Frames()
	const src = "webpack://shop/./src/cart.js"
	origA := map[jsstack.Frame]jsstack.Frame{
		{URL: "https://shop.example/static/js/app.3f2c1.js", Line: 1, Column: 48213}: {Function: "cartTotal", URL: src, Line: 42, Column: 7},
		{URL: "https://shop.example/static/js/app.3f2c1.js", Line: 1, Column: 1200}:  {Function: "renderCart", URL: src, Line: 30, Column: 3},
		{URL: "https://shop.example/static/js/app.3f2c1.js", Line: 1, Column: 777}:   {Function: "checkout", URL: "webpack://shop/./src/checkout.js", Line: 9, Column: 5, Async: true},
	}
	origB := map[jsstack.Frame]jsstack.Frame{
		{URL: "https://cdn.shop.example/static/js/app.77d0e.js?v=8", Line: 1, Column: 50990}: {Function: "cartTotal", URL: src, Line: 45, Column: 9},
		{URL: "https://cdn.shop.example/static/js/app.77d0e.js?v=8", Line: 1, Column: 1377}:  {Function: "renderCart", URL: src, Line: 33, Column: 3},
		{URL: "https://cdn.shop.example/static/js/app.77d0e.js?v=8", Line: 1, Column: 802}:   {Function: "checkout", URL: "webpack://shop/./src/checkout.js", Line: 11, Column: 5, Async: true},
	}
	msg := "Cannot read properties of undefined (reading 'total')"
	idA := g.ID("TypeError", msg, symbolicate(buildA, origA))
	idB := g.ID("TypeError", msg, symbolicate(buildB, origB))
	assert.Equal(t, idA, idB)
	assert.Regexp(t, regexp.MustCompile(`^[0-9a-f]{16}$`), idA)

	// Unsymbolicated, the minified names differ: two groups, as the package says.
	assert.NotEqual(t, g.ID("TypeError", msg, buildA), g.ID("TypeError", msg, buildB))
}

func TestAnotherFunctionIsAnotherGroup(t *testing.T) {
	g := newGrouper(t, 3)
	frames := []jsstack.Frame{
		{Function: "cartTotal", URL: "src/cart.js", Line: 42, Column: 7},
		{Function: "renderCart", URL: "src/cart.js", Line: 30, Column: 3},
	}
	other := []jsstack.Frame{
		{Function: "wishlistTotal", URL: "src/cart.js", Line: 42, Column: 7},
		{Function: "renderCart", URL: "src/cart.js", Line: 30, Column: 3},
	}
	otherFile := []jsstack.Frame{
		{Function: "cartTotal", URL: "src/wishlist.js", Line: 42, Column: 7},
		{Function: "renderCart", URL: "src/cart.js", Line: 30, Column: 3},
	}
	id := g.ID("TypeError", "x is undefined", frames)
	assert.NotEqual(t, id, g.ID("TypeError", "x is undefined", other))
	assert.NotEqual(t, id, g.ID("TypeError", "x is undefined", otherFile))
	assert.NotEqual(t, id, g.ID("RangeError", "x is undefined", frames), "another type")
	assert.NotEqual(t, id, g.ID("TypeError", "y is undefined", frames), "another message")
	assert.Equal(t, id, g.ID(" TypeError ", "x is undefined", frames), "spaces around the type")
}

func TestLibraryFramesAreLeftOut(t *testing.T) {
	g := newGrouper(t, 2)
	app := []jsstack.Frame{
		{Function: "addToCart", URL: "webpack://shop/./src/cart.js", Line: 12, Column: 9},
		{Function: "onClick", URL: "webpack://shop/./src/button.js", Line: 3, Column: 1},
	}
	through := func(lib ...jsstack.Frame) []jsstack.Frame {
		return append(append([]jsstack.Frame{}, lib...), app...)
	}
	reactDOM := jsstack.Frame{Function: "commitRoot", URL: "webpack://shop/./node_modules/react-dom/cjs/react-dom.development.js", Line: 1, Column: 2}
	bootstrap := jsstack.Frame{Function: "__webpack_require__", URL: "webpack://shop/webpack/bootstrap", Line: 19, Column: 1}
	vendor := jsstack.Frame{URL: "https://shop.example/static/js/vendor.3f2c1.js", Line: 2, Column: 7}

	id := g.ID("Error", "boom", app)
	assert.Equal(t, id, g.ID("Error", "boom", through(reactDOM)))
	assert.Equal(t, id, g.ID("Error", "boom", through(bootstrap, vendor, reactDOM)))

	// Without a library pattern the library's frame is the top frame.
	all, err := New("", 2)
	require.NoError(t, err)
	assert.NotEqual(t, all.ID("Error", "boom", app), all.ID("Error", "boom", through(reactDOM)))

	// Only the top N in-app frames count.
	deeper := append(through(reactDOM), jsstack.Frame{Function: "main", URL: "webpack://shop/./src/index.js", Line: 1, Column: 1})
	assert.Equal(t, id, g.ID("Error", "boom", deeper))

	// No in-app frame at all: the library frames tell errors apart.
	renderLib := jsstack.Frame{Function: "renderRoot", URL: reactDOM.URL, Line: 9, Column: 9}
	assert.NotEqual(t, g.ID("Error", "boom", []jsstack.Frame{reactDOM}), g.ID("Error", "boom", []jsstack.Frame{renderLib}))
	assert.NotEqual(t, g.ID("Error", "boom", nil), g.ID("Error", "boom", []jsstack.Frame{reactDOM}))
}

func TestWhatDoesNotCount(t *testing.T) {
	g := newGrouper(t, 5)
	base := []jsstack.Frame{
		{Function: "t.n", URL: "https://shop.example/static/js/app.3f2c1.js", Line: 1, Column: 48213},
		{URL: "https://shop.example/static/js/app.3f2c1.js", Line: 1, Column: 900},
		{Function: "new Cart", URL: "https://shop.example/static/js/app.3f2c1.js", Line: 1, Column: 100},
		{Function: "Object.save [as onSave]", URL: "https://shop.example/static/js/app.3f2c1.js", Line: 1, Column: 50},
	}
	id := g.ID("Error", "Order 1234 for jane@shop.example failed", base)
	for name, frames := range map[string][]jsstack.Frame{
		"positions, hashes, origin, query, async": {
			{Function: "t.n", URL: "https://cdn.example/static/js/app.9ab01.js?v=2", Line: 3, Column: 1, Async: true},
			{URL: "https://cdn.example/static/js/app.9ab01.js?v=2", Line: 7, Column: 11},
			{Function: "new Cart", URL: "https://cdn.example/static/js/app.9ab01.js?v=2", Line: 1, Column: 2},
			{Function: "Object.save [as onSave]", URL: "https://cdn.example/static/js/app.9ab01.js?v=2", Line: 1, Column: 3},
		},
		"built-in frames": {
			base[0], {Function: "Array.forEach", URL: "<anonymous>"}, base[1], {Function: "promiseReactionJob", URL: "[native code]"},
			base[2], {Function: "Promise.all", URL: "index 0", Async: true}, base[3],
		},
		"decoration of the names": {
			base[0], base[1], {Function: "Cart", URL: base[2].URL}, {Function: "Object.save/<", URL: base[3].URL},
		},
	} {
		assert.Equal(t, id, g.ID("Error", "Order 98 for joe@shop.example failed", frames), name)
	}
	// A frame without a function counts by its file.
	moved := append([]jsstack.Frame{}, base...)
	moved[1].URL = "https://shop.example/static/js/checkout.3f2c1.js"
	assert.NotEqual(t, id, g.ID("Error", "Order 1234 for jane@shop.example failed", moved))
}

// The id is the documented hash of the documented canonical string, so it is the same
// on every run and machine; the literal pins it across releases: a change of the rules
// must change fingerprintVersion too.
func TestIDIsStable(t *testing.T) {
	g := newGrouper(t, 5)
	frames := []jsstack.Frame{
		{Function: "new Cart", URL: "https://shop.example/static/js/app.3f2c1.js?v=2", Line: 1, Column: 2},
		{Function: "Array.forEach", URL: "<anonymous>"},
		{URL: "webpack://shop/./node_modules/react-dom/index.js", Line: 3, Column: 4},
	}
	got := g.ID("TypeError", "Order 42 not found", frames)

	var canonical []byte
	field := func(s string) {
		canonical = append(canonical, s...)
		canonical = binary.BigEndian.AppendUint32(canonical, uint32(len(s)))
	}
	canonical = append(canonical, "jserr/v1"...)
	field("TypeError")
	field("Order <n> not found")
	field("/static/js/app.js")
	field("Cart")
	sum := sha256.Sum256(canonical)
	assert.Equal(t, hex.EncodeToString(sum[:8]), got)
	assert.Equal(t, "8cf8c7ede6baabca", got)
}

func TestNewRefuses(t *testing.T) {
	_, err := New("(", 5)
	assert.ErrorContains(t, err, "invalid library pattern")
	_, err = New("", -1)
	assert.ErrorContains(t, err, "frames must not be negative")
	g, err := New("", 0)
	require.NoError(t, err)
	assert.Equal(t,
		g.ID("Error", "boom", []jsstack.Frame{{Function: "a", URL: "src/a.js"}}),
		g.ID("Error", "boom", []jsstack.Frame{{Function: "b", URL: "src/b.js"}}),
		"with 0 frames only type and message count")
}

func TestConcurrentUse(t *testing.T) {
	g := newGrouper(t, 5)
	frames := []jsstack.Frame{{Function: "f", URL: "src/a.js", Line: 1, Column: 1}}
	want := g.ID("Error", "boom 1", frames)
	var wg sync.WaitGroup
	for range 4 {
		wg.Go(func() {
			for range 200 {
				assert.Equal(t, want, g.ID("Error", "boom 2", frames))
			}
		})
	}
	wg.Wait()
}

// The memory of library URLs is bounded and never changes an answer.
func TestLibraryMatcherMemory(t *testing.T) {
	m := newLibraryMatcher(regexp.MustCompile(libraryPattern))
	for i := range 3 * maxRememberedURLs {
		url := "https://shop.example/node_modules/x" + strconv.Itoa(i) + ".js"
		if i%2 == 1 {
			url = "https://shop.example/src/x" + strconv.Itoa(i) + ".js"
		}
		require.Equal(t, i%2 == 0, m.match(url), url)
		require.Equal(t, i%2 == 0, m.match(url), "remembered: %s", url)
		require.LessOrEqual(t, len(m.seen), maxRememberedURLs)
	}
	long := "https://shop.example/node_modules/" + strings.Repeat("a", maxRememberedURLLen)
	before := len(m.seen)
	assert.True(t, m.match(long))
	assert.Len(t, m.seen, before, "a long URL is not remembered")
}
