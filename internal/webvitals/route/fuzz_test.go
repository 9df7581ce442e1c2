// Copyright The otelcol-rum Authors
// SPDX-License-Identifier: Apache-2.0

package route

import (
	"strings"
	"testing"
	"unicode/utf8"
)

var fuzzPatterns = []string{"/product/{id}", "/blog/{year}/{slug}", "/docs/*", "/café/{id}"}

var placeholders = []string{ID, UUID, Hex, Token}

// FuzzTemplate checks the promises of Template on any input: it never panics; the result
// is the overflow value or starts with "/"; it never holds "?" or "#"; it is the same on
// every call and with or without the cache; and an automatic template is short, plain
// ASCII, made of clean segments, with braces only in placeholders. The seeds (every URL
// of the table tests) run as ordinary tests.
func FuzzTemplate(f *testing.F) {
	for _, tc := range autoCases {
		f.Add("shop", tc.url)
	}
	for _, u := range []string{
		"/blog/2024/hello", "/docs/a/b", "/caf%C3%A9/1", "/%", "%", "/%%%", "\\\\", "http://", "http://x",
		"a:", "a:/", "a://", ":", "//", "///a", "/a;", ";", "/{", "/}", "/*", "/..%2f..", "?", "#",
		"/\u2028", "https://shop.example/" + strings.Repeat("../", 50) + "x",
	} {
		f.Add("shop", u)
	}
	f.Add("", "/product/1")
	f.Add("\xff", "\xff")

	// shared keeps its state from input to input, with small bounds that fill up: its
	// answer is always the template or the overflow value.
	shared, err := NewTemplater(fuzzPatterns, 3, "")
	if err != nil {
		f.Fatal(err)
	}
	shared.maxServices = 50
	shared.cacheMax = 4
	isPattern := map[string]bool{}
	for _, p := range fuzzPatterns {
		isPattern[p] = true
	}

	// tp is never over a limit, so its answer is the template itself. It is replaced
	// long before it tracks MaxServices services (making one per input would cost more
	// than the rest of the function).
	var tp *Templater
	f.Fuzz(func(t *testing.T, service, url string) {
		if tp == nil || tp.serviceCount() >= 1000 {
			if tp, err = NewTemplater(fuzzPatterns, 1<<30, ""); err != nil {
				t.Fatal(err)
			}
		}
		got := tp.Template(service, url)
		if s := shared.Template(service, url); s != got && s != shared.overflow {
			t.Fatalf("Template(%q) = %q, but %q from a Templater with state", url, got, s)
		}
		if got != tp.overflow && !strings.HasPrefix(got, "/") {
			t.Fatalf("Template(%q) = %q: neither a path nor the overflow", url, got)
		}
		if strings.ContainsAny(got, "?#") {
			t.Fatalf("Template(%q) = %q: holds a query or fragment", url, got)
		}
		if again := tp.Template(service, url); again != got {
			t.Fatalf("Template(%q) = %q, then %q", url, got, again)
		}
		if direct := tp.compute(stripQuery(url)); direct != got {
			t.Fatalf("Template(%q) = %q from the cache, %q without", url, got, direct)
		}
		if isPattern[got] || got == Unknown {
			return
		}
		checkAuto(t, url, got)

		// Cleaning is idempotent: the cleaned path of a path reads back the same (if it
		// still fits in MaxPathLen: escaping can triple its length).
		path, ok := pathOf(stripQuery(url))
		if !ok || len(path) > MaxPathLen {
			return
		}
		segs := appendSegments(nil, path)
		clean := "/" + strings.Join(segs, "/")
		if len(clean) > MaxPathLen {
			return
		}
		if again := appendSegments(nil, clean); strings.Join(again, "/") != strings.Join(segs, "/") {
			t.Fatalf("path %q cleans to %q, which cleans to %q", path, segs, again)
		}
	})
}

// checkAuto checks the shape of an automatic template.
func checkAuto(t *testing.T, url, got string) {
	t.Helper()
	if got == "/" {
		return
	}
	if len(got) > 2+MaxSegments*(1+MaxSegmentLen+len(ID)-1) {
		t.Fatalf("Template(%q) = %q: too long", url, got)
	}
	for i := 0; i < len(got); i++ {
		if got[i] >= utf8.RuneSelf || got[i] <= ' ' {
			t.Fatalf("Template(%q) = %q: byte %#x", url, got, got[i])
		}
	}
	segs := strings.Split(got[1:], "/")
	if segs[len(segs)-1] == "*" {
		if len(segs) != MaxSegments+1 {
			t.Fatalf("Template(%q) = %q: folded before %d segments", url, got, MaxSegments)
		}
		segs = segs[:MaxSegments]
	}
	if len(segs) > MaxSegments {
		t.Fatalf("Template(%q) = %q: more than %d segments", url, got, MaxSegments)
	}
	for _, s := range segs {
		if s == "" || s == "." || s == ".." {
			t.Fatalf("Template(%q) = %q: segment %q", url, got, s)
		}
		// 12345.pdf becomes {id}.pdf: a placeholder may be 3 bytes longer than its part.
		if len(s) > MaxSegmentLen+len(ID)-1 {
			t.Fatalf("Template(%q) = %q: segment longer than %d", url, got, MaxSegmentLen)
		}
		if strings.ContainsAny(s, `\;`) {
			t.Fatalf("Template(%q) = %q: segment %q", url, got, s)
		}
		// Braces only in placeholders.
		rest := s
		for _, ph := range placeholders {
			rest = strings.ReplaceAll(rest, ph, "")
		}
		if strings.ContainsAny(rest, "{}") {
			t.Fatalf("Template(%q) = %q: brace outside a placeholder in %q", url, got, s)
		}
	}
}
