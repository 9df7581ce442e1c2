// Copyright The otelcol-rum Authors
// SPDX-License-Identifier: Apache-2.0

package geoip

import (
	"net/netip"
	"sync"
	"sync/atomic"
	"time"

	"github.com/oschwald/maxminddb-golang/v2"
	"go.uber.org/zap"
)

// DB is a database file that lookups read while it is kept current. Its methods are safe
// for concurrent use.
type DB struct {
	path     string
	interval time.Duration
	logger   *zap.Logger

	// current is the reader of the last good file, nil before one was read and after
	// Close. Lookup only loads it: a reload builds a whole new reader and swaps it in,
	// so a lookup sees either the old database or the new one, never a mix.
	//
	// Readers are built with maxminddb.OpenBytes over a copy of the file in memory,
	// not with maxminddb.Open, which memory-maps the file. Two hazards of a mapping are
	// gone that way: unmapping an old reader while a lookup still walks it (the lookup
	// would fault; avoiding it takes a reference count on every lookup), and the file
	// being truncated or rewritten in place under the mapping (`cp` over it, a download
	// straight into it), which faults the lookups of every goroutine with SIGBUS. An old
	// reader is simply dropped and the garbage collector frees it once the last lookup
	// that loaded it has returned. The price is the file's size in heap (about 8 MB for
	// the CC0 country database, 60 MB for GeoLite2 City) and twice that during a reload.
	current atomic.Pointer[maxminddb.Reader]

	// loaded is the identity of the file current was read from; failed that of the
	// last file that could not be read, so that a bad file is reported once, not at
	// every poll. Both belong to the goroutine that loads (Open, then the poller).
	loaded, failed fileStamp

	startOnce sync.Once
	closeOnce sync.Once
	stop      chan struct{}
	done      chan struct{}
}

// Open reads the database at path and returns a DB that finds nothing until a good file
// is there: a missing, unreadable or corrupt file is logged once (Warn, with the path
// and the error) and tried again when it changes. Start watches the file every
// reloadInterval; a reloadInterval of zero or less reads it only now. An empty path is a
// DB without a database, which finds nothing and logs nothing.
func Open(path string, reloadInterval time.Duration, logger *zap.Logger) *DB {
	if logger == nil {
		logger = zap.NewNop()
	}
	db := &DB{
		path:     path,
		interval: reloadInterval,
		logger:   logger,
		stop:     make(chan struct{}),
		done:     make(chan struct{}),
	}
	if path != "" {
		db.reload()
	}
	return db
}

// Lookup returns the location of addr. It reports false when there is no database, when
// the database has no record for addr, or when the record holds nothing a Location
// carries. IPv4-mapped IPv6 addresses are looked up as the IPv4 address they carry, and
// a zone is ignored; private, loopback, link-local and other non-routable addresses are
// never found, as no database locates them.
func (db *DB) Lookup(addr netip.Addr) (Location, bool) {
	addr = addr.Unmap().WithZone("")
	if !routable(addr) {
		return Location{}, false
	}
	reader := db.current.Load()
	if reader == nil {
		return Location{}, false
	}
	return lookup(reader, addr)
}

// lookup reads the record of addr from reader. A record the decoder refuses (a corrupt
// data section that Verify did not reach, a field too large) is not found.
func lookup(reader *maxminddb.Reader, addr netip.Addr) (Location, bool) {
	result := reader.Lookup(addr)
	if !result.Found() {
		return Location{}, false
	}
	var rec record
	if err := result.Decode(&rec); err != nil {
		return Location{}, false
	}
	loc := rec.location()
	return loc, !loc.empty()
}

// routable reports whether addr can be on the public internet, i.e. whether a
// geolocation database can know it.
func routable(addr netip.Addr) bool {
	return addr.IsValid() && !addr.IsPrivate() && !addr.IsLoopback() && !addr.IsUnspecified() &&
		!addr.IsLinkLocalUnicast() && !addr.IsLinkLocalMulticast() && !addr.IsMulticast()
}

// Start watches the file for changes every reloadInterval until Close. Calls after the
// first do nothing.
func (db *DB) Start() {
	db.startOnce.Do(func() {
		if db.path == "" || db.interval <= 0 {
			close(db.done)
			return
		}
		go db.watch()
	})
}

// Close stops the watcher, waits for it to finish and drops the database: lookups from
// then on find nothing. It is safe to call more than once, and without Start.
func (db *DB) Close() error {
	db.closeOnce.Do(func() {
		close(db.stop)
		// Without Start there is no watcher to wait for; mark it started so that a
		// Start after Close does not launch one.
		db.startOnce.Do(func() { close(db.done) })
		<-db.done
		db.current.Store(nil)
	})
	return nil
}

// watch polls the file until Close.
func (db *DB) watch() {
	defer close(db.done)
	ticker := time.NewTicker(db.interval)
	defer ticker.Stop()
	for {
		select {
		case <-db.stop:
			return
		case <-ticker.C:
			db.reload()
		}
	}
}
