// Copyright The otelcol-rum Authors
// SPDX-License-Identifier: Apache-2.0

package sourcemaps

import (
	"bytes"
	"strings"
	"testing"
)

// FuzzResolveHostileMap parses a map an attacker wrote (an allowed origin can be
// compromised, a directory filled by a broken build) and looks positions up in it:
// nothing may panic, and what resolves must be a real position. The seeds in
// testdata/fuzz/FuzzResolveHostileMap are damaged maps of the kinds the parser trips on;
// the real maps are added here.
func FuzzResolveHostileMap(f *testing.F) {
	for _, b := range []string{"esbuild", "terser", "sections", "nocontent"} {
		f.Add(bundleMap(f, b), 1, 39)
	}
	f.Fuzz(func(t *testing.T, raw []byte, line, col int) {
		m, err := parseMap("https://shop.example/dist/app.js.map", raw)
		if err != nil {
			return
		}
		if m.Weight() < int64(len(raw))/2 {
			t.Fatalf("weight %d for a map of %d bytes", m.Weight(), len(raw))
		}
		for _, p := range [][2]int{{line, col}, {1, 1}, {line, 1}, {1, col}, {line + 1, col - 1}} {
			pos, ok := m.Resolve(p[0], p[1])
			if !ok {
				continue
			}
			if pos.Source == "" || pos.Line < 1 || pos.Column < 1 {
				t.Fatalf("Resolve(%d, %d) = %+v", p[0], p[1], pos)
			}
			if s, ok := m.ContextLine(pos.Source, pos.Line); ok && (len(s) > maxContextLine || strings.Contains(s, "\n")) {
				t.Fatalf("context line of %d bytes: %q", len(s), s)
			}
		}
		m.ContextLine("", line)
	})
}

// FuzzMapReference reads a script's sourceMappingURL and decodes it when it is inline:
// the reference is one word, and an inline map is never larger than its limit.
func FuzzMapReference(f *testing.F) {
	f.Add([]byte("a();\n//# sourceMappingURL=app.js.map\n"))
	f.Add([]byte("//@ sourceMappingURL=data:application/json;charset=utf-8;base64,e30=\n"))
	f.Add([]byte("//# sourceMappingURL=data:application/json;base64,!!!!"))
	f.Add([]byte("//# sourceMappingURL=data:,{}"))
	f.Add([]byte("x//#sourceMappingURL=sourceMappingURL=//#"))
	f.Fuzz(func(t *testing.T, script []byte) {
		ref, ok := sourceMappingURL(script)
		if ok != (ref != "") || strings.ContainsAny(ref, " \t\r\n") || !bytes.Contains(script, []byte(ref)) {
			t.Fatalf("sourceMappingURL = %q, %v", ref, ok)
		}
		if !isDataURL(ref) {
			return
		}
		const limit = 64
		b, reason, err := decodeInlineMap(ref, limit)
		if (reason == "") != (err == nil) || len(b) > limit {
			t.Fatalf("decodeInlineMap(%q) = %d bytes, %q, %v", ref, len(b), reason, err)
		}
	})
}
