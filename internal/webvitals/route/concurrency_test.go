// Copyright The otelcol-rum Authors
// SPDX-License-Identifier: Apache-2.0

package route

import (
	"strconv"
	"sync"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

const (
	concGoroutines = 16
	concServices   = 40
	concSections   = 12 // distinct templates a service can produce
	concMaxRoutes  = 5
	concIterations = 4000
)

// concURL returns a URL of service s whose template is /section<k>/{id}.
func concURL(g, i int) (service, url, template string) {
	s := (g*7 + i) % concServices
	k := (i*13 + g) % concSections
	sec := "section" + strconv.Itoa(k)
	return "svc-" + strconv.Itoa(s), "https://svc" + strconv.Itoa(s) + ".example/" + sec + "/" + strconv.Itoa(i) + "?q=" + strconv.Itoa(g), "/" + sec + "/{id}"
}

// Without Forget, no service is ever given more than its maximum of distinct templates,
// however many goroutines race for the last slots, and every answer is right.
func TestConcurrentAdmission(t *testing.T) {
	tp, err := NewTemplater([]string{"/section0/{id}"}, concMaxRoutes, "")
	require.NoError(t, err)
	tp.cacheMax = 8 // shards fill and are emptied while others read them

	seen := make([]map[string]map[string]bool, concGoroutines)
	var wg sync.WaitGroup
	for g := range concGoroutines {
		seen[g] = map[string]map[string]bool{}
		wg.Go(func() {
			for i := range concIterations {
				svc, url, want := concURL(g, i)
				got := tp.Template(svc, url)
				if got != want && got != tp.overflow {
					t.Errorf("Template(%q, %q) = %q, want %q or the overflow", svc, url, got, want)
					return
				}
				if got != tp.overflow {
					if seen[g][svc] == nil {
						seen[g][svc] = map[string]bool{}
					}
					seen[g][svc][got] = true
				}
			}
		})
	}
	wg.Wait()

	all := map[string]map[string]bool{}
	for _, m := range seen {
		for svc, routes := range m {
			if all[svc] == nil {
				all[svc] = map[string]bool{}
			}
			for r := range routes {
				all[svc][r] = true
			}
		}
	}
	require.Len(t, all, concServices)
	for svc, routes := range all {
		assert.Len(t, routes, concMaxRoutes, svc)
		assert.Equal(t, concMaxRoutes, tp.routeCount(svc), svc)
	}
	assert.Equal(t, concServices, tp.serviceCount())
}

// With Forget racing Template, and more services than may be tracked, the counts stay
// within their bounds and agree with what is stored.
func TestConcurrentForget(t *testing.T) {
	tp, err := NewTemplater(nil, concMaxRoutes, "")
	require.NoError(t, err)
	tp.cacheMax = 8
	tp.maxServices = concServices / 2

	var wg sync.WaitGroup
	for g := range concGoroutines {
		wg.Go(func() {
			for i := range concIterations {
				svc, url, want := concURL(g, i)
				got := tp.Template(svc, url)
				if got != want && got != tp.overflow {
					t.Errorf("Template(%q, %q) = %q, want %q or the overflow", svc, url, got, want)
					return
				}
				if i%3 == 0 {
					tp.Forget(svc, want)
				}
				if n := tp.routeCount(svc); n > concMaxRoutes {
					t.Errorf("service %q has %d routes", svc, n)
					return
				}
				if n := tp.serviceCount(); n > concServices/2 {
					t.Errorf("%d services tracked", n)
					return
				}
			}
		})
	}
	wg.Wait()

	tracked := 0
	for i := range tp.services {
		for svc, routes := range tp.services[i].m {
			tracked++
			assert.NotEmpty(t, routes, svc)
			assert.LessOrEqual(t, len(routes), concMaxRoutes, svc)
		}
	}
	assert.Equal(t, tracked, tp.serviceCount())
	assert.LessOrEqual(t, tracked, concServices/2)

	// Forgetting everything frees every slot.
	for s := range concServices {
		for k := range concSections {
			tp.Forget("svc-"+strconv.Itoa(s), "/section"+strconv.Itoa(k)+"/{id}")
		}
	}
	assert.Zero(t, tp.serviceCount())
}
