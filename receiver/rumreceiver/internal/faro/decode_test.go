// Copyright The otelcol-rum Authors
// SPDX-License-Identifier: Apache-2.0

package faro

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestDecodeFullPayload(t *testing.T) {
	body, err := os.ReadFile(filepath.Join("testdata", "all-kinds.json"))
	require.NoError(t, err)
	p, err := Decode(body)
	require.NoError(t, err)
	assert.Empty(t, p.Rejected)

	assert.Equal(t, "shop-web", p.Meta.App.Name)
	assert.Equal(t, "1.4.2", p.Meta.App.Version)
	assert.Equal(t, "sess-1", p.Meta.Session.ID)
	prev, ok := p.Meta.Session.Attributes.Get("previousSession")
	assert.True(t, ok)
	assert.Equal(t, "sess-0", prev)
	assert.Equal(t, Brands{"Chromium 156", "Not.A/Brand 99"}, p.Meta.Browser.Brands)
	require.NotNil(t, p.Meta.Browser.Mobile)
	assert.False(t, *p.Meta.Browser.Mobile)

	require.Len(t, p.Logs, 1)
	assert.Equal(t, time.Date(2026, 11, 21, 10, 0, 0, 123e6, time.UTC), p.Logs[0].Parsed.Time)
	require.Len(t, p.Exceptions, 1)
	assert.Equal(t, [16]byte{0x0a, 0xf7, 0x65, 0x19, 0x16, 0xcd, 0x43, 0xdd, 0x84, 0x48, 0xeb, 0x21, 0x1c, 0x80, 0x31, 0x9c}, p.Exceptions[0].Parsed.TraceID)
	require.Len(t, p.Exceptions[0].Stacktrace.Frames, 2)
	require.Len(t, p.Measurements, 1)
	assert.InDelta(t, 1234.5, p.Measurements[0].Values["lcp"], 0)
	require.Len(t, p.Events, 1)
	// Non-string attribute values are kept as their JSON text.
	n, _ := p.Events[0].Attributes.Get("count")
	assert.Equal(t, "3", n)
	assert.NotEmpty(t, p.Traces)
}

func TestDecodeBrandsAsString(t *testing.T) {
	p, err := Decode([]byte(`{"meta":{"browser":{"brands":"unknown"}}}`))
	require.NoError(t, err)
	assert.Empty(t, p.Meta.Browser.Brands)
}

func TestDecodeRefusesWhatIsNotAPayload(t *testing.T) {
	for name, body := range map[string]string{
		"empty":       "   ",
		"array":       `[1,2]`,
		"truncated":   `{"meta":`,
		"meta string": `{"meta":"x"}`,
		"logs object": `{"logs":{}}`,
	} {
		t.Run(name, func(t *testing.T) {
			_, err := Decode([]byte(body))
			require.Error(t, err)
		})
	}
}

func TestDecodeRejectsBadItemsAlone(t *testing.T) {
	p, err := Decode([]byte(`{
	 "logs": [{"message":"a"}, {"message":"b","timestamp":"not a time"}, 17],
	 "exceptions": [{}, {"type":"Error","trace":{"trace_id":"abc","span_id":"def"}}],
	 "measurements": [{"type":"web-vitals"}, {"values":{"lcp":1}}, {"type":"t","values":{"a":"x"}}],
	 "events": [{"name":"ok"}, {"name":""}]}`))
	require.NoError(t, err)
	assert.Len(t, p.Logs, 1)
	assert.Empty(t, p.Exceptions)
	assert.Empty(t, p.Measurements)
	assert.Len(t, p.Events, 1)
	assert.Equal(t, []string{
		`logs[1]: invalid timestamp "not a time": want RFC 3339`,
		"logs[2]: value: expected object, got number",
		"exceptions[0]: exception has neither type nor value",
		`exceptions[1]: invalid trace context: trace_id "abc", span_id "def"`,
		"measurements[0]: measurement has no values",
		"measurements[1]: measurement has no type",
		"measurements[2]: values: expected number, got string",
		"events[1]: event has no name",
	}, p.Rejected)
}

// TestTracesTheFastPathDoesNotReadKeepTheirText: spans otlpjson declines (a double
// attribute) are kept as text, the rest of the body still decoded by the fast path, and
// pdata's unmarshaler reads them; spans it takes are read into pdata at once.
func TestTracesTheFastPathDoesNotReadKeepTheirText(t *testing.T) {
	spans := func(value string) string {
		return `{"resourceSpans":[{"scopeSpans":[{"spans":[{"name":"s","attributes":[{"key":"k","value":` + value + `}]}]}]}]}`
	}
	for name, tc := range map[string]struct {
		value string
		read  bool
	}{
		"declined": {value: `{"doubleValue":1.5}`, read: false},
		"read":     {value: `{"intValue":"15"}`, read: true},
	} {
		t.Run(name, func(t *testing.T) {
			body := `{"logs":[{"message":"m"}],"traces":` + spans(tc.value) + `}`
			fast, ok := decodeFast([]byte(body))
			require.True(t, ok)
			assert.Equal(t, tc.read, fast.Traces.isRead)
			if !tc.read {
				assert.JSONEq(t, spans(tc.value), string(fast.Traces.Raw))
			}
			p, err := Decode([]byte(body))
			require.NoError(t, err)
			td, err := p.Traces.Spans()
			require.NoError(t, err)
			require.Equal(t, 1, td.SpanCount())
			v, ok := td.ResourceSpans().At(0).ScopeSpans().At(0).Spans().At(0).Attributes().Get("k")
			require.True(t, ok)
			assert.Equal(t, strings.Trim(strings.SplitN(tc.value, ":", 2)[1], `"}`), v.AsString())
		})
	}
}
