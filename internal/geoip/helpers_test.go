// Copyright The otelcol-rum Authors
// SPDX-License-Identifier: Apache-2.0

package geoip

import (
	"bytes"
	"net"
	"os"
	"path/filepath"
	"testing"

	"github.com/maxmind/mmdbwriter"
	"github.com/maxmind/mmdbwriter/mmdbtype"
	"github.com/stretchr/testify/require"
)

// networks maps CIDRs to the record a test database holds for them.
type networks map[string]mmdbtype.Map

// buildDB writes a database of the given type (the metadata's database_type) with the
// records of nets and returns its bytes.
func buildDB(tb testing.TB, databaseType string, nets networks) []byte {
	tb.Helper()
	tree, err := mmdbwriter.New(mmdbwriter.Options{DatabaseType: databaseType, RecordSize: 24})
	require.NoError(tb, err)
	for cidr, rec := range nets {
		_, network, err := net.ParseCIDR(cidr)
		require.NoError(tb, err)
		require.NoError(tb, tree.Insert(network, rec))
	}
	var buf bytes.Buffer
	_, err = tree.WriteTo(&buf)
	require.NoError(tb, err)
	return buf.Bytes()
}

// names is the names map of MaxMind records: English and one other language, so that
// the test shows the English one is taken.
func names(en string) mmdbtype.Map {
	return mmdbtype.Map{"en": mmdbtype.String(en), "de": mmdbtype.String(en + " (de)")}
}

// cityRecord is a record in the layout of GeoLite2/GeoIP2 City (and DB-IP lite city),
// with the fields this package skips around the ones it reads.
func cityRecord(continent, country, subdivision, city string) mmdbtype.Map {
	rec := mmdbtype.Map{
		"continent":          mmdbtype.Map{"code": mmdbtype.String(continent), "geoname_id": mmdbtype.Uint32(6255148), "names": names("Continent")},
		"country":            mmdbtype.Map{"iso_code": mmdbtype.String(country), "geoname_id": mmdbtype.Uint32(2635167), "names": names("Country")},
		"registered_country": mmdbtype.Map{"iso_code": mmdbtype.String("ZZ")},
		"location": mmdbtype.Map{
			"latitude": mmdbtype.Float64(51.5142), "longitude": mmdbtype.Float64(-0.0931),
			"time_zone": mmdbtype.String("Europe/London"), "accuracy_radius": mmdbtype.Uint16(100),
		},
		"postal": mmdbtype.Map{"code": mmdbtype.String("EC2V")},
	}
	if subdivision != "" {
		rec["subdivisions"] = mmdbtype.Slice{
			mmdbtype.Map{"iso_code": mmdbtype.String(subdivision), "names": names("Subdivision")},
			mmdbtype.Map{"iso_code": mmdbtype.String("XX"), "names": names("Second subdivision")},
		}
	}
	if city != "" {
		rec["city"] = mmdbtype.Map{"geoname_id": mmdbtype.Uint32(2643743), "names": names(city)}
	}
	return rec
}

// cityDB is a GeoIP2-City database with records whose answers the tests know.
func cityDB(tb testing.TB) []byte {
	return buildDB(tb, "GeoIP2-City", networks{
		"81.2.69.0/24":      cityRecord("EU", "GB", "ENG", "London"),
		"216.160.83.0/24":   cityRecord("NA", "US", "WA", "Milton"),
		"2a02:d2c0::/29":    cityRecord("EU", "DE", "", ""),
		"175.16.199.0/24":   cityRecord("AS", "CN", "22", "Changchun"),
		"89.160.20.112/28":  cityRecord("EU", "SE", "E", "Linköping"),
		"202.196.224.0/20":  {"country": mmdbtype.Map{"iso_code": mmdbtype.String("PH")}},
		"67.43.156.0/24":    {"continent": mmdbtype.Map{"code": mmdbtype.String("AS")}},
		"149.101.100.0/28":  {"postal": mmdbtype.Map{"code": mmdbtype.String("12345")}},
		"2001:480:10::/48":  cityRecord("NA", "US", "CA", "San Diego"),
		"217.65.48.0/29":    cityRecord("EU", "GI", "", ""),
		"214.78.120.0/22":   cityRecord("NA", "US", "", ""),
		"111.235.160.0/22":  cityRecord("AS", "CN", "", ""),
		"128.101.101.96/28": cityRecord("NA", "US", "MN", "Minneapolis"),
	})
}

// ipLocationCountryDB is a database in the layout of @ip-location-db's country
// databases: a bare country_code, and the metadata's database_type they write.
func ipLocationCountryDB(tb testing.TB, extra networks) []byte {
	nets := networks{
		"200.160.0.0/15": {"country_code": mmdbtype.String("BR")},
		"1.1.1.0/24":     {"country_code": mmdbtype.String("AU")},
		"2400:4050::/32": {"country_code": mmdbtype.String("JP")},
		"8.8.0.0/15":     {"country_code": mmdbtype.String("US")},
	}
	for cidr, rec := range extra {
		nets[cidr] = rec
	}
	return buildDB(tb, "country ipvAll", nets)
}

// writeFile puts data at path the way updaters do: written next to it, then renamed
// over it.
func writeFile(tb testing.TB, path string, data []byte) {
	tb.Helper()
	tmp := filepath.Join(filepath.Dir(path), ".tmp-"+filepath.Base(path))
	require.NoError(tb, os.WriteFile(tmp, data, 0o600))
	require.NoError(tb, os.Rename(tmp, path))
}
