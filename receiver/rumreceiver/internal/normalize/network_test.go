// Copyright The otelcol-rum Authors
// SPDX-License-Identifier: Apache-2.0

package normalize

import (
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"go.opentelemetry.io/collector/pdata/pcommon"
	"go.opentelemetry.io/collector/pdata/plog"

	"github.com/otelcol-rum/otelcol-rum/receiver/rumreceiver/internal/beacon"
	"github.com/otelcol-rum/otelcol-rum/receiver/rumreceiver/internal/faro"
)

func TestEffectiveType(t *testing.T) {
	for in, want := range map[string]string{
		"slow-2g":                   "slow-2g",
		"2g":                        "2g",
		"3g":                        "3g",
		"4g":                        "4g",
		"4G":                        "4g",
		"":                          "",
		"5g":                        "",
		"wifi":                      "",
		"lte":                       "",
		" 4g":                       "",
		"slow-2g ":                  "",
		strings.Repeat("4g", 1<<20): "",
	} {
		assert.Equal(t, want, effectiveType(in), "%.20q", in)
	}
}

const attrNetwork = "rum.network.effective_type"

func beaconNetwork(t *testing.T, body, query string) (string, bool) {
	t.Helper()
	b, err := beacon.Decode([]byte(body))
	require.NoError(t, err)
	res := FromBeacon(b, BeaconIdentity{EffectiveType: query}, testSource(), "v1")
	return resourceNetwork(res.Logs)
}

func resourceNetwork(ld plog.Logs) (string, bool) {
	v, ok := ld.ResourceLogs().At(0).Resource().Attributes().Get(attrNetwork)
	if !ok {
		return "", false
	}
	return v.AsString(), true
}

func TestBeaconEffectiveType(t *testing.T) {
	const plain = `{"name":"LCP","value":1200}`
	got, ok := beaconNetwork(t, plain, "3g")
	assert.True(t, ok)
	assert.Equal(t, "3g", got, "from the query parameter")

	got, _ = beaconNetwork(t, `{"name":"LCP","value":1200,"effectiveType":"slow-2g"}`, "3g")
	assert.Equal(t, "slow-2g", got, "the body wins over the query")

	got, _ = beaconNetwork(t, `{"name":"LCP","value":1200,"effectiveType":"fast"}`, "2g")
	assert.Equal(t, "2g", got, "a body value the API does not define does not hide the query's")

	for _, query := range []string{"", "5g", "ethernet"} {
		_, ok = beaconNetwork(t, plain, query)
		assert.False(t, ok, "no attribute for %q", query)
	}
}

func TestFaroEffectiveType(t *testing.T) {
	for value, want := range map[string]string{"4g": "4g", "SLOW-2G": "slow-2g", "satellite": ""} {
		p := &faro.Payload{Meta: faro.Meta{Session: faro.Session{ID: "s", Attributes: faro.Attrs{{Key: "effectiveType", Value: value}}}}}
		p.Logs = []faro.Log{{Message: "hello"}}
		got, ok := resourceNetwork(FromFaro(p, testSource(), "v1").Logs)
		assert.Equal(t, want != "", ok, value)
		assert.Equal(t, want, got, value)
	}
}

// The OTel web SDK's app sets the attribute itself; the receiver keeps only the API's values.
func TestOTLPEffectiveTypeBounded(t *testing.T) {
	ld := plog.NewLogs()
	put := func(f func(pcommon.Map)) pcommon.Map {
		m := ld.ResourceLogs().AppendEmpty().Resource().Attributes()
		f(m)
		return m
	}
	known := put(func(m pcommon.Map) { m.PutStr(attrNetwork, "4G") })
	unknown := put(func(m pcommon.Map) { m.PutStr(attrNetwork, "fibre") })
	notString := put(func(m pcommon.Map) { m.PutInt(attrNetwork, 4) })
	OTLPLogs(ld, testSource())
	assert.Equal(t, "4g", known.AsRaw()[attrNetwork])
	assert.NotContains(t, unknown.AsRaw(), attrNetwork)
	assert.NotContains(t, notString.AsRaw(), attrNetwork)
}
