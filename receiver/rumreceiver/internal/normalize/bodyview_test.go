// Copyright The otelcol-rum Authors
// SPDX-License-Identifier: Apache-2.0

package normalize

import (
	"bytes"
	"os"
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/require"
	"go.opentelemetry.io/collector/pdata/plog"
	"go.opentelemetry.io/collector/pdata/pmetric"
	"go.opentelemetry.io/collector/pdata/ptrace"

	"github.com/otelcol-rum/otelcol-rum/receiver/rumreceiver/internal/beacon"
	"github.com/otelcol-rum/otelcol-rum/receiver/rumreceiver/internal/faro"
)

// marshalResult is everything a Result holds, as bytes.
func marshalResult(t *testing.T, res Result) []byte {
	t.Helper()
	var out bytes.Buffer
	lb, err := (&plog.ProtoMarshaler{}).MarshalLogs(res.Logs)
	require.NoError(t, err)
	out.Write(lb)
	tb, err := (&ptrace.ProtoMarshaler{}).MarshalTraces(res.Traces)
	require.NoError(t, err)
	out.Write(tb)
	mb, err := (&pmetric.ProtoMarshaler{}).MarshalMetrics(res.Metrics)
	require.NoError(t, err)
	out.Write(mb)
	for _, r := range res.Rejected {
		out.WriteString(r)
	}
	return out.Bytes()
}

// TestNormalizedDataKeepsNoViewOfTheBody is what lets the receiver pool request body
// buffers: what the Faro and beacon decoders and the normalizer produce stays the same
// when the body's bytes are overwritten afterwards, as a pooled buffer is by the next
// request. Every path runs: the fast decoders, the encoding/json paths (a body the fast
// path declines, an item of the wrong shape), traces read by otlpjson and by pdata.
func TestNormalizedDataKeepsNoViewOfTheBody(t *testing.T) {
	bodies := map[string][]byte{
		"declined by the fast path":  []byte(`{"Logs":[{"message":"a message kept","context":{"k":"a value kept"}}],"meta":{"session":{"id":"sess-1"}}}`),
		"an item of the wrong shape": []byte(`{"logs":[{"message":7},{"message":"the good one","context":{"k":"v"}}],"meta":{"app":{"name":"app-1"}}}`),
		"traces pdata reads":         []byte(`{"meta":{"session":{"id":"s"}},"traces":{"resourceSpans":[{"resource":{"attributes":[{"key":"k","value":{"doubleValue":1.5}},{"key":"s","value":{"stringValue":"text kept"}},{"key":"b","value":{"bytesValue":"AAEC"}}]},"scopeSpans":[{"spans":[{"name":"a span name kept","traceId":"8b3ebb97f2e7ca9acd994497169beda9"}]}]}]}}`),
	}
	files, err := filepath.Glob("../../testdata/sdk/*faro*-collect.json")
	require.NoError(t, err)
	files = append(files, "../faro/testdata/all-kinds.json")
	for _, f := range files {
		b, err := os.ReadFile(f)
		require.NoError(t, err)
		bodies[filepath.Base(f)] = b
	}
	for name, body := range bodies {
		t.Run(name, func(t *testing.T) {
			p, err := faro.Decode(body)
			require.NoError(t, err)
			res := FromFaro(p, fuzzSource(), "test")
			before := marshalResult(t, res)
			require.Positive(t, res.Logs.LogRecordCount()+res.Traces.SpanCount())
			scribble(body)
			require.Equal(t, before, marshalResult(t, res))
		})
	}

	beacons := map[string][]byte{
		"declined by the fast path": []byte(`[{"name":"LCP","value":1200,"id":"v4-kept","rating":"good","Delta":3}]`),
		"one of the wrong shape":    []byte(`[{"name":"LCP","value":"x"},{"name":"CLS","value":0.1,"id":"v4-kept-too"}]`),
	}
	vitals, err := filepath.Glob("../../testdata/sdk/vitals-*.json")
	require.NoError(t, err)
	for _, f := range vitals {
		b, err := os.ReadFile(f)
		require.NoError(t, err)
		beacons[filepath.Base(f)] = b
	}
	for name, body := range beacons {
		t.Run("beacon "+name, func(t *testing.T) {
			b, err := beacon.Decode(body)
			require.NoError(t, err)
			res := FromBeacon(b, BeaconIdentity{SessionID: "s"}, fuzzSource(), "test")
			before := marshalResult(t, res)
			require.Positive(t, res.Logs.LogRecordCount())
			scribble(body)
			require.Equal(t, before, marshalResult(t, res))
		})
	}
}

// scribble overwrites b as the next request would.
func scribble(b []byte) {
	for i := range b {
		b[i] = "x{\"0"[i%4]
	}
}
