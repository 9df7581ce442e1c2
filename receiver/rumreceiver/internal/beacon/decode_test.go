// Copyright The otelcol-rum Authors
// SPDX-License-Identifier: Apache-2.0

package beacon

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestDecodeSingleAndBatch(t *testing.T) {
	b, err := Decode([]byte(`{"name":"LCP","value":2500.1,"rating":"needs-improvement","delta":2500.1,"id":"v5-1","navigationType":"navigate","entries":[{}]}`))
	require.NoError(t, err)
	require.Len(t, b.Metrics, 1)
	m := b.Metrics[0]
	assert.Equal(t, "LCP", m.Name)
	assert.InDelta(t, 2500.1, *m.Value, 0)
	assert.Equal(t, "needs-improvement", m.Rating)
	assert.Equal(t, "navigate", m.NavigationType)

	b, err = Decode([]byte(` [{"name":"cls","value":0.01,"id":"a"},{"name":"FID","value":3},{"name":"Foo","value":1},{"name":"TTFB"},{"name":"INP","value":-4},7] `))
	require.NoError(t, err)
	require.Len(t, b.Metrics, 2)
	assert.Equal(t, "CLS", b.Metrics[0].Name, "names are upper-cased")
	assert.InDelta(t, 0.01, *b.Metrics[0].Delta, 0, "delta defaults to value")
	assert.Equal(t, []string{
		`metrics[2]: unknown web vital name "FOO"`,
		"metrics[3]: missing value",
		"metrics[4]: negative value -4",
		"metrics[5]: value: expected object, got number",
	}, b.Rejected)
}

func TestDecodeRefusesNonBeacons(t *testing.T) {
	for _, body := range []string{"", "  ", "null", `"LCP"`, `{"name":`, `[{"name":"LCP","value":1}`} {
		_, err := Decode([]byte(body))
		assert.Error(t, err, body)
	}
}
