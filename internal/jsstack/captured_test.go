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
)

// capturedV8 reads the stacks of testdata/v8-captured.json.
func capturedV8(t testing.TB) map[string]string {
	t.Helper()
	raw, err := os.ReadFile(filepath.Join("testdata", "v8-captured.json"))
	require.NoError(t, err)
	var c struct {
		Stacks map[string]string `json:"stacks"`
	}
	require.NoError(t, json.Unmarshal(raw, &c))
	require.NotEmpty(t, c.Stacks)
	return c.Stacks
}

// Every line of a real V8 stack that starts with "at" is a frame, every other line is
// text, and formatting gives the stack back, but for eval frames (reduced to their outer
// location).
func TestParseCapturedV8(t *testing.T) {
	for name, stack := range capturedV8(t) {
		t.Run(name, func(t *testing.T) {
			trace := Parse(stack)
			lines := strings.Split(stack, "\n")
			require.Len(t, trace.Lines, len(lines))
			hasEval := false
			for i, l := range lines {
				isFrame := strings.HasPrefix(l, "    at ")
				assert.Equal(t, isFrame, trace.Lines[i].IsFrame, "line %d: %q", i, l)
				if !isFrame {
					assert.Equal(t, l, trace.Lines[i].Text)
				}
				hasEval = hasEval || strings.Contains(l, "(eval at ")
				f := trace.Lines[i].Frame
				assert.NotContains(t, f.URL, "eval at", "line %d", i)
			}
			if !hasEval {
				assert.Equal(t, stack, trace.Format())
			}
		})
	}
}
