// Copyright The otelcol-rum Authors
// SPDX-License-Identifier: Apache-2.0

package sourcemaps

import (
	"context"
	"fmt"
	"runtime"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func dirKey(bundle string) Key {
	return Key{App: "shop", Release: "1.0.0", ScriptURL: shopOrigin + "/" + bundle + "/app.js"}
}

// The least recently used maps go first once the parsed maps pass cache.max_bytes, and
// the Observer's deltas add up to what is cached.
func TestCacheEvictsByBytes(t *testing.T) {
	esbuild := parseBundleMap(t, "esbuild").Weight()
	terser := parseBundleMap(t, "terser").Weight()
	nocontent := parseBundleMap(t, "nocontent").Weight()
	cfg := NewDefaultConfig()
	cfg.Directory = mapsDir(t)
	cfg.Cache.MaxBytes = esbuild + terser + nocontent - 1 // two of the three fit
	s := newTestStore(t, cfg)
	ctx := context.Background()

	for _, b := range []string{"esbuild", "terser", "esbuild", "nocontent"} {
		_, st := s.Get(ctx, dirKey(b))
		require.Equal(t, StatusOK, st, b)
	}
	assert.Equal(t, 3, s.obs.loads(SourceDirectory))
	assert.Equal(t, map[Outcome]int{OutcomeMiss: 3, OutcomeHit: 1}, s.obs.lookups)
	assert.Equal(t, 2, s.maps.len())
	assert.Equal(t, esbuild+nocontent, s.maps.weight, "terser, the least recently used, went")
	assert.LessOrEqual(t, s.maps.weight, cfg.Cache.MaxBytes)
	assert.Equal(t, s.maps.weight, s.obs.bytes)
	assert.Equal(t, int64(2), s.obs.entries)

	_, st := s.Get(ctx, dirKey("terser"))
	require.Equal(t, StatusOK, st)
	assert.Equal(t, 4, s.obs.loads(SourceDirectory), "an evicted map is loaded again")
	assert.Equal(t, s.maps.weight, s.obs.bytes)
}

// A map that would take more than the whole cache is refused, not cached.
func TestCacheRefusesAMapLargerThanItself(t *testing.T) {
	cfg := NewDefaultConfig()
	cfg.Directory = mapsDir(t)
	cfg.Cache.MaxBytes = parseBundleMap(t, "esbuild").Weight() - 1
	s := newTestStore(t, cfg)
	_, st := s.Get(context.Background(), dirKey("esbuild"))
	assert.Equal(t, StatusError, st)
	assert.Equal(t, 1, s.obs.failures(ReasonTooLarge))
	assert.Zero(t, s.maps.len())
}

func TestCacheTTL(t *testing.T) {
	s, clock := dirStore(t), newFakeClock()
	s.now = clock.now
	cfg := s.cfg
	ctx := context.Background()

	_, st := s.Get(ctx, dirKey("esbuild"))
	require.Equal(t, StatusOK, st)
	clock.advance(cfg.Cache.TTL - time.Second)
	_, st = s.Get(ctx, dirKey("esbuild"))
	require.Equal(t, StatusOK, st)
	assert.Equal(t, 1, s.obs.loads(SourceDirectory))
	clock.advance(2 * time.Second)
	_, st = s.Get(ctx, dirKey("esbuild"))
	require.Equal(t, StatusOK, st)
	assert.Equal(t, 2, s.obs.loads(SourceDirectory), "past the TTL the map is loaded again")
	assert.Equal(t, int64(1), s.obs.entries)
}

// A failure is remembered for negative_ttl: a missing map is looked for once, then
// again after the TTL; a map deployed meanwhile is found then.
func TestNegativeCache(t *testing.T) {
	s, clock := dirStore(t), newFakeClock()
	s.now = clock.now
	cfg := s.cfg
	ctx := context.Background()
	k := Key{App: "shop", Release: "2.0.0", ScriptURL: shopOrigin + "/esbuild/app.js"}

	for i := 0; i < 3; i++ {
		_, st := s.Get(ctx, k)
		require.Equal(t, StatusNotFound, st)
	}
	assert.Equal(t, 1, s.obs.failures(ReasonNotFound))
	assert.Equal(t, 2, s.obs.lookups[OutcomeNegativeHit])

	require.NoError(t, copyRelease(cfg.Directory, "1.0.0", "2.0.0"))
	clock.advance(cfg.Cache.NegativeTTL - time.Second)
	_, st := s.Get(ctx, k)
	assert.Equal(t, StatusNotFound, st, "still remembered")
	clock.advance(2 * time.Second)
	_, st = s.Get(ctx, k)
	assert.Equal(t, StatusOK, st, "found once the failure expired")
	assert.Zero(t, s.failures.len())
}

// A flood of errors naming distinct unknown bundles: the failures kept stop at
// cache.negative_max_entries, and the heap stops growing with them.
func TestNegativeCacheFloodIsBounded(t *testing.T) {
	const flood, bound = 10_000, 1_000
	cfg := NewDefaultConfig()
	cfg.Directory = t.TempDir()
	cfg.Cache.NegativeMaxEntries = bound
	s := newTestStore(t, cfg)
	ctx := context.Background()
	// URLs of a realistic length (about 120 bytes) for the memory figure.
	key := func(i int) Key {
		return Key{App: "shop", Release: "1.0.0", ScriptURL: fmt.Sprintf("%s/assets/chunks/vendor-%08d.3f2c1a9be07d4c5f8e1b2a3c4d5e6f70.min.js", shopOrigin, i)}
	}

	heap := func() uint64 {
		runtime.GC()
		var ms runtime.MemStats
		runtime.ReadMemStats(&ms)
		return ms.HeapAlloc
	}
	before := heap()
	for i := 0; i < 2*bound; i++ {
		_, st := s.Get(ctx, key(i))
		require.Equal(t, StatusNotFound, st)
	}
	atBound := heap()
	for i := 2 * bound; i < flood; i++ {
		_, st := s.Get(ctx, key(i))
		require.Equal(t, StatusNotFound, st)
	}
	after := heap()

	assert.Equal(t, bound, s.failures.len())
	assert.Equal(t, flood, s.obs.failures(ReasonNotFound))
	perEntry := (int64(atBound) - int64(before)) / bound
	t.Logf("negative cache: %d entries after %d failures; heap %+d bytes at the bound (%d per entry), %+d bytes over the next %d failures",
		s.failures.len(), flood, int64(atBound)-int64(before), perEntry, int64(after)-int64(atBound), flood-2*bound)
	assert.Less(t, int64(after)-int64(atBound), int64(256<<10),
		"8,000 more failures must not grow the heap (unbounded, they would take megabytes)")
	_, st := s.Get(ctx, key(flood-1))
	assert.Equal(t, StatusNotFound, st)
	assert.Equal(t, 1, s.obs.lookups[OutcomeNegativeHit], "the newest failures are the ones kept")
}
