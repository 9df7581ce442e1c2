// Copyright The otelcol-rum Authors
// SPDX-License-Identifier: Apache-2.0

package geoip

import (
	"strconv"

	"github.com/oschwald/maxminddb-golang/v2/mmdbdata"
)

// locality is the city's English name. MaxMind and DB-IP store the city as a map
// ({"names": {"en": ...}, "geoname_id": ...}), the @ip-location-db city databases as a
// plain string; a struct field can only take one of the two, hence a decoder of its own.
// Any other kind is skipped, so an odd city never costs the rest of the record.
type locality string

// UnmarshalMaxMindDBCursor implements mmdbdata.CursorUnmarshaler.
func (l *locality) UnmarshalMaxMindDBCursor(c mmdbdata.Cursor) (mmdbdata.Cursor, error) {
	kind, err := c.Kind()
	if err != nil {
		return mmdbdata.Cursor{}, err
	}
	switch kind {
	case mmdbdata.KindString:
		s, next, err := c.ReadString()
		*l = locality(s)
		return next, err
	case mmdbdata.KindMap:
		return readMapValue(c, "names", func(names mmdbdata.Cursor) (mmdbdata.Cursor, error) {
			if k, err := names.Kind(); err != nil || k != mmdbdata.KindMap {
				return names.Skip()
			}
			return readMapValue(names, "en", func(en mmdbdata.Cursor) (mmdbdata.Cursor, error) {
				if k, err := en.Kind(); err != nil || k != mmdbdata.KindString {
					return en.Skip()
				}
				s, next, err := en.ReadString()
				*l = locality(s)
				return next, err
			})
		})
	default:
		return c.Skip()
	}
}

// readMapValue walks the map at c, hands the value of key to read and skips every other
// value; it returns the cursor after the map.
func readMapValue(c mmdbdata.Cursor, key string, read func(mmdbdata.Cursor) (mmdbdata.Cursor, error)) (mmdbdata.Cursor, error) {
	m, err := c.Map()
	if err != nil {
		return mmdbdata.Cursor{}, err
	}
	var next mmdbdata.Cursor
	for k, value, ok := m.Next(next); ok; k, value, ok = m.Next(next) {
		if string(k) == key {
			next, err = read(value)
		} else {
			next, err = value.Skip()
		}
		if err != nil {
			return mmdbdata.Cursor{}, err
		}
	}
	return m.End()
}

// asNumber is an autonomous system number. MaxMind stores it as uint32; other writers
// have used wider unsigned kinds or a string of digits. Values that fit none of these
// (negative, over 32 bits, not digits) read as 0, "unknown", rather than failing the
// record and losing its country.
type asNumber uint32

// UnmarshalMaxMindDBCursor implements mmdbdata.CursorUnmarshaler.
func (n *asNumber) UnmarshalMaxMindDBCursor(c mmdbdata.Cursor) (mmdbdata.Cursor, error) {
	kind, err := c.Kind()
	if err != nil {
		return mmdbdata.Cursor{}, err
	}
	switch kind {
	case mmdbdata.KindUint16, mmdbdata.KindUint32, mmdbdata.KindUint64:
		v, next, err := c.ReadUint()
		if err == nil && v <= 1<<32-1 {
			*n = asNumber(v)
		}
		return next, err
	case mmdbdata.KindString:
		s, next, err := c.ReadString()
		if v, perr := strconv.ParseUint(s, 10, 32); err == nil && perr == nil {
			*n = asNumber(v)
		}
		return next, err
	default:
		return c.Skip()
	}
}
