// Copyright The otelcol-rum Authors
// SPDX-License-Identifier: Apache-2.0

package otlpjson

import (
	"encoding/json"
	"os"
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"go.opentelemetry.io/collector/pdata/ptrace"
)

// realTraces are the OTLP/JSON traces of the captured SDK payloads: those embedded in
// the Faro batches and those the OTel web SDK posts.
func realTraces(t testing.TB) map[string][]byte {
	out := map[string][]byte{}
	files, err := filepath.Glob("../../testdata/sdk/*faro*-collect.json")
	require.NoError(t, err)
	for _, f := range files {
		body, err := os.ReadFile(f)
		require.NoError(t, err)
		var payload struct{ Traces json.RawMessage }
		require.NoError(t, json.Unmarshal(body, &payload))
		if len(payload.Traces) > 0 && string(payload.Traces) != "null" {
			out[filepath.Base(f)] = payload.Traces
		}
	}
	otel, err := filepath.Glob("../../testdata/sdk/otel-*-v1-traces.json")
	require.NoError(t, err)
	for _, f := range otel {
		body, err := os.ReadFile(f)
		require.NoError(t, err)
		out[filepath.Base(f)] = body
	}
	require.GreaterOrEqual(t, len(out), 4)
	return out
}

// assertSameAsPdata fails unless pdata decodes raw without error into the same traces.
func assertSameAsPdata(t *testing.T, raw []byte, got ptrace.Traces) {
	t.Helper()
	want, err := (&ptrace.JSONUnmarshaler{}).UnmarshalTraces(raw)
	require.NoError(t, err, "the reader accepted what pdata refuses")
	wantProto, err := (&ptrace.ProtoMarshaler{}).MarshalTraces(want)
	require.NoError(t, err)
	gotProto, err := (&ptrace.ProtoMarshaler{}).MarshalTraces(got)
	require.NoError(t, err)
	require.Equal(t, wantProto, gotProto)
}

func TestReadTracesTakesRealPayloads(t *testing.T) {
	for name, raw := range realTraces(t) {
		t.Run(name, func(t *testing.T) {
			td, ok := ReadTraces(raw)
			require.True(t, ok, "declined the traces of a real SDK payload")
			require.Positive(t, td.SpanCount())
			assertSameAsPdata(t, raw, td)
		})
	}
}

func TestReadTracesReadsWhatBrowsersSend(t *testing.T) {
	raw := []byte(`{"resourceSpans":[{"resource":{"attributes":[
		{"key":"s","value":{"stringValue":"a\u00e9\n"}},{"key":"b","value":{"boolValue":true}},
		{"key":"i","value":{"intValue":"-42"}},{"key":"n","value":{"intValue":7}},
		{"value":{"arrayValue":{"values":[{"stringValue":"x"},{"arrayValue":{}},{"intValue":1}]}},"key":"arr"}],
		"droppedAttributesCount":1,"unknown":{"x":[1,2]}},
		"schemaUrl":"https://opentelemetry.io/schemas/1.30.0",
		"scopeSpans":[{"scope":{"name":"fetch","version":"1","attributes":[],"droppedAttributesCount":"2"},"schemaUrl":"u",
		"spans":[{"traceId":"8B3EBB97F2E7CA9ACD994497169BEDA9","spanId":"8b3e4b3ce5d98678","parentSpanId":"",
		"traceState":"k=v","flags":257,"name":"POST","kind":3,"startTimeUnixNano":"1795258397684000000",
		"endTimeUnixNano":1795258397692,"droppedAttributesCount":0,"droppedEventsCount":"0","droppedLinksCount":0,
		"events":[{"timeUnixNano":"1","name":"e","attributes":[{"key":"k","value":{"stringValue":"v"}}],"droppedAttributesCount":0}],
		"links":[{"traceId":"8b3ebb97f2e7ca9acd994497169beda9","spanId":"8b3e4b3ce5d98678","traceState":"","flags":1,"attributes":[],"droppedAttributesCount":0}],
		"status":{"code":2,"message":"boom"}}]}]}]}`)
	td, ok := ReadTraces(raw)
	require.True(t, ok)
	assertSameAsPdata(t, raw, td)
	assert.Equal(t, 1, td.SpanCount())
}

