// Copyright The otelcol-rum Authors
// SPDX-License-Identifier: Apache-2.0

// Package geoip locates a client address in an MMDB database file: GeoLite2/GeoIP2 City,
// Country or ASN, DB-IP lite, or the CC0 databases of the npm @ip-location-db/*-mmdb
// packages. It reads the records of all those layouts into one Location.
//
// A DB never fails to open: a missing, corrupt or truncated file is logged once and
// Lookup finds nothing until a good file appears. The file is read again when its size or
// modification time changes, polled by a goroutine between Start and Close; lookups go on
// without a lock while a new file is loaded and swapped in.
package geoip // import "github.com/otelcol-rum/otelcol-rum/internal/geoip"
