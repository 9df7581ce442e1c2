// Copyright The otelcol-rum Authors
// SPDX-License-Identifier: Apache-2.0

// Package goldenfile compares pdata a test produced with an expected copy kept as OTLP/JSON
// under testdata, and rewrites that copy when the test runs with -update. The files are
// pretty-printed so that a change reviews as a readable diff.
package goldenfile // import "github.com/otelcol-rum/otelcol-rum/internal/goldenfile"

import (
	"encoding/json"
	"os"
	"path/filepath"
	"testing"

	"github.com/open-telemetry/opentelemetry-collector-contrib/pkg/pdatatest/plogtest"
	"github.com/open-telemetry/opentelemetry-collector-contrib/pkg/pdatatest/pmetrictest"
	"github.com/open-telemetry/opentelemetry-collector-contrib/pkg/pdatatest/ptracetest"
	"github.com/stretchr/testify/require"
	"go.opentelemetry.io/collector/pdata/plog"
	"go.opentelemetry.io/collector/pdata/pmetric"
	"go.opentelemetry.io/collector/pdata/ptrace"
)

// read returns the expected value, after writing the actual one when update is set. A
// signal with no data has no file.
func read(t testing.TB, path string, actual []byte, empty, update bool) ([]byte, bool) {
	t.Helper()
	if update {
		require.NoError(t, os.MkdirAll(filepath.Dir(path), 0o755))
		if empty {
			_ = os.Remove(path)
			return nil, false
		}
		var pretty any
		require.NoError(t, json.Unmarshal(actual, &pretty))
		out, err := json.MarshalIndent(pretty, "", "  ")
		require.NoError(t, err)
		require.NoError(t, os.WriteFile(path, append(out, '\n'), 0o644))
	}
	expected, err := os.ReadFile(path)
	if os.IsNotExist(err) {
		require.True(t, empty, "no golden file %s for non-empty output; run with -update", path)
		return nil, false
	}
	require.NoError(t, err)
	return expected, true
}

// Traces merges what arrived in several calls and compares it with the file at path.
func Traces(t testing.TB, path string, all []ptrace.Traces, update bool, opts ...ptracetest.CompareTracesOption) {
	t.Helper()
	actual := ptrace.NewTraces()
	for _, td := range all {
		td.ResourceSpans().MoveAndAppendTo(actual.ResourceSpans())
	}
	raw, err := (&ptrace.JSONMarshaler{}).MarshalTraces(actual)
	require.NoError(t, err)
	expectedRaw, ok := read(t, path, raw, actual.SpanCount() == 0, update)
	if !ok {
		return
	}
	expected, err := (&ptrace.JSONUnmarshaler{}).UnmarshalTraces(expectedRaw)
	require.NoError(t, err)
	require.NoError(t, ptracetest.CompareTraces(expected, actual, opts...), path)
}

// Logs merges what arrived in several calls and compares it with the file at path.
func Logs(t testing.TB, path string, all []plog.Logs, update bool, opts ...plogtest.CompareLogsOption) {
	t.Helper()
	actual := plog.NewLogs()
	for _, ld := range all {
		ld.ResourceLogs().MoveAndAppendTo(actual.ResourceLogs())
	}
	raw, err := (&plog.JSONMarshaler{}).MarshalLogs(actual)
	require.NoError(t, err)
	expectedRaw, ok := read(t, path, raw, actual.LogRecordCount() == 0, update)
	if !ok {
		return
	}
	expected, err := (&plog.JSONUnmarshaler{}).UnmarshalLogs(expectedRaw)
	require.NoError(t, err)
	require.NoError(t, plogtest.CompareLogs(expected, actual, opts...), path)
}

// Metrics merges what arrived in several calls and compares it with the file at path.
func Metrics(t testing.TB, path string, all []pmetric.Metrics, update bool, opts ...pmetrictest.CompareMetricsOption) {
	t.Helper()
	actual := pmetric.NewMetrics()
	for _, md := range all {
		md.ResourceMetrics().MoveAndAppendTo(actual.ResourceMetrics())
	}
	raw, err := (&pmetric.JSONMarshaler{}).MarshalMetrics(actual)
	require.NoError(t, err)
	expectedRaw, ok := read(t, path, raw, actual.DataPointCount() == 0, update)
	if !ok {
		return
	}
	expected, err := (&pmetric.JSONUnmarshaler{}).UnmarshalMetrics(expectedRaw)
	require.NoError(t, err)
	require.NoError(t, pmetrictest.CompareMetrics(expected, actual, opts...), path)
}
