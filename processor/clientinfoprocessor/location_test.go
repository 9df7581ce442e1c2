// Copyright The otelcol-rum Authors
// SPDX-License-Identifier: Apache-2.0

package clientinfoprocessor

import (
	"bytes"
	"context"
	"net"
	"os"
	"path/filepath"
	"testing"

	"github.com/maxmind/mmdbwriter"
	"github.com/maxmind/mmdbwriter/mmdbtype"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"go.opentelemetry.io/otel/attribute"
	"go.opentelemetry.io/otel/sdk/metric/metricdata"

	"github.com/otelcol-rum/otelcol-rum/processor/clientinfoprocessor/internal/metadatatest"
)

// londonAddr is in the only network of the test database.
const londonAddr = "81.2.69.142"

// writeDatabase writes a city database, in GeoLite2 City's layout with the ASN fields
// of GeoLite2 ASN beside them, that knows one network, and returns its path.
func writeDatabase(t testing.TB) string {
	t.Helper()
	tree, err := mmdbwriter.New(mmdbwriter.Options{DatabaseType: "GeoLite2-City", RecordSize: 24})
	require.NoError(t, err)
	_, network, err := net.ParseCIDR("81.2.69.0/24")
	require.NoError(t, err)
	require.NoError(t, tree.Insert(network, mmdbtype.Map{
		"continent":    mmdbtype.Map{"code": mmdbtype.String("EU")},
		"country":      mmdbtype.Map{"iso_code": mmdbtype.String("GB")},
		"subdivisions": mmdbtype.Slice{mmdbtype.Map{"iso_code": mmdbtype.String("ENG")}},
		"city":         mmdbtype.Map{"names": mmdbtype.Map{"en": mmdbtype.String("London")}},

		"autonomous_system_number":       mmdbtype.Uint32(20712),
		"autonomous_system_organization": mmdbtype.String("Andrews & Arnold Ltd"),
	}))
	var buf bytes.Buffer
	_, err = tree.WriteTo(&buf)
	require.NoError(t, err)
	path := filepath.Join(t.TempDir(), "city.mmdb")
	require.NoError(t, os.WriteFile(path, buf.Bytes(), 0o600))
	return path
}

var london = map[string]any{
	"geo.continent.code":         "EU",
	"geo.country.iso_code":       "GB",
	"geo.region.iso_code":        "GB-ENG",
	"geo.locality.name":          "London",
	"rum.client.as.number":       int64(20712),
	"rum.client.as.organization": "Andrews & Arnold Ltd",
}

func withDatabase(path string, record bool) func(*Config) {
	return func(cfg *Config) {
		cfg.GeoIP.Database = path
		cfg.RecordClientAddress = record
	}
}

func (h *harness) assertLookups(found, notFound, invalid int64) {
	h.t.Helper()
	var dps []metricdata.DataPoint[int64]
	for _, r := range []struct {
		result string
		n      int64
	}{{"found", found}, {"not_found", notFound}, {"invalid_address", invalid}} {
		if r.n > 0 {
			dps = append(dps, metricdata.DataPoint[int64]{Value: r.n, Attributes: attribute.NewSet(attribute.String("result", r.result))})
		}
	}
	metadatatest.AssertEqualProcessorClientinfoGeoLookups(h.t, h.tel, dps, ignoreTime...)
}

// The resource's client.address is located, then removed.
func TestLocationOfTheResourceAddress(t *testing.T) {
	h := newHarness(t, withDatabase(writeDatabase(t), false))
	got := h.sentLogs(context.Background(), logsOf(map[string]any{"service.name": "shop", "client.address": londonAddr}))
	want := map[string]any{"service.name": "shop"}
	for k, v := range london {
		want[k] = v
	}
	assert.Equal(t, []map[string]any{want}, got)
	h.assertLookups(1, 0, 0)
	h.assertEnriched(1)
}

func TestRecordClientAddressKeepsIt(t *testing.T) {
	h := newHarness(t, withDatabase(writeDatabase(t), true))
	got := h.sentLogs(context.Background(), logsOf(map[string]any{"client.address": londonAddr}))
	require.Len(t, got, 1)
	assert.Equal(t, londonAddr, got[0]["client.address"])
	assert.Equal(t, "GB", got[0]["geo.country.iso_code"])
}

