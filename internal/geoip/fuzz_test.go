// Copyright The otelcol-rum Authors
// SPDX-License-Identifier: Apache-2.0

package geoip

import (
	"net/netip"
	"testing"

	"github.com/maxmind/mmdbwriter/mmdbtype"
)

// FuzzLookup: whatever bytes the database file holds, opening it and looking addresses
// up returns an answer or an error, never a panic. The seeds are good databases of each
// layout and cut or damaged copies of them; the addresses are ones the seeds hold, and
// one the fuzzer picks.
func FuzzLookup(f *testing.F) {
	city := cityDB(f)
	country := ipLocationCountryDB(f, nil)
	asn := buildDB(f, "asn ipvAll", networks{
		"8.8.8.0/24": {"autonomous_system_number": mmdbtype.Uint32(15169), "autonomous_system_organization": mmdbtype.String("GOOGLE")},
	})
	for _, db := range [][]byte{city, country, asn} {
		f.Add(db, []byte{81, 2, 69, 142})
		f.Add(db[:len(db)/2], []byte{8, 8, 8, 8})
		f.Add(db[len(db)/3:], []byte{200, 160, 2, 3})
		// A byte flipped in the search tree, and one in the data section.
		for _, at := range []int{len(db) / 8, len(db) / 2} {
			damaged := append([]byte(nil), db...)
			damaged[at] ^= 0xff
			f.Add(damaged, []byte{81, 2, 69, 142})
		}
	}
	f.Add([]byte{}, []byte{})
	f.Add([]byte("\xAB\xCD\xEFMaxMind.com"), netip.MustParseAddr("2001:480:10::1").AsSlice())

	probes := []netip.Addr{
		netip.MustParseAddr("81.2.69.142"), netip.MustParseAddr("8.8.8.8"),
		netip.MustParseAddr("200.160.2.3"), netip.MustParseAddr("2001:480:10::1"),
		netip.MustParseAddr("1.1.1.1"), netip.MustParseAddr("::"),
	}
	f.Fuzz(func(t *testing.T, data, addr []byte) {
		reader, err := openBytes(data)
		if err != nil {
			return
		}
		db := &DB{}
		db.current.Store(reader)
		if a, ok := netip.AddrFromSlice(addr); ok {
			db.Lookup(a)
		}
		for _, a := range probes {
			loc, found := db.Lookup(a)
			if found && loc.empty() {
				t.Fatalf("%s found with an empty location", a)
			}
		}
	})
}
