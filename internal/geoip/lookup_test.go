// Copyright The otelcol-rum Authors
// SPDX-License-Identifier: Apache-2.0

package geoip

import (
	"net/netip"
	"path/filepath"
	"testing"

	"github.com/maxmind/mmdbwriter/mmdbtype"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// openData writes data to a file of the test and opens it without a watcher.
func openData(t *testing.T, data []byte) *DB {
	t.Helper()
	path := filepath.Join(t.TempDir(), "test.mmdb")
	writeFile(t, path, data)
	db := Open(path, 0, nil)
	t.Cleanup(func() { require.NoError(t, db.Close()) })
	return db
}

type lookupCase struct {
	addr  string
	want  Location
	found bool
}

func checkLookups(t *testing.T, db *DB, cases []lookupCase) {
	t.Helper()
	for _, c := range cases {
		got, found := db.Lookup(netip.MustParseAddr(c.addr))
		assert.Equal(t, c.found, found, c.addr)
		assert.Equal(t, c.want, got, c.addr)
	}
}

func TestLookupMaxMindCityLayout(t *testing.T) {
	db := openData(t, cityDB(t))
	london := Location{ContinentCode: "EU", CountryISOCode: "GB", RegionISOCode: "GB-ENG", Locality: "London"}
	checkLookups(t, db, []lookupCase{
		{addr: "81.2.69.142", want: london, found: true},
		// IPv4-mapped IPv6 is the IPv4 address it carries.
		{addr: "::ffff:81.2.69.142", want: london, found: true},
		{addr: "216.160.83.56", want: Location{ContinentCode: "NA", CountryISOCode: "US", RegionISOCode: "US-WA", Locality: "Milton"}, found: true},
		{addr: "89.160.20.120", want: Location{ContinentCode: "EU", CountryISOCode: "SE", RegionISOCode: "SE-E", Locality: "Linköping"}, found: true},
		{addr: "2001:480:10::1", want: Location{ContinentCode: "NA", CountryISOCode: "US", RegionISOCode: "US-CA", Locality: "San Diego"}, found: true},
		// A zone does not change the answer.
		{addr: "2001:480:10::1%eth0", want: Location{ContinentCode: "NA", CountryISOCode: "US", RegionISOCode: "US-CA", Locality: "San Diego"}, found: true},
		// A country-level record: no region, no city.
		{addr: "2a02:d2c0::1", want: Location{ContinentCode: "EU", CountryISOCode: "DE"}, found: true},
		// A record without a continent gets it from the country.
		{addr: "202.196.224.1", want: Location{ContinentCode: "AS", CountryISOCode: "PH"}, found: true},
		// A continent alone.
		{addr: "67.43.156.1", want: Location{ContinentCode: "AS"}, found: true},
		// A record with nothing a Location holds is not found.
		{addr: "149.101.100.1", found: false},
		// Not in the database.
		{addr: "9.9.9.9", found: false},
		{addr: "2001:4860::1", found: false},
		// Never looked up.
		{addr: "10.0.0.1", found: false},
		{addr: "192.168.1.1", found: false},
		{addr: "127.0.0.1", found: false},
		{addr: "::1", found: false},
		{addr: "fe80::1", found: false},
		{addr: "fd00::1", found: false},
		{addr: "0.0.0.0", found: false},
	})
	_, found := db.Lookup(netip.Addr{})
	assert.False(t, found, "the zero Addr")
}

func TestLookupIPLocationDBLayouts(t *testing.T) {
	t.Run("country", func(t *testing.T) {
		db := openData(t, ipLocationCountryDB(t, nil))
		checkLookups(t, db, []lookupCase{
			{addr: "200.160.2.3", want: Location{ContinentCode: "SA", CountryISOCode: "BR"}, found: true},
			{addr: "1.1.1.1", want: Location{ContinentCode: "OC", CountryISOCode: "AU"}, found: true},
			{addr: "2400:4050::1", want: Location{ContinentCode: "AS", CountryISOCode: "JP"}, found: true},
			{addr: "::ffff:8.8.8.8", want: Location{ContinentCode: "NA", CountryISOCode: "US"}, found: true},
			{addr: "9.9.9.9", found: false},
		})
	})
	t.Run("city", func(t *testing.T) {
		db := openData(t, buildDB(t, "city ipvAll", networks{
			"2.16.0.0/13": {
				"country_code": mmdbtype.String("FR"), "city": mmdbtype.String("Paris"),
				"state1": mmdbtype.String("Île-de-France"), "latitude": mmdbtype.Float32(48.85),
				"longitude": mmdbtype.Float32(2.35), "postcode": mmdbtype.String("75001"),
				"timezone": mmdbtype.String("Europe/Paris"),
			},
		}))
		// state1 is a name, not an ISO 3166-2 code: no region.
		checkLookups(t, db, []lookupCase{
			{addr: "2.16.1.1", want: Location{ContinentCode: "EU", CountryISOCode: "FR", Locality: "Paris"}, found: true},
		})
	})
	t.Run("asn", func(t *testing.T) {
		db := openData(t, buildDB(t, "asn ipvAll", networks{
			"8.8.8.0/24":    {"autonomous_system_number": mmdbtype.Uint32(15169), "autonomous_system_organization": mmdbtype.String("GOOGLE")},
			"1.0.0.0/24":    {"autonomous_system_number": mmdbtype.Uint64(13335), "autonomous_system_organization": mmdbtype.String("CLOUDFLARENET")},
			"1.0.4.0/22":    {"autonomous_system_number": mmdbtype.String("38803"), "autonomous_system_organization": mmdbtype.String("GTELECOM")},
			"1.0.16.0/24":   {"autonomous_system_number": mmdbtype.Uint64(1 << 40), "autonomous_system_organization": mmdbtype.String("TOO WIDE")},
			"1.0.64.0/18":   {"autonomous_system_number": mmdbtype.Float64(1), "autonomous_system_organization": mmdbtype.String("ODD KIND")},
			"1.0.128.0/17":  {"autonomous_system_number": mmdbtype.String("AS23969"), "autonomous_system_organization": mmdbtype.String("NOT DIGITS")},
			"2001:200::/32": {"autonomous_system_number": mmdbtype.Uint32(2500), "autonomous_system_organization": mmdbtype.String("WIDE")},
		}))
		checkLookups(t, db, []lookupCase{
			{addr: "8.8.8.8", want: Location{ASNumber: 15169, ASOrganization: "GOOGLE"}, found: true},
			{addr: "1.0.0.1", want: Location{ASNumber: 13335, ASOrganization: "CLOUDFLARENET"}, found: true},
			{addr: "1.0.4.1", want: Location{ASNumber: 38803, ASOrganization: "GTELECOM"}, found: true},
			// Numbers that are not AS numbers read as unknown; the rest of the record stays.
			{addr: "1.0.16.1", want: Location{ASOrganization: "TOO WIDE"}, found: true},
			{addr: "1.0.64.1", want: Location{ASOrganization: "ODD KIND"}, found: true},
			{addr: "1.0.128.1", want: Location{ASOrganization: "NOT DIGITS"}, found: true},
			{addr: "2001:200::1", want: Location{ASNumber: 2500, ASOrganization: "WIDE"}, found: true},
		})
	})
}

func TestLookupGeoLite2ASNAndCountryLayouts(t *testing.T) {
	asn := openData(t, buildDB(t, "GeoLite2-ASN", networks{
		"1.128.0.0/11": {"autonomous_system_number": mmdbtype.Uint32(1221), "autonomous_system_organization": mmdbtype.String("Telstra Pty Ltd")},
	}))
	checkLookups(t, asn, []lookupCase{
		{addr: "1.128.0.1", want: Location{ASNumber: 1221, ASOrganization: "Telstra Pty Ltd"}, found: true},
	})
	country := openData(t, buildDB(t, "GeoLite2-Country", networks{
		"2.125.160.216/29": {
			"continent": mmdbtype.Map{"code": mmdbtype.String("EU"), "names": names("Europe")},
			"country":   mmdbtype.Map{"iso_code": mmdbtype.String("GB"), "is_in_european_union": mmdbtype.Bool(false), "names": names("United Kingdom")},
		},
	}))
	checkLookups(t, country, []lookupCase{
		{addr: "2.125.160.217", want: Location{ContinentCode: "EU", CountryISOCode: "GB"}, found: true},
	})
}

// TestOddCityKindsKeepTheRest: a city that is neither a map nor a string, or a map
// without an English name, leaves the locality empty and the country found.
func TestOddCityKindsKeepTheRest(t *testing.T) {
	db := openData(t, buildDB(t, "odd", networks{
		"5.0.0.0/16": {"country_code": mmdbtype.String("DE"), "city": mmdbtype.Uint32(7)},
		"5.1.0.0/16": {"country_code": mmdbtype.String("DE"), "city": mmdbtype.Map{"names": mmdbtype.Map{"fr": mmdbtype.String("Berlin")}}},
		"5.2.0.0/16": {"country_code": mmdbtype.String("DE"), "city": mmdbtype.Map{"names": mmdbtype.String("Berlin")}},
		"5.3.0.0/16": {"country_code": mmdbtype.String("DE"), "city": mmdbtype.Map{"names": mmdbtype.Map{"en": mmdbtype.Uint16(1)}}},
		"5.4.0.0/16": {"country_code": mmdbtype.String("DE"), "city": mmdbtype.Slice{mmdbtype.String("Berlin")}},
	}))
	for _, addr := range []string{"5.0.0.1", "5.1.0.1", "5.2.0.1", "5.3.0.1", "5.4.0.1"} {
		got, found := db.Lookup(netip.MustParseAddr(addr))
		assert.True(t, found, addr)
		assert.Equal(t, Location{ContinentCode: "EU", CountryISOCode: "DE"}, got, addr)
	}
}
