// Copyright The otelcol-rum Authors
// SPDX-License-Identifier: Apache-2.0

package normalize

import (
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
	"go.opentelemetry.io/collector/pdata/plog/plogotlp"

	"github.com/otelcol-rum/otelcol-rum/receiver/rumreceiver/internal/beacon"
	"github.com/otelcol-rum/otelcol-rum/receiver/rumreceiver/internal/faro"
)

// addSeeds adds every file matching the globs as a seed, so the real SDK captures and the
// hand-written cases run as ordinary tests on every `go test`.
func addSeeds(f *testing.F, globs ...string) {
	n := 0
	for _, g := range globs {
		files, err := filepath.Glob(g)
		require.NoError(f, err)
		for _, file := range files {
			b, err := os.ReadFile(file)
			require.NoError(f, err)
			f.Add(b)
			n++
		}
	}
	require.NotZero(f, n, "no seeds found in %v", globs)
}

func fuzzSource() *Source {
	return &Source{Received: time.Date(2026, 11, 21, 10, 0, 0, 0, time.UTC), MaxClockSkew: time.Minute, MaxTimestampAge: 24 * time.Hour, UserAttributes: map[string]bool{}}
}

// checkVitalsPaired asserts the invariant every normalizer keeps: one metric point per
// well-formed browser.web_vital record (a client may send a malformed one over OTLP; it
// stays a log record and gets no point).
func checkVitalsPaired(t *testing.T, res Result) {
	vitals := 0
	for _, rl := range res.Logs.ResourceLogs().All() {
		for _, sl := range rl.ScopeLogs().All() {
			for _, lr := range sl.LogRecords().All() {
				require.NotZero(t, lr.ObservedTimestamp())
				if _, named := lr.Attributes().Get("browser.web_vital.name"); named && lr.EventName() == "browser.web_vital" {
					vitals++
				}
			}
		}
	}
	require.Equal(t, vitals, res.Metrics.DataPointCount())
}

func FuzzFaro(f *testing.F) {
	addSeeds(f, "../faro/testdata/*.json", "../../testdata/sdk/faro-*.json")
	f.Fuzz(func(t *testing.T, body []byte) {
		p, err := faro.Decode(body)
		if err != nil {
			return
		}
		res := FromFaro(p, fuzzSource(), "test")
		checkVitalsPaired(t, res)
		// What leaves the receiver must survive the OTLP wire.
		_, err = plogotlp.NewExportRequestFromLogs(res.Logs).MarshalProto()
		require.NoError(t, err)
	})
}

func FuzzBeacon(f *testing.F) {
	addSeeds(f, "../../testdata/sdk/vitals-*.json", "testdata/beacon/*.json")
	f.Fuzz(func(t *testing.T, body []byte) {
		b, err := beacon.Decode(body)
		if err != nil {
			return
		}
		res := FromBeacon(b, BeaconIdentity{}, fuzzSource(), "test")
		checkVitalsPaired(t, res)
		require.Equal(t, len(b.Metrics), res.Logs.LogRecordCount())
	})
}

func FuzzOTLPLogs(f *testing.F) {
	addSeeds(f, "testdata/otlplogs/*.json")
	f.Fuzz(func(t *testing.T, body []byte) {
		req := plogotlp.NewExportRequest()
		if err := req.UnmarshalJSON(body); err != nil {
			return
		}
		ld := req.Logs()
		metrics, _ := FromOTLPLogs(ld, fuzzSource(), "test")
		checkVitalsPaired(t, Result{Logs: ld, Metrics: metrics})
	})
}
