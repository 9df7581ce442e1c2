// Copyright The otelcol-rum Authors
// SPDX-License-Identifier: Apache-2.0

package jsstack

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"go.opentelemetry.io/collector/pdata/plog"

	"github.com/otelcol-rum/otelcol-rum/internal/sdkcaptures"
)

// faroException is what the Faro web SDK sent: Chromium's stack, already split into
// frames by Faro's own parser in the browser.
type faroException struct {
	Type       string `json:"type"`
	Value      string `json:"value"`
	Stacktrace struct {
		Frames []struct {
			Filename string `json:"filename"`
			Function string `json:"function"`
			Lineno   int    `json:"lineno"`
			Colno    int    `json:"colno"`
		} `json:"frames"`
	} `json:"stacktrace"`
}

// The rum receiver writes Faro's frames back as V8 lines (the golden files hold what it
// wrote); Parse must find the frames Faro's parser found in Chromium's stack: the same
// functions, URLs and positions, and the async mark Faro leaves in the file name.
func TestParseAgreesWithFaroCaptures(t *testing.T) {
	dir := sdkcaptures.Dir(t)
	paths, err := filepath.Glob(filepath.Join(dir, "faro-*-collect.json"))
	require.NoError(t, err)
	checked := 0
	for _, path := range paths {
		raw, err := os.ReadFile(path)
		require.NoError(t, err)
		var payload struct {
			Exceptions []faroException `json:"exceptions"`
		}
		require.NoError(t, json.Unmarshal(raw, &payload))
		if len(payload.Exceptions) == 0 {
			continue
		}
		stacks := goldenStacks(t, filepath.Join(dir, "..", "golden", strings.TrimSuffix(filepath.Base(path), ".json")+".logs.json"))
		for _, e := range payload.Exceptions {
			stack, ok := stacks[e.Type+": "+e.Value]
			require.True(t, ok, "%s: no exception.stacktrace for %q in the golden file", path, e.Value)
			var want []Frame
			for _, fr := range e.Stacktrace.Frames {
				f := Frame{Function: fr.Function, URL: fr.Filename, Line: fr.Lineno, Column: fr.Colno}
				if f.Function == "?" {
					f.Function = ""
				}
				if after, ok := strings.CutPrefix(f.URL, "async "); ok {
					f.URL, f.Async = after, true
				}
				want = append(want, f)
			}
			trace := Parse(stack)
			assert.Equal(t, want, trace.Frames(), "%s: %q", path, e.Value)
			assert.Equal(t, stack, trace.Format())
			checked++
		}
	}
	assert.Positive(t, checked, "no Faro exception with frames in the captures")
	t.Logf("%d Faro exceptions checked", checked)
}

// goldenStacks maps "type: message" to the exception.stacktrace of every exception log
// record of a golden file.
func goldenStacks(t *testing.T, path string) map[string]string {
	t.Helper()
	raw, err := os.ReadFile(path)
	require.NoError(t, err)
	logs, err := (&plog.JSONUnmarshaler{}).UnmarshalLogs(raw)
	require.NoError(t, err)
	out := map[string]string{}
	for _, rl := range logs.ResourceLogs().All() {
		for _, sl := range rl.ScopeLogs().All() {
			for _, lr := range sl.LogRecords().All() {
				st, ok := lr.Attributes().Get("exception.stacktrace")
				if !ok {
					continue
				}
				typ, _ := lr.Attributes().Get("exception.type")
				msg, _ := lr.Attributes().Get("exception.message")
				out[typ.Str()+": "+msg.Str()] = st.Str()
			}
		}
	}
	return out
}
