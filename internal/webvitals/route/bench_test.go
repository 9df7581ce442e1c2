// Copyright The otelcol-rum Authors
// SPDX-License-Identifier: Apache-2.0

package route

// Benchmarks of Template. They only run with -bench:
//
//	go test -run '^$' -bench . ./internal/webvitals/route/

import (
	"strconv"
	"testing"
)

var benchPatterns = []string{"/blog/{year}/{slug}", "/docs/*", "/account/*", "/shop/{category}/{item}"}

// benchURLs returns n distinct URLs of about 70 bytes whose templates are a handful of
// routes, the way one site's page views are.
func benchURLs(n int) []string {
	paths := []string{"/product/", "/category/shoes/", "/order/", "/users/507f1f77bcf86cd7994390", "/blog/2024/post-"}
	urls := make([]string, n)
	for i := range urls {
		urls[i] = "https://shop.example.com" + paths[i%len(paths)] + strconv.Itoa(i) + "?utm_source=newsletter&ref=home"
	}
	return urls
}

func BenchmarkTemplate(b *testing.B) {
	newBench := func(b *testing.B) *Templater {
		tp, err := NewTemplater(benchPatterns, 100, "")
		if err != nil {
			b.Fatal(err)
		}
		return tp
	}

	// hit: the working set fits in the cache, as a site's popular pages do.
	b.Run("hit", func(b *testing.B) {
		tp := newBench(b)
		urls := benchURLs(1000)
		for _, u := range urls {
			tp.Template("shop-web", u)
		}
		b.ReportAllocs()
		i := 0
		for b.Loop() {
			tp.Template("shop-web", urls[i%len(urls)])
			i++
		}
	})

	// miss: every URL is new (four times the cache), so each call parses, classifies,
	// matches the patterns and stores the result.
	b.Run("miss", func(b *testing.B) {
		tp := newBench(b)
		urls := benchURLs(4 * CacheSize)
		b.ReportAllocs()
		i := 0
		for b.Loop() {
			tp.Template("shop-web", urls[i%len(urls)])
			i++
		}
	})

	// hit-parallel: every core asks at once, for 100 services.
	b.Run("hit-parallel", func(b *testing.B) {
		tp := newBench(b)
		urls := benchURLs(1000)
		services := make([]string, 100)
		for i := range services {
			services[i] = "svc-" + strconv.Itoa(i)
			for _, u := range urls {
				tp.Template(services[i], u)
			}
		}
		b.ReportAllocs()
		b.ResetTimer()
		b.RunParallel(func(pb *testing.PB) {
			i := 0
			for pb.Next() {
				tp.Template(services[i%len(services)], urls[i%len(urls)])
				i++
			}
		})
	})
}
