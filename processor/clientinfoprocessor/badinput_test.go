// Copyright The otelcol-rum Authors
// SPDX-License-Identifier: Apache-2.0

package clientinfoprocessor

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"go.uber.org/zap"
	"go.uber.org/zap/zapcore"
	"go.uber.org/zap/zaptest/observer"

	"github.com/otelcol-rum/otelcol-rum/internal/useragent"
)

// TestCorruptDatabase: a file that is not an MMDB. The processor starts (the harness
// requires it), logs it once however much data comes, locates nothing, still parses
// the User-Agent, removes the address and drops nothing.
func TestCorruptDatabase(t *testing.T) {
	path := filepath.Join(t.TempDir(), "corrupt.mmdb")
	require.NoError(t, os.WriteFile(path, []byte(strings.Repeat("not a MaxMind database ", 100)), 0o600))
	core, logs := observer.New(zapcore.InfoLevel)
	h := newLoggedHarness(t, withDatabase(path, false), zap.New(core))

	const batches, perBatch = 20, 5
	resources := make([]map[string]any, perBatch)
	for i := range resources {
		resources[i] = map[string]any{"client.address": londonAddr, "user_agent.original": firefoxUA}
	}
	for range batches {
		got := h.sentLogs(context.Background(), logsOf(resources...))
		require.Len(t, got, perBatch, "nothing is dropped")
		for _, res := range got {
			assert.Equal(t, "Firefox", res["user_agent.name"], "the User-Agent is still parsed")
			assert.NotContains(t, res, "geo.country.iso_code")
			assert.NotContains(t, res, "client.address", "the address is not passed on")
		}
	}
	h.assertLookups(0, batches*perBatch, 0)
	h.assertEnriched(batches * perBatch)

	var aboutTheFile []observer.LoggedEntry
	for _, e := range logs.All() {
		if e.Level >= zapcore.WarnLevel {
			aboutTheFile = append(aboutTheFile, e)
		}
	}
	require.Len(t, aboutTheFile, 1, "one log for the file, none per lookup: %v", logs.All())
	assert.Contains(t, aboutTheFile[0].ContextMap(), "path")
}

// TestHugeUserAgent: a 1 MB string (as a Faro body's meta may carry one; a header that
// long is refused by net/http before the receiver) is parsed as its first 512 bytes and
// passed on whole; nothing is lost.
func TestHugeUserAgent(t *testing.T) {
	h := newHarness(t, nil)
	huge := samsungUA + " " + strings.Repeat("x", 1<<20)
	got := h.sentLogs(context.Background(), logsOf(map[string]any{"user_agent.original": huge}))
	require.Len(t, got, 1)
	assert.Equal(t, "Samsung Internet", got[0]["user_agent.name"])
	assert.Equal(t, "mobile", got[0]["rum.device.type"])
	assert.Equal(t, huge, got[0]["user_agent.original"], "the processor does not rewrite the string")
	assert.Equal(t, 1, h.processor().agents.Len())
	_, cached := h.processor().agents.Cached(huge[:useragent.MaxLength])
	assert.True(t, cached, "the cache holds the cut, not the megabyte")
}
