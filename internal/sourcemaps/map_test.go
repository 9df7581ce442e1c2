// Copyright The otelcol-rum Authors
// SPDX-License-Identifier: Apache-2.0

package sourcemaps

import (
	"encoding/json"
	"fmt"
	"math"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// The maps of real bundlers resolve V8's frames of the error to the throw in addToCart,
// the call of addToCart in checkout, and the call of checkout in main.
func TestResolveRealBundles(t *testing.T) {
	throwLine, throwCol := sourcePos(t, "cart.js", "new Error(")
	callLine, callCol := sourcePos(t, "checkout.js", "addToCart(cart, item)")
	for _, bundle := range []string{"esbuild", "terser", "nocontent", "sections"} {
		t.Run(bundle, func(t *testing.T) {
			m := parseBundleMap(t, bundle)
			frames := recordedFrames(t, bundle)

			top, ok := m.Resolve(frames[0].Line, frames[0].Column)
			require.True(t, ok)
			assert.Equal(t, shopOrigin+"/src/cart.js", top.Source)
			assert.Equal(t, throwLine, top.Line)
			assert.Equal(t, throwCol, top.Column)
			assert.NotEqual(t, "addToCart", frames[0].Function, "the bundle should be minified")

			caller, ok := m.Resolve(frames[1].Line, frames[1].Column)
			require.True(t, ok)
			assert.Equal(t, shopOrigin+"/src/checkout.js", caller.Source)
			assert.Equal(t, callLine, caller.Line)
			assert.Equal(t, callCol, caller.Column)
			assert.Equal(t, "addToCart", caller.Name, "a call site names the function called")
		})
	}
}

func TestContextLineFromSourcesContent(t *testing.T) {
	throwLine, _ := sourcePos(t, "cart.js", "new Error(")
	want := sourceLine(t, "cart.js", throwLine)
	for _, bundle := range []string{"esbuild", "terser", "sections"} {
		got, ok := parseBundleMap(t, bundle).ContextLine(shopOrigin+"/src/cart.js", throwLine)
		assert.True(t, ok, bundle)
		assert.Equal(t, want, got, bundle)
	}

	m := parseBundleMap(t, "nocontent")
	_, ok := m.ContextLine(shopOrigin+"/src/cart.js", throwLine)
	assert.False(t, ok, "a map without sourcesContent has no context")

	m = parseBundleMap(t, "esbuild")
	for _, bad := range []struct {
		source string
		line   int
	}{{shopOrigin + "/src/cart.js", 0}, {shopOrigin + "/src/cart.js", 10_000}, {"https://elsewhere/x.js", 1}} {
		_, ok := m.ContextLine(bad.source, bad.line)
		assert.False(t, ok, "%+v", bad)
	}
}

func TestContextLineIsCut(t *testing.T) {
	long := "é" + string(make([]byte, 0)) // a two-byte rune first, to cut on a boundary
	for len(long) < 3*maxContextLine {
		long += "ab"
	}
	long = "x" + long // shift so that a byte-wise cut would split the rune at the end
	raw := fmt.Sprintf(`{"version":3,"sources":["a.js"],"sourcesContent":[%q],"names":[],"mappings":"AAAA"}`, "first\n"+long+"\r\nthird")
	m, err := parseMap("https://shop.example/a.js.map", []byte(raw))
	require.NoError(t, err)
	got, ok := m.ContextLine("https://shop.example/a.js", 2)
	require.True(t, ok)
	assert.LessOrEqual(t, len(got), maxContextLine)
	assert.Equal(t, long[:len(got)], got)
	third, ok := m.ContextLine("https://shop.example/a.js", 3)
	require.True(t, ok)
	assert.Equal(t, "third", third)
}

// The banner's section starts at column 0 and the app's after it on the same line: a
// position in each resolves to its own source (the parser alone would send both to the
// last section).
func TestSectionsOnOneLine(t *testing.T) {
	m := parseBundleMap(t, "sections")
	require.Len(t, m.sections, 2)
	require.Positive(t, m.sections[1].column)

	p, ok := m.Resolve(1, 10) // in globalThis.shopRelease
	require.True(t, ok)
	assert.Equal(t, shopOrigin+"/src/banner.js", p.Source)

	p, ok = m.Resolve(1, m.sections[1].column) // the banner's last column
	require.True(t, ok)
	assert.Equal(t, shopOrigin+"/src/banner.js", p.Source)

	p, ok = m.Resolve(1, m.sections[1].column+1+13) // inside the app's first function
	require.True(t, ok)
	assert.Equal(t, shopOrigin+"/src/cart.js", p.Source)
}

// A section placed on a later line: its positions shift by whole lines, and its column
// offset applies to its first line only.
func TestSectionsOnLaterLines(t *testing.T) {
	plain := parseBundleMap(t, "esbuild")
	frames := recordedFrames(t, "esbuild")
	want, ok := plain.Resolve(frames[0].Line, frames[0].Column)
	require.True(t, ok)

	index := fmt.Sprintf(`{"version":3,"sections":[{"offset":{"line":2,"column":5},"map":%s}]}`, bundleMap(t, "esbuild"))
	m, err := parseMap(shopOrigin+"/esbuild/app.js.map", []byte(index))
	require.NoError(t, err)
	got, ok := m.Resolve(frames[0].Line+2, frames[0].Column+5)
	require.True(t, ok)
	assert.Equal(t, want, got)
	_, ok = m.Resolve(frames[0].Line, frames[0].Column)
	assert.False(t, ok, "before the section there is no mapping")

	index = fmt.Sprintf(`{"version":3,"sections":[{"offset":{"line":0,"column":0},"map":%s},{"offset":{"line":3,"column":7},"map":%s}]}`,
		`{"version":3,"sources":["pad.js"],"names":[],"mappings":"AAAA;AACA;AACA"}`, bundleMap(t, "esbuild"))
	m, err = parseMap(shopOrigin+"/esbuild/app.js.map", []byte(index))
	require.NoError(t, err)
	got, ok = m.Resolve(frames[0].Line+3, frames[0].Column+7)
	require.True(t, ok)
	assert.Equal(t, want, got)
	pad, ok := m.Resolve(3, 100)
	require.True(t, ok)
	assert.Equal(t, shopOrigin+"/esbuild/pad.js", pad.Source)
}

func TestParseRefusesWhatIsNotAMap(t *testing.T) {
	esbuild := string(bundleMap(t, "esbuild"))
	for name, raw := range map[string]string{
		"not JSON":            `<html>404 Not Found</html>`,
		"truncated":           esbuild[:len(esbuild)/2],
		"JSON array":          `[1,2,3]`,
		"version 2":           `{"version":2,"sources":["a.js"],"mappings":"AAAA"}`,
		"no mappings":         `{"version":3,"sources":["a.js"],"mappings":""}`,
		"truncated segment":   `{"version":3,"sources":["a.js"],"mappings":"AAAg"}`,
		"section without map": `{"version":3,"sections":[{"offset":{"line":0,"column":0}}]}`,
		"section by url":      `{"version":3,"sections":[{"offset":{"line":0,"column":0},"url":"x.map"}]}`,
		"null section map":    `{"version":3,"sections":[{"offset":{"line":0,"column":0},"map":null}]}`,
		"nested sections":     `{"version":3,"sections":[{"offset":{"line":0,"column":0},"map":{"version":3,"sections":[{"offset":{"line":0,"column":0},"map":` + esbuild + `}]}}]}`,
		"unordered sections":  `{"version":3,"sections":[{"offset":{"line":1,"column":0},"map":` + esbuild + `},{"offset":{"line":0,"column":0},"map":` + esbuild + `}]}`,
		"negative offset":     `{"version":3,"sections":[{"offset":{"line":-1,"column":0},"map":` + esbuild + `}]}`,
		"index of version 2":  `{"version":2,"sections":[{"offset":{"line":0,"column":0},"map":` + esbuild + `}]}`,
	} {
		_, err := parseMap("https://shop.example/a.js.map", []byte(raw))
		assert.ErrorIs(t, err, errInvalidMap, name)
	}
}

// Mappings that point past the sources or before line 1 resolve to nothing, mark the
// map as damaged, and never panic.
func TestResolveOutOfRangeMappings(t *testing.T) {
	// "AKAA": source index 5 of one source. "AAFA": original line 1-2 = -1.
	m, err := parseMap("https://shop.example/a.js.map", []byte(`{"version":3,"sources":["a.js"],"names":[],"mappings":"AKAA"}`))
	require.NoError(t, err)
	_, ok := m.Resolve(1, 1)
	assert.False(t, ok)
	assert.True(t, m.outOfRange.Load())

	m, err = parseMap("https://shop.example/a.js.map", []byte(`{"version":3,"sources":["a.js"],"names":["n"],"mappings":"AAFAK"}`))
	require.NoError(t, err)
	_, ok = m.Resolve(1, 1)
	assert.False(t, ok)
}

func TestResolveAnyPositionIsSafe(t *testing.T) {
	m := parseBundleMap(t, "sections")
	for _, p := range [][2]int{{0, 0}, {0, 1}, {1, 0}, {-1, -1}, {2, 1}, {1, math.MaxInt32}, {math.MaxInt, math.MaxInt}, {math.MinInt, 5}} {
		assert.NotPanics(t, func() { m.Resolve(p[0], p[1]) }, "%v", p)
	}
	_, ok := m.Resolve(0, 1)
	assert.False(t, ok)
}

// The weight counts a record per mapping segment: a map with more segments weighs more,
// and every map weighs at least its text.
func TestWeightGrowsWithMappings(t *testing.T) {
	small, err := parseMap("https://shop.example/a.js.map", []byte(`{"version":3,"sources":["a.js"],"names":[],"mappings":"AAAA"}`))
	require.NoError(t, err)
	raw, err := json.Marshal(map[string]any{"version": 3, "sources": []string{"a.js"}, "names": []string{}, "mappings": repeatSegments(1000)})
	require.NoError(t, err)
	big, err := parseMap("https://shop.example/a.js.map", raw)
	require.NoError(t, err)
	assert.GreaterOrEqual(t, big.Weight()-small.Weight(), int64(999*bytesPerSegment))
	assert.GreaterOrEqual(t, parseBundleMap(t, "esbuild").Weight(), int64(len(bundleMap(t, "esbuild"))))
}

// repeatSegments returns n mapping segments on one generated line, each one column
// after the previous and one original line below.
func repeatSegments(n int) string {
	b := make([]byte, 0, 5*n)
	for i := 0; i < n; i++ {
		if i > 0 {
			b = append(b, ',')
		}
		b = append(b, "CACA"...)
	}
	return string(b)
}

func TestElementCount(t *testing.T) {
	for raw, want := range map[string]elementCount{
		`[]`:                            0,
		` [ ] `:                         0,
		`null`:                          0,
		`"a,b"`:                         0,
		`["a"]`:                         1,
		`["a","b,c",  "d\"],"]`:         3,
		`[1, {"x":[1,2]}, [3,4], "\\"]`: 4,
		`[[]]`:                          1,
		`[{}]`:                          1,
	} {
		var c elementCount
		require.NoError(t, json.Unmarshal([]byte(raw), &c))
		assert.Equal(t, want, c, raw)
	}
}
