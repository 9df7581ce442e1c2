// Copyright The otelcol-rum Authors
// SPDX-License-Identifier: Apache-2.0

package geoip

import (
	"net/netip"
	"os"
	"path/filepath"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/maxmind/mmdbwriter/mmdbtype"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"go.uber.org/zap"
	"go.uber.org/zap/zapcore"
	"go.uber.org/zap/zaptest/observer"
)

// pollInterval is short so that the tests see reloads quickly; waitFor's deadline is
// generous so that a loaded machine does not fail them.
const (
	pollInterval = 5 * time.Millisecond
	waitDeadline = 10 * time.Second
)

var (
	london = netip.MustParseAddr("81.2.69.142")
	brazil = netip.MustParseAddr("200.160.2.3")
)

// startDB opens path with a watcher and logs recorded at Info and above.
func startDB(t *testing.T, path string) (*DB, *observer.ObservedLogs) {
	t.Helper()
	core, logs := observer.New(zapcore.InfoLevel)
	db := Open(path, pollInterval, zap.New(core))
	db.Start()
	t.Cleanup(func() { require.NoError(t, db.Close()) })
	return db, logs
}

// countryOf is the country Lookup answers for addr, "" when not found.
func countryOf(db *DB, addr netip.Addr) string {
	loc, _ := db.Lookup(addr)
	return loc.CountryISOCode
}

func warnings(logs *observer.ObservedLogs) []observer.LoggedEntry {
	return logs.FilterLevelExact(zapcore.WarnLevel).All()
}

// settle lets the watcher poll several times, for tests that check that nothing
// happens.
func settle() { time.Sleep(20 * pollInterval) }

// requireNothingAndOneWarning checks the state of a DB whose file is bad from the start:
// lookups find nothing, and after several polls one warning names the file and the
// error, which it returns.
func requireNothingAndOneWarning(t *testing.T, db *DB, logs *observer.ObservedLogs, path string) string {
	t.Helper()
	_, found := db.Lookup(london)
	assert.False(t, found)
	settle()
	warns := warnings(logs)
	require.Len(t, warns, 1, "a bad file is reported once, not at every poll")
	fields := warns[0].ContextMap()
	assert.Equal(t, path, fields["path"])
	errText, _ := fields["error"].(string)
	assert.NotEmpty(t, errText)
	return errText
}

func TestMissingFileThenGoodFile(t *testing.T) {
	path := filepath.Join(t.TempDir(), "geo.mmdb")
	db, logs := startDB(t, path)
	assert.Contains(t, requireNothingAndOneWarning(t, db, logs, path), "no such file")

	writeFile(t, path, cityDB(t))
	assert.Eventually(t, func() bool { return countryOf(db, london) == "GB" }, waitDeadline, pollInterval)
	assert.Len(t, logs.FilterMessage("loaded the geoip database").All(), 1)
}

func TestCorruptFiles(t *testing.T) {
	good := cityDB(t)
	for name, data := range map[string][]byte{
		"empty":     {},
		"garbage":   []byte("this is not a MaxMind DB file"),
		"truncated": good[:len(good)/2],
		"text file": []byte("a\nb\nc\n"),
	} {
		t.Run(name, func(t *testing.T) {
			path := filepath.Join(t.TempDir(), "geo.mmdb")
			require.NoError(t, os.WriteFile(path, data, 0o600))
			db, logs := startDB(t, path)
			requireNothingAndOneWarning(t, db, logs, path)

			writeFile(t, path, good)
			assert.Eventually(t, func() bool { return countryOf(db, london) == "GB" }, waitDeadline, pollInterval)
		})
	}
}

// TestTooLargeFileIsNotRead: a file past maxFileSize (sparse here: it takes no disk) is
// refused from its size, without reading it into memory.
func TestTooLargeFileIsNotRead(t *testing.T) {
	path := filepath.Join(t.TempDir(), "geo.mmdb")
	require.NoError(t, os.WriteFile(path, nil, 0o600))
	require.NoError(t, os.Truncate(path, maxFileSize+1))
	db, logs := startDB(t, path)
	assert.Contains(t, requireNothingAndOneWarning(t, db, logs, path), "larger than")
}

func TestDirectoryInsteadOfFile(t *testing.T) {
	dir := t.TempDir()
	db, logs := startDB(t, dir)
	assert.Contains(t, requireNothingAndOneWarning(t, db, logs, dir), "directory")
}

func TestReloadWhenTheFileChanges(t *testing.T) {
	path := filepath.Join(t.TempDir(), "geo.mmdb")
	writeFile(t, path, cityDB(t))
	db, logs := startDB(t, path)
	require.Equal(t, "GB", countryOf(db, london))
	require.Empty(t, countryOf(db, brazil))

	// Replaced by rename, as updaters do.
	writeFile(t, path, ipLocationCountryDB(t, networks{"81.2.64.0/18": {"country_code": mmdbtype.String("IE")}}))
	assert.Eventually(t, func() bool { return countryOf(db, london) == "IE" }, waitDeadline, pollInterval)
	assert.Equal(t, "BR", countryOf(db, brazil))

	assert.Empty(t, warnings(logs))

	// Rewritten in place (cp over it): the reader holds a copy, so this is safe too. A
	// poll may catch the file truncated and warn; the next one reads it whole.
	require.NoError(t, os.WriteFile(path, cityDB(t), 0o600))
	assert.Eventually(t, func() bool { return countryOf(db, london) == "GB" }, waitDeadline, pollInterval)
	assert.Empty(t, countryOf(db, brazil))
	assert.Len(t, logs.FilterMessage("loaded the geoip database").All(), 3)
}

