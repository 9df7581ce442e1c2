// Copyright The otelcol-rum Authors
// SPDX-License-Identifier: Apache-2.0

// Package sdkcaptures gives tests the payloads real browser SDKs sent, as captured by
// tools/browser into receiver/rumreceiver/testdata/sdk, and replays them over HTTP the way
// the browser sent them.
package sdkcaptures // import "github.com/otelcol-rum/otelcol-rum/internal/sdkcaptures"

import (
	"bytes"
	"encoding/json"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/otelcol-rum/otelcol-rum/internal/modroot"
)

// Capture is one recorded request.
type Capture struct {
	File     string            `json:"file"`
	Scenario string            `json:"scenario"`
	Path     string            `json:"path"`
	Query    string            `json:"query"`
	Gzipped  bool              `json:"gzipped"`
	Headers  map[string]string `json:"headers"`
}

// Scenario is one recorded browser journey.
type Scenario struct {
	SessionID string `json:"session_id"`
	Documents []struct {
		Traceparent string `json:"traceparent"`
	} `json:"documents"`
}

// Manifest describes every capture.
type Manifest struct {
	AppKey    string              `json:"app_key"`
	Files     []Capture           `json:"files"`
	Scenarios map[string]Scenario `json:"scenarios"`
}

// Dir is the directory of the captures.
func Dir(t testing.TB) string {
	t.Helper()
	return filepath.Join(modroot.Dir(t), "receiver", "rumreceiver", "testdata", "sdk")
}

// Load reads the manifest.
func Load(t testing.TB) Manifest {
	t.Helper()
	raw, err := os.ReadFile(filepath.Join(Dir(t), "manifest.json"))
	require.NoError(t, err)
	var m Manifest
	require.NoError(t, json.Unmarshal(raw, &m))
	require.NotEmpty(t, m.Files)
	return m
}

// Of returns the captures of one scenario, in the order they were sent.
func (m Manifest) Of(t testing.TB, scenario string) []Capture {
	t.Helper()
	var out []Capture
	for _, f := range m.Files {
		if f.Scenario == scenario {
			out = append(out, f)
		}
	}
	require.NotEmpty(t, out, "no captures of scenario %s", scenario)
	return out
}

// Post sends a capture to baseURL with its path, query and the headers the SDK set.
func Post(t testing.TB, baseURL string, c Capture) *http.Response {
	t.Helper()
	resp, err := http.DefaultClient.Do(c.Request(t, baseURL, c.Body(t)))
	require.NoError(t, err)
	t.Cleanup(func() { resp.Body.Close() })
	return resp
}

// Body is the capture's body as the browser sent it (gzipped when it was).
func (c Capture) Body(t testing.TB) []byte {
	t.Helper()
	name := c.File
	if c.Gzipped {
		name += ".gz"
	}
	body, err := os.ReadFile(filepath.Join(Dir(t), name))
	require.NoError(t, err)
	return body
}

// Request is the capture's request to baseURL carrying body, with its path, query and
// the headers the SDK set. Benchmarks read the body once and build a request per
// iteration; an empty baseURL gives a request for a handler called directly.
func (c Capture) Request(t testing.TB, baseURL string, body []byte) *http.Request {
	t.Helper()
	url := baseURL + c.Path
	if c.Query != "" {
		url += "?" + strings.TrimPrefix(c.Query, "?")
	}
	req, err := http.NewRequest(http.MethodPost, url, bytes.NewReader(body))
	require.NoError(t, err)
	for _, h := range []string{"content-type", "origin", "x-faro-session-id", "x-api-key", "user-agent"} {
		if v := c.Headers[h]; v != "" {
			req.Header.Set(h, v)
		}
	}
	if c.Gzipped {
		req.Header.Set("Content-Encoding", "gzip")
	}
	return req
}

// Replay posts every capture of a scenario and requires each to be accepted.
func Replay(t testing.TB, baseURL, scenario string) {
	t.Helper()
	for _, c := range Load(t).Of(t, scenario) {
		resp := Post(t, baseURL, c)
		require.Less(t, resp.StatusCode, 300, c.File)
	}
}
