// Copyright The otelcol-rum Authors
// SPDX-License-Identifier: Apache-2.0

package geoip

import (
	"fmt"
	"io"
	"io/fs"
	"os"

	"github.com/oschwald/maxminddb-golang/v2"
	"go.uber.org/zap"
)

// maxFileSize bounds the memory a database file can take: the largest MaxMind
// databases (GeoIP2 Enterprise) are a few hundred megabytes, GeoLite2 City about 60 MB.
// A bigger file is refused before it is read, rather than exhausting memory, e.g. when
// the path names some other large file by mistake.
const maxFileSize = 1 << 30

// fileStamp identifies a version of the file by what a poll can see without reading
// it. The zero stamp is "not seen yet"; a file that cannot be opened or stat'ed has the
// stamp of its error, so that a missing file is reported once too, and again only when
// the error changes.
type fileStamp struct {
	size    int64
	modTime int64 // Unix nanoseconds: a time.Time compares its location pointer too
	statErr string
	seen    bool
}

func stampOf(info fs.FileInfo) fileStamp {
	return fileStamp{size: info.Size(), modTime: info.ModTime().UnixNano(), seen: true}
}

func errorStamp(err error) fileStamp {
	return fileStamp{statErr: err.Error(), seen: true}
}

// reload reads the file when it is not the one already loaded or already refused. On
// success the new reader replaces the current one; on failure the current one stays:
// a bad copy half-written over the file must not take away a good database. Only Open
// and the watcher call it, never both at once.
func (db *DB) reload() {
	stamp, err := statFile(db.path)
	if stamp == db.loaded {
		// Back to the file loaded before (it was moved away and back): whatever
		// fails next is news again.
		db.failed = fileStamp{}
		return
	}
	if stamp == db.failed {
		return
	}
	var reader *maxminddb.Reader
	if err == nil {
		// The stamp comes from the open file, so it describes what was read even
		// if the file changes meanwhile; a change after it shows at the next poll.
		reader, stamp, err = readFile(db.path)
	}
	if err != nil {
		db.failed = stamp
		fields := []zap.Field{zap.String("path", db.path), zap.Error(err)}
		if db.current.Load() != nil {
			db.logger.Warn("cannot read the geoip database; keeping the one loaded before", fields...)
		} else {
			db.logger.Warn("cannot read the geoip database; locations stay empty until it is readable", fields...)
		}
		return
	}
	db.loaded, db.failed = stamp, fileStamp{}
	db.current.Store(reader)
	db.logger.Info("loaded the geoip database",
		zap.String("path", db.path),
		zap.String("database_type", reader.Metadata.DatabaseType),
		zap.Time("build_time", reader.Metadata.BuildTime()),
		zap.Int64("size", stamp.size))
}

// statFile returns the stamp of the file at path.
func statFile(path string) (fileStamp, error) {
	info, err := os.Stat(path)
	if err != nil {
		return errorStamp(err), err
	}
	return stampOf(info), nil
}

// readFile reads the whole file and opens it as a database, with the stamp of what was
// read.
func readFile(path string) (*maxminddb.Reader, fileStamp, error) {
	f, err := os.Open(path) //nolint:gosec // the path is the operator's configuration
	if err != nil {
		return nil, errorStamp(err), err
	}
	defer f.Close()
	info, err := f.Stat()
	if err != nil {
		return nil, errorStamp(err), err
	}
	stamp := stampOf(info)
	if stamp.size > maxFileSize {
		return nil, stamp, fmt.Errorf("file of %d bytes, larger than the %d bytes a geolocation database may be", stamp.size, maxFileSize)
	}
	// Exactly the size stat'ed: io.ReadAll would grow its buffer step by step, which
	// for a 60 MB file leaves as much again in garbage. A file that shrinks meanwhile
	// fails here, and is read again at the next poll since its stamp changed.
	data := make([]byte, stamp.size)
	if _, err := io.ReadFull(f, data); err != nil {
		return nil, stamp, err
	}
	reader, err := openBytes(data)
	return reader, stamp, err
}

// openBytes opens a database held in memory. OpenBytes checks the metadata and the
// bounds of the search tree and data section, which refuses a truncated file (the
// metadata is at its end). Reader.Verify would check every record too, but it also
// refuses databases with an empty description, which the @ip-location-db files have;
// a record that is corrupt all the same fails its own lookups only (lookup).
func openBytes(data []byte) (*maxminddb.Reader, error) {
	reader, err := maxminddb.OpenBytes(data)
	if err != nil {
		return nil, fmt.Errorf("not a readable MaxMind DB file: %w", err)
	}
	return reader, nil
}
