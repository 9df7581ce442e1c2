// Copyright The otelcol-rum Authors
// SPDX-License-Identifier: Apache-2.0

package beacon

import (
	"bytes"
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

// FuzzDecodeFastAgrees holds the fast path to encoding/json's: whenever it decodes a body,
// the metrics and rejections are those of the exact path.
func FuzzDecodeFastAgrees(f *testing.F) {
	for _, seed := range []string{
		`{"name":"LCP","value":124,"rating":"good","delta":124,"entries":[{"name":"","startTime":124}],"id":"v6-1","navigationType":"navigate","navigationId":6218}`,
		`[{"name":"cls","value":0.01,"id":"a"},{"name":"FID","value":3},{"name":"Foo","value":1},{"name":"TTFB"},{"name":"INP","value":-4},7,null]`,
		`{"name":"INP","value":null,"delta":1e3,"sessionId":"s","url":"https://shop.example/","app":"shop","effectiveType":"4g"}`,
		`{"Name":"LCP","value":1}`,
		`{"name":"LCP","value":1,"value":2}`,
		`{"name":"LCP\u00e9\ud800","value":1e400}`,
		`{"name":"LCP","value":"1"} x`,
	} {
		f.Add([]byte(seed))
	}
	f.Fuzz(func(t *testing.T, body []byte) {
		body = bytes.TrimSpace(body) // as Decode does before either path
		if len(body) == 0 {
			return
		}
		fast, ok := decodeFast(body)
		if !ok {
			return
		}
		exact, err := decodeExact(body)
		if err != nil {
			t.Fatalf("fast path decoded what encoding/json refuses (%v): %q", err, body)
		}
		if len(fast.Metrics) != len(exact.Metrics) {
			t.Fatalf("metrics differ: fast %+v, exact %+v", fast.Metrics, exact.Metrics)
		}
		for i := range fast.Metrics {
			assertSameMetric(t, &exact.Metrics[i], &fast.Metrics[i])
		}
		assert.Equal(t, exact.Rejected, fast.Rejected)
	})
}

func assertSameMetric(t *testing.T, want, got *Metric) {
	t.Helper()
	w, g := *want, *got
	assert.Equal(t, *w.Value, *g.Value)
	assert.Equal(t, *w.Delta, *g.Delta)
	w.Value, w.Delta, g.Value, g.Delta = nil, nil, nil, nil
	assert.Equal(t, w, g)
}
