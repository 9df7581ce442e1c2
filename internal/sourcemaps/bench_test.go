// Copyright The otelcol-rum Authors
// SPDX-License-Identifier: Apache-2.0

package sourcemaps

import (
	"context"
	"encoding/json"
	"fmt"
	"math/rand/v2"
	"runtime"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/otelcol-rum/otelcol-rum/internal/jsstack"
)

// syntheticMap returns a map of about size bytes shaped like a bundler's for a minified
// bundle: one long generated line, about half the bytes sourcesContent, the other half
// mappings, a name on one segment in four. Seeded, so every run measures the same map.
func syntheticMap(size int) []byte {
	const b64 = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/"
	vlq := func(b []byte, n int) []byte {
		v := n << 1
		if n < 0 {
			v = -n<<1 | 1
		}
		for {
			d := v & 31
			v >>= 5
			if v > 0 {
				d |= 32
			}
			b = append(b, b64[d])
			if v == 0 {
				return b
			}
		}
	}
	rng := rand.New(rand.NewPCG(1, 2))
	const sources, names = 60, 3000
	var content []string
	for i := 0; i < sources; i++ {
		var sb strings.Builder
		for sb.Len() < size/2/sources {
			fmt.Fprintf(&sb, "export function handler%d(event, state) { return state.items.map((item) => item.id + %d); }\n", sb.Len(), i)
		}
		content = append(content, sb.String())
	}
	nameList := make([]string, names)
	for i := range nameList {
		nameList[i] = fmt.Sprintf("identifier%d", i)
	}
	mappings := make([]byte, 0, size/2+16)
	src, line, col, name := 0, 0, 0, 0
	for len(mappings) < size/2 {
		if len(mappings) > 0 {
			mappings = append(mappings, ',')
		}
		mappings = vlq(mappings, 1+rng.IntN(12))
		ds := 0
		if rng.IntN(50) == 0 {
			ds = rng.IntN(sources) - src
		}
		src += ds
		dl := rng.IntN(3) - 1
		if line+dl < 0 {
			dl = 0
		}
		line += dl
		dc := rng.IntN(40) - 20
		if col+dc < 0 {
			dc = -col
		}
		col += dc
		mappings = vlq(vlq(vlq(mappings, ds), dl), dc)
		if rng.IntN(4) == 0 {
			dn := rng.IntN(names) - name
			name += dn
			mappings = vlq(mappings, dn)
		}
	}
	srcNames := make([]string, sources)
	for i := range srcNames {
		srcNames[i] = fmt.Sprintf("../src/module%03d.js", i)
	}
	b, err := json.Marshal(map[string]any{
		"version": 3, "sources": srcNames, "sourcesContent": content, "names": nameList, "mappings": string(mappings),
	})
	if err != nil {
		panic(err)
	}
	return b
}

// BenchmarkParse1MB parses a 1 MB map once per iteration: the cost of a cache miss after
// the map's bytes are read.
func BenchmarkParse1MB(b *testing.B) {
	raw := syntheticMap(1 << 20)
	b.SetBytes(int64(len(raw)))
	b.ReportAllocs()
	for b.Loop() {
		if _, err := parseMap("https://shop.example/dist/app.js.map", raw); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkResolve is one lookup in a parsed map, in the real esbuild map and in the
// synthetic 1 MB one.
func BenchmarkResolve(b *testing.B) {
	big, err := parseMap("https://shop.example/dist/app.js.map", syntheticMap(1<<20))
	require.NoError(b, err)
	for name, m := range map[string]*Map{"esbuild": parseBundleMap(b, "esbuild"), "1MB": big} {
		b.Run(name, func(b *testing.B) {
			b.ReportAllocs()
			col := 1
			for b.Loop() {
				m.Resolve(1, col)
				col = col%200_000 + 7919
			}
		})
	}
}

// BenchmarkSymbolicateWarm symbolicates a 10-frame trace whose maps are cached: the cost
// per exception of a known release, reported per frame too.
func BenchmarkSymbolicateWarm(b *testing.B) {
	cfg := NewDefaultConfig()
	cfg.Directory = b.TempDir()
	s, err := NewStore(cfg, NopObserver{}, zapNop(), nil)
	require.NoError(b, err)
	defer s.Close()
	// The two bundles' frames, five of each: two scripts, as an app and a vendor chunk.
	in := jsstack.Trace{Lines: []jsstack.Line{{Text: "Error: item without a sku: broken"}}}
	for _, bundle := range []string{"esbuild", "terser"} {
		m := parseBundleMap(b, bundle)
		k := Key{App: "shop", Release: "1.0.0", ScriptURL: shopOrigin + "/" + bundle + "/app.js"}
		s.maps.put(k, m, s.now())
		frames := recordedFrames(b, bundle)
		for i := 0; i < 5; i++ {
			f := frames[i%len(frames)]
			in.Lines = append(in.Lines, jsstack.Line{IsFrame: true, Frame: jsstack.Frame{Function: f.Function, URL: k.ScriptURL, Line: f.Line, Column: f.Column}})
		}
	}
	ctx := context.Background()
	_, res := s.Symbolicate(ctx, "shop", "1.0.0", in)
	require.Equal(b, 10, res.Resolved)
	b.ReportAllocs()
	for b.Loop() {
		s.Symbolicate(ctx, "shop", "1.0.0", in)
	}
	b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N)/10, "ns/frame")
}

