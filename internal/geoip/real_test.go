// Copyright The otelcol-rum Authors
// SPDX-License-Identifier: Apache-2.0

package geoip

import (
	"net/netip"
	"testing"

	"github.com/stretchr/testify/assert"
)

// TestRealCC0Database looks up addresses whose country is stable in the CC0 database
// scripts/install-geoip.sh installs (its version is pinned there).
func TestRealCC0Database(t *testing.T) {
	db := realDatabase(t)
	for addr, want := range map[string]Location{
		"8.8.8.8":              {ContinentCode: "NA", CountryISOCode: "US"},
		"::ffff:8.8.8.8":       {ContinentCode: "NA", CountryISOCode: "US"},
		"1.1.1.1":              {ContinentCode: "OC", CountryISOCode: "AU"},
		"81.2.69.142":          {ContinentCode: "EU", CountryISOCode: "GB"},
		"200.160.2.3":          {ContinentCode: "SA", CountryISOCode: "BR"},
		"2001:4860:4860::8888": {ContinentCode: "NA", CountryISOCode: "US"},
	} {
		got, found := db.Lookup(netip.MustParseAddr(addr))
		assert.True(t, found, addr)
		assert.Equal(t, want, got, addr)
	}
	for _, addr := range []string{"10.1.2.3", "127.0.0.1", "::1", "192.168.0.1"} {
		_, found := db.Lookup(netip.MustParseAddr(addr))
		assert.False(t, found, addr)
	}
}