// Without client.address, the peer in the context is located, whatever kind of
// address the receiver put there; nothing is added to the resource but the location.
func TestLocationOfTheRequestPeer(t *testing.T) {
	ip := net.ParseIP(londonAddr)
	for name, addr := range map[string]net.Addr{
		"tcp":          &net.TCPAddr{IP: ip, Port: 52113},
		"ip":           &net.IPAddr{IP: ip},
		"ipv4-in-ipv6": &net.TCPAddr{IP: ip.To16(), Port: 443},
	} {
		t.Run(name, func(t *testing.T) {
			h := newHarness(t, withDatabase(writeDatabase(t), false))
			got := h.sentLogs(fromClient(addr, nil), logsOf(map[string]any{"service.name": "shop"}))
			want := map[string]any{"service.name": "shop"}
			for k, v := range london {
				want[k] = v
			}
			assert.Equal(t, []map[string]any{want}, got)
		})
	}
}

// The resource's address wins over the context's (the receiver recorded the real
// client), and a location the data already has is kept.
func TestResourceAddressWinsAndLocationSentIsKept(t *testing.T) {
	h := newHarness(t, withDatabase(writeDatabase(t), false))
	ctx := fromClient(&net.TCPAddr{IP: net.ParseIP("203.0.113.50"), Port: 1}, nil)
	got := h.sentLogs(ctx, logsOf(map[string]any{"client.address": londonAddr, "geo.locality.name": "Westminster"}))
	require.Len(t, got, 1)
	assert.Equal(t, "GB", got[0]["geo.country.iso_code"])
	assert.Equal(t, "Westminster", got[0]["geo.locality.name"])
	h.assertLookups(1, 0, 0)
}

// Addresses the database does not know, and text that is no address, locate nothing
// and are counted; the address is removed all the same.
func TestLookupsThatFindNothing(t *testing.T) {
	h := newHarness(t, withDatabase(writeDatabase(t), false))
	got := h.sentLogs(context.Background(), logsOf(
		map[string]any{"client.address": "203.0.113.50"},
		map[string]any{"client.address": "10.1.2.3"},
		map[string]any{"client.address": "[2001:db8::1]:443"},
		map[string]any{"client.address": "not an address"},
	))
	assert.Equal(t, []map[string]any{{}, {}, {}, {}}, got)
	h.assertLookups(0, 3, 1)
}

// A database that is not there: the processor starts, locates nothing, and still does
// not pass the address on.
func TestMissingDatabase(t *testing.T) {
	h := newHarness(t, withDatabase(filepath.Join(t.TempDir(), "absent.mmdb"), false))
	got := h.sentLogs(context.Background(), logsOf(map[string]any{"client.address": londonAddr, "user_agent.original": firefoxUA}))
	require.Len(t, got, 1)
	assert.NotContains(t, got[0], "client.address")
	assert.NotContains(t, got[0], "geo.country.iso_code")
	assert.Equal(t, "Firefox", got[0]["user_agent.name"])
	h.assertLookups(0, 1, 0)
}

func TestParseAddr(t *testing.T) {
	for in, want := range map[string]string{
		"81.2.69.142":            "81.2.69.142",
		"81.2.69.142:8080":       "81.2.69.142",
		"::ffff:81.2.69.142":     "81.2.69.142",
		"[2001:db8::1]:443":      "2001:db8::1",
		"fe80::1%eth0":           "fe80::1%eth0",
		"2a02:d2c0:1::7":         "2a02:d2c0:1::7",
		"[::ffff:81.2.69.1]:443": "81.2.69.1",
	} {
		got, ok := parseAddr(in)
		require.True(t, ok, in)
		assert.Equal(t, want, got.String(), in)
	}
	for _, bad := range []string{"", "host.example", "81.2.69", "[::1"} {
		_, ok := parseAddr(bad)
		assert.False(t, ok, bad)
	}
}
