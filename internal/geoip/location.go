// Copyright The otelcol-rum Authors
// SPDX-License-Identifier: Apache-2.0

package geoip

// Location is what a database knows of an address. A field is empty (zero) when the
// database has no such fact: a country database has no region or locality, only an ASN
// database has the autonomous system.
type Location struct {
	// ContinentCode is the two-letter continent code (AF, AN, AS, EU, NA, OC, SA):
	// geo.continent.code.
	ContinentCode string
	// CountryISOCode is the ISO 3166-1 alpha-2 code: geo.country.iso_code.
	CountryISOCode string
	// RegionISOCode is the ISO 3166-2 code of the first-level subdivision, country and
	// subdivision joined by a hyphen ("US-CA"): geo.region.iso_code.
	RegionISOCode string
	// Locality is the English name of the city: geo.locality.name.
	Locality string
	// ASNumber and ASOrganization name the autonomous system that announces the address.
	ASNumber       uint32
	ASOrganization string
}

// record covers every supported layout at once; a layout fills the fields it has and
// leaves the others empty.
//   - MaxMind (GeoLite2/GeoIP2 City and Country) and DB-IP lite: continent.code,
//     country.iso_code, subdivisions[].iso_code, city.names.en;
//   - @ip-location-db: country_code at the top level, and in its city databases city as
//     a plain string;
//   - ASN databases of both: autonomous_system_number, autonomous_system_organization.
//
// Fields not named here (names in other languages, coordinates, postal codes) are
// skipped by the decoder without being read into memory.
type record struct {
	Continent struct {
		Code string `maxminddb:"code"`
	} `maxminddb:"continent"`
	Country struct {
		ISOCode string `maxminddb:"iso_code"`
	} `maxminddb:"country"`
	// GeoIP2 has at most two levels of subdivision; a record with more is not a
	// MaxMind layout, and the bound keeps a hostile file from making the decoder build a
	// large slice.
	Subdivisions []struct {
		ISOCode string `maxminddb:"iso_code"`
	} `maxminddb:"subdivisions,maxsize:8"`
	City           locality `maxminddb:"city"`
	CountryCode    string   `maxminddb:"country_code"`
	ASNumber       asNumber `maxminddb:"autonomous_system_number"`
	ASOrganization string   `maxminddb:"autonomous_system_organization"`
}

// location turns a decoded record into a Location, whatever its layout.
func (r *record) location() Location {
	country := r.Country.ISOCode
	if country == "" {
		country = r.CountryCode
	}
	loc := Location{
		ContinentCode:  r.Continent.Code,
		CountryISOCode: country,
		Locality:       string(r.City),
		ASNumber:       uint32(r.ASNumber),
		ASOrganization: r.ASOrganization,
	}
	if loc.ContinentCode == "" {
		loc.ContinentCode = continentOf(country)
	}
	// ISO 3166-2 codes are the country's code, a hyphen and the subdivision's own
	// code; MaxMind stores only the last part.
	if country != "" && len(r.Subdivisions) > 0 && r.Subdivisions[0].ISOCode != "" {
		loc.RegionISOCode = country + "-" + r.Subdivisions[0].ISOCode
	}
	return loc
}

// empty reports whether the record held none of the fields a Location is made of, as
// for a record of a layout this package does not know.
func (l Location) empty() bool {
	return l == Location{}
}
