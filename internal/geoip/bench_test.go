// Copyright The otelcol-rum Authors
// SPDX-License-Identifier: Apache-2.0

package geoip

import (
	"net/netip"
	"os"
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/require"
)

// envDatabase names the database scripts/install-geoip.sh installed; `make run` and
// `make unit` set it. Tests and benchmarks of the real file skip without it.
const envDatabase = "RUM_GEOIP_DATABASE"

// realDatabase opens the installed CC0 database, or skips.
func realDatabase(tb testing.TB) *DB {
	tb.Helper()
	path := os.Getenv(envDatabase)
	if path == "" {
		tb.Skipf("%s is not set: run scripts/install-geoip.sh", envDatabase)
	}
	if _, err := os.Stat(path); err != nil {
		tb.Skipf("%s: %v", envDatabase, err)
	}
	db := Open(path, 0, nil)
	tb.Cleanup(func() { require.NoError(tb, db.Close()) })
	return db
}

// benchmarkLookups looks addrs up in turn, so that the benchmark walks several paths of
// the tree rather than one that stays in cache.
func benchmarkLookups(b *testing.B, db *DB, addrs []string) {
	parsed := make([]netip.Addr, len(addrs))
	for i, a := range addrs {
		parsed[i] = netip.MustParseAddr(a)
		_, found := db.Lookup(parsed[i])
		require.True(b, found, a)
	}
	b.ReportAllocs()
	b.ResetTimer()
	i := 0
	for b.Loop() {
		db.Lookup(parsed[i%len(parsed)])
		i++
	}
}

// BenchmarkLookup: the goal is at most 2 µs per lookup (issue 12). Run with
//
//	RUM_GEOIP_DATABASE=$(scripts/install-geoip.sh | tail -1) go test ./internal/geoip/ -run '^$' -bench Lookup -benchmem
func BenchmarkLookup(b *testing.B) {
	b.Run("written-city", func(b *testing.B) {
		path := filepath.Join(b.TempDir(), "city.mmdb")
		writeFile(b, path, cityDB(b))
		db := Open(path, 0, nil)
		defer db.Close()
		benchmarkLookups(b, db, []string{"81.2.69.142", "216.160.83.56", "2001:480:10::1", "89.160.20.120", "175.16.199.1"})
	})
	b.Run("written-ip-location-db", func(b *testing.B) {
		path := filepath.Join(b.TempDir(), "country.mmdb")
		writeFile(b, path, ipLocationCountryDB(b, nil))
		db := Open(path, 0, nil)
		defer db.Close()
		benchmarkLookups(b, db, []string{"200.160.2.3", "1.1.1.1", "2400:4050::1", "8.8.8.8"})
	})
	b.Run("cc0-country", func(b *testing.B) {
		benchmarkLookups(b, realDatabase(b), realAddresses)
	})
}

// realAddresses are public addresses of several countries and both families.
var realAddresses = []string{
	"8.8.8.8", "1.1.1.1", "81.2.69.142", "200.160.2.3", "2001:4860:4860::8888",
	"133.11.0.1", "196.216.2.1", "91.198.174.192", "2a00:1450:4001::1", "41.203.0.1",
}
