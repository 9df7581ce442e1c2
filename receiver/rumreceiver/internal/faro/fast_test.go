// Copyright The otelcol-rum Authors
// SPDX-License-Identifier: Apache-2.0

package faro

import (
	"os"
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"go.opentelemetry.io/collector/pdata/ptrace"
)

// realPayloads are the SDK captures plus the hand-written all-kinds payload.
func realPayloads(t testing.TB) map[string][]byte {
	files, err := filepath.Glob("../../testdata/sdk/faro*-collect.json")
	require.NoError(t, err)
	files = append(files, "testdata/all-kinds.json")
	out := map[string][]byte{}
	for _, f := range files {
		b, err := os.ReadFile(f)
		require.NoError(t, err)
		out[filepath.Base(f)] = b
	}
	require.Greater(t, len(out), 10)
	return out
}

// requireSameTyped fails unless the fast path decoded what encoding/json decoded. Where
// the fast path read the spans into pdata, encoding/json kept their text: pdata's
// unmarshaler must read that text without error into the same spans.
func requireSameTyped(t *testing.T, exact, fast typed) {
	t.Helper()
	if fast.Traces.isRead {
		require.Nil(t, fast.Traces.Raw)
		want, err := (&ptrace.JSONUnmarshaler{}).UnmarshalTraces(exact.Traces.Raw)
		require.NoError(t, err, "the fast path read spans that pdata refuses")
		wantProto, err := (&ptrace.ProtoMarshaler{}).MarshalTraces(want)
		require.NoError(t, err)
		gotProto, err := (&ptrace.ProtoMarshaler{}).MarshalTraces(fast.Traces.spans)
		require.NoError(t, err)
		require.Equal(t, wantProto, gotProto)
		exact.Traces, fast.Traces = Traces{}, Traces{}
	}
	require.Equal(t, exact, fast)
}

// TestFastPathTakesRealPayloads: every real payload is decoded by the fast path, and
// exactly as encoding/json decodes it.
func TestFastPathTakesRealPayloads(t *testing.T) {
	for name, body := range realPayloads(t) {
		t.Run(name, func(t *testing.T) {
			fast, ok := decodeFast(body)
			require.True(t, ok, "fast path declined a real SDK payload")
			exact, err := decodeTyped(body)
			require.NoError(t, err)
			requireSameTyped(t, exact, fast)
		})
	}
}

func TestFastPathDeclinesWhatEncodingJSONDecidesDifferently(t *testing.T) {
	for name, body := range map[string]string{
		"case-folded key":     `{"Logs":[{"message":"x"}]}`,
		"repeated key":        `{"logs":[],"logs":[{"message":"x"}]}`,
		"fractional line":     `{"exceptions":[{"type":"E","stacktrace":{"frames":[{"lineno":1.5}]}}]}`,
		"huge number":         `{"measurements":[{"type":"t","values":{"a":1e400}}]}`,
		"invalid utf-8":       "{\"logs\":[{\"message\":\"\xff\"}]}",
		"lone surrogate":      `{"logs":[{"message":"\ud800"}]}`,
		"wrong type":          `{"logs":[{"message":7}]}`,
		"trailing garbage":    `{"logs":[]} x`,
		"not an object":       `[1]`,
		"truncated":           `{"logs":[`,
		"nested case folding": `{"meta":{"App":{"name":"x"}}}`,
		"embedded case fold":  `{"events":[{"name":"e","Timestamp":"x"}]}`,
		"repeated embedded":   `{"events":[{"name":"e","trace":null,"trace":{}}]}`,
	} {
		t.Run(name, func(t *testing.T) {
			_, ok := decodeFast([]byte(body))
			assert.False(t, ok)
		})
	}
}

// FuzzFastPathAgreesWithEncodingJSON is the differential check: whenever the fast path
// accepts a body, encoding/json accepts it too and decodes the same value.
func FuzzFastPathAgreesWithEncodingJSON(f *testing.F) {
	for _, body := range realPayloads(f) {
		f.Add(body)
	}
	f.Add([]byte(`{"logs":[null,{"message":null,"context":{"a":1,"a":"2","b":null}}],"measurements":[{"type":"t","values":{"x":null}}]}`))
	f.Fuzz(func(t *testing.T, body []byte) {
		fast, ok := decodeFast(body)
		if !ok {
			return
		}
		exact, err := decodeTyped(body)
		require.NoError(t, err, "fast path accepted what encoding/json refuses")
		requireSameTyped(t, exact, fast)
	})
}