// BenchmarkWeightEstimate measures the heap that parsed maps keep against the weight the
// cache charges for them, for the real maps and the synthetic 1 MB one: heap/weight below
// 1 means the byte bound of the cache holds with room to spare. It is the measurement
// behind bytesPerSegment and mapOverhead.
func BenchmarkWeightEstimate(b *testing.B) {
	inputs := map[string][]byte{"1MB": syntheticMap(1 << 20), "100kB": syntheticMap(100 << 10)}
	for _, bundle := range []string{"esbuild", "terser", "sections", "nocontent"} {
		inputs[bundle] = bundleMap(b, bundle)
	}
	for name, raw := range inputs {
		b.Run(name, func(b *testing.B) {
			n := max(1, (64<<20)/(10*len(raw))) // about 64 MB of parsed maps
			var heap, weight float64
			for b.Loop() {
				heap, weight = measureParsed(b, raw, n)
			}
			b.ReportMetric(heap/float64(n), "heap-bytes/map")
			b.ReportMetric(weight/float64(n), "weight/map")
			b.ReportMetric(heap/weight, "heap/weight")
		})
	}
}

// measureParsed parses raw n times, keeping the maps, and returns the heap they hold
// after a collection and the sum of their weights.
func measureParsed(b testing.TB, raw []byte, n int) (heap, weight float64) {
	maps := make([]*Map, n)
	before := heapAfterGC()
	for i := range maps {
		m, err := parseMap("https://shop.example/dist/app.js.map", raw)
		require.NoError(b, err)
		maps[i] = m
		weight += float64(m.Weight())
	}
	heap = float64(heapAfterGC() - before)
	runtime.KeepAlive(maps)
	return heap, weight
}

// BenchmarkCacheAtLimit fills a Store's cache of 64 MiB with copies of the 1 MB map under
// distinct keys, twice over, and reports the heap it holds then: the memory of a full
// cache, against cache.max_bytes.
func BenchmarkCacheAtLimit(b *testing.B) {
	const limit = 64 << 20
	raw := syntheticMap(1 << 20)
	for b.Loop() {
		before := heapAfterGC()
		cfg := NewDefaultConfig()
		cfg.Cache.MaxBytes = limit
		s, err := NewStore(cfg, NopObserver{}, zapNop(), nil)
		require.NoError(b, err)
		for i, inserted := 0, int64(0); inserted < 2*limit; i++ {
			m, err := parseMap("https://shop.example/dist/app.js.map", raw)
			require.NoError(b, err)
			s.maps.put(Key{App: "shop", Release: "1", ScriptURL: fmt.Sprintf("%s/c%d.js", shopOrigin, i)}, m, s.now())
			inserted += m.Weight()
		}
		held := heapAfterGC() - before
		b.ReportMetric(float64(held)/(1<<20), "heap-MiB")
		b.ReportMetric(float64(s.maps.weight)/(1<<20), "weight-MiB")
		b.ReportMetric(float64(s.maps.len()), "maps")
		runtime.KeepAlive(s)
		s.Close()
	}
}

func heapAfterGC() uint64 {
	runtime.GC()
	var ms runtime.MemStats
	runtime.ReadMemStats(&ms)
	return ms.HeapAlloc
}