// TestReadTracesDeclinesWhatItDoesNotReadAsPdata: each of these pdata either decodes
// in a way of its own or refuses; the reader leaves them to it.
func TestReadTracesDeclinesWhatItDoesNotReadAsPdata(t *testing.T) {
	span := func(s string) string { return `{"resourceSpans":[{"scopeSpans":[{"spans":[` + s + `]}]}]}` }
	attr := func(v string) string { return span(`{"attributes":[{"key":"k","value":` + v + `}]}`) }
	for name, raw := range map[string]string{
		"snake case":           `{"resource_spans":[]}`,
		"snake case in a span": span(`{"trace_id":""}`),
		"deprecated scopes":    `{"resourceSpans":[{"deprecatedScopeSpans":[]}]}`,
		"entity refs":          `{"resourceSpans":[{"resource":{"entityRefs":[]}}]}`,
		"repeated key":         span(`{"name":"a","name":"b"}`),
		"repeated attribute":   span(`{"attributes":[{"key":"k","value":{"intValue":1}},{"key":"k","value":{"intValue":2}}]}`),
		"case-folded key":      span(`{"Name":"a"}`),
		"escaped id":           span(`{"spanId":"8b3e4b3ce5d9867\u0038"}`),
		"short id":             span(`{"spanId":"8b3e"}`),
		"bad hex":              span(`{"spanId":"8b3e4b3ce5d9867x"}`),
		"kind by name":         span(`{"kind":"SPAN_KIND_CLIENT"}`),
		"fractional time":      span(`{"startTimeUnixNano":1.5}`),
		"exponent":             span(`{"startTimeUnixNano":1e3}`),
		"negative unsigned":    span(`{"flags":-1}`),
		"overflowing flags":    span(`{"flags":"4294967296"}`),
		"long number":          span(`{"startTimeUnixNano":1795258397684000000}`),
		"null string":          span(`{"name":null}`),
		"double value":         attr(`{"doubleValue":1.5}`),
		"map value":            attr(`{"kvlistValue":{"values":[]}}`),
		"bytes value":          attr(`{"bytesValue":"AA=="}`),
		"two values":           attr(`{"stringValue":"a","intValue":1}`),
		"no value":             attr(`{}`),
		"null bool":            attr(`{"boolValue":null}`),
		"invalid utf-8":        attr("{\"stringValue\":\"\xff\"}"),
		"empty key":            `{"resourceSpans":[{"":[{}]}]}`,
		"not an object":        `[]`,
		"trailing garbage":     `{} x`,
		"truncated":            `{"resourceSpans":[`,
	} {
		t.Run(name, func(t *testing.T) {
			_, ok := ReadTraces([]byte(raw))
			assert.False(t, ok)
		})
	}
}

// FuzzReadTracesAgrees is the differential check: whenever the reader accepts a body,
// pdata accepts it too and decodes the same traces.
func FuzzReadTracesAgrees(f *testing.F) {
	for _, raw := range realTraces(f) {
		f.Add(raw)
	}
	f.Add([]byte(`{"resourceSpans":[null,{"resource":null,"scopeSpans":[{"scope":{},"spans":[{"attributes":[{"key":"a","value":{"arrayValue":{"values":null}}}],"status":{}}]}]}]}`))
	f.Add([]byte(`{"resourceSpans":[{"scopeSpans":[{"spans":[{"kind":-0,"flags":"007","startTimeUnixNano":"+5","attributes":[{"key":"i","value":{"intValue":"-9223372036854775808"}}]}]}]}]}`))
	f.Fuzz(func(t *testing.T, raw []byte) {
		td, ok := ReadTraces(raw)
		if !ok {
			return
		}
		assertSameAsPdata(t, raw, td)
	})
}