func TestBadReplacementKeepsTheLoadedDatabase(t *testing.T) {
	path := filepath.Join(t.TempDir(), "geo.mmdb")
	writeFile(t, path, cityDB(t))
	db, logs := startDB(t, path)
	require.Equal(t, "GB", countryOf(db, london))

	writeFile(t, path, []byte("half a download"))
	require.Eventually(t, func() bool { return len(warnings(logs)) == 1 }, waitDeadline, pollInterval)
	assert.Contains(t, warnings(logs)[0].Message, "keeping the one loaded before")
	assert.Equal(t, "GB", countryOf(db, london))

	require.NoError(t, os.Remove(path))
	require.Eventually(t, func() bool { return len(warnings(logs)) == 2 }, waitDeadline, pollInterval)
	settle()
	assert.Len(t, warnings(logs), 2, "each bad state is reported once")
	assert.Equal(t, "GB", countryOf(db, london))

	writeFile(t, path, ipLocationCountryDB(t, nil))
	assert.Eventually(t, func() bool { return countryOf(db, brazil) == "BR" }, waitDeadline, pollInterval)
}

func TestCloseStopsTheWatcherAndDropsTheDatabase(t *testing.T) {
	path := filepath.Join(t.TempDir(), "geo.mmdb")
	writeFile(t, path, cityDB(t))
	db := Open(path, pollInterval, zap.NewNop())
	db.Start()
	db.Start()
	require.Equal(t, "GB", countryOf(db, london))
	require.NoError(t, db.Close())
	require.NoError(t, db.Close())
	_, found := db.Lookup(london)
	assert.False(t, found)

	// The watcher is gone: a new file is not read.
	writeFile(t, path, ipLocationCountryDB(t, nil))
	settle()
	assert.Empty(t, countryOf(db, brazil))

	// Close without Start, and Start after Close, start nothing and do not block.
	other := Open(path, pollInterval, zap.NewNop())
	assert.Equal(t, "BR", countryOf(other, brazil))
	require.NoError(t, other.Close())
	other.Start()
	select {
	case <-other.done:
	default:
		t.Fatal("Start after Close started a watcher")
	}
}

func TestNoPathNoDatabase(t *testing.T) {
	core, logs := observer.New(zapcore.DebugLevel)
	db := Open("", time.Millisecond, zap.New(core))
	db.Start()
	_, found := db.Lookup(london)
	assert.False(t, found)
	require.NoError(t, db.Close())
	assert.Zero(t, logs.Len())
}

// TestLookupsDuringReloads: lookups run while the file flips between two databases;
// every answer is one database's or the other's, never a mix, an empty answer or a
// crash. Run with -race.
func TestLookupsDuringReloads(t *testing.T) {
	path := filepath.Join(t.TempDir(), "geo.mmdb")
	// The two databases differ in size, so that every flip changes the stamp.
	first := cityDB(t)
	second := ipLocationCountryDB(t, networks{"81.2.64.0/18": {"country_code": mmdbtype.String("IE")}})
	require.NotEqual(t, len(first), len(second))
	writeFile(t, path, first)
	db, logs := startDB(t, path)

	var stop atomic.Bool
	var lookups atomic.Int64
	var wg sync.WaitGroup
	errs := make(chan string, 4)
	for range 4 {
		wg.Go(func() {
			for !stop.Load() {
				loc, found := db.Lookup(london)
				lookups.Add(1)
				gb := loc == Location{ContinentCode: "EU", CountryISOCode: "GB", RegionISOCode: "GB-ENG", Locality: "London"}
				ie := loc == Location{ContinentCode: "EU", CountryISOCode: "IE"}
				if !found || (!gb && !ie) {
					errs <- loc.CountryISOCode
					return
				}
			}
		})
	}
	const flips = 20
	for i := range flips {
		data, want := second, "IE"
		if i%2 == 1 {
			data, want = first, "GB"
		}
		writeFile(t, path, data)
		// Wait for the watcher to load this version before the next flip, so that
		// each flip is a reload under the lookups' feet.
		require.Eventually(t, func() bool {
			return len(logs.FilterMessage("loaded the geoip database").All()) == i+2
		}, waitDeadline, time.Millisecond)
		assert.Equal(t, want, countryOf(db, london))
	}
	stop.Store(true)
	wg.Wait()
	close(errs)
	for country := range errs {
		t.Errorf("a lookup during a reload answered %q", country)
	}
	assert.Positive(t, lookups.Load())
	t.Logf("%d lookups across %d reloads", lookups.Load(), flips)
}
