// Copyright The otelcol-rum Authors
// SPDX-License-Identifier: Apache-2.0

package normalize

import (
	"os"
	"testing"

	"github.com/stretchr/testify/require"
	"go.opentelemetry.io/collector/pdata/plog/plogotlp"

	"github.com/otelcol-rum/otelcol-rum/receiver/rumreceiver/internal/beacon"
	"github.com/otelcol-rum/otelcol-rum/receiver/rumreceiver/internal/faro"
)

// The payloads are real SDK captures (see receiver/rumreceiver/testdata/sdk): a typical
// Faro batch of events, measurements, logs and exceptions; two with traces (faro-04 is the
// load test's: an event and its fetch span); one beacon.
func benchFile(b *testing.B, name string) []byte {
	body, err := os.ReadFile("../../testdata/sdk/" + name)
	require.NoError(b, err)
	b.SetBytes(int64(len(body)))
	b.ReportAllocs()
	return body
}

func BenchmarkFaro(b *testing.B) {
	for _, name := range []string{"faro-01-collect.json", "faro-02-collect.json", "faro-04-collect.json", "faro-06-collect.json"} {
		b.Run(name, func(b *testing.B) {
			body := benchFile(b, name)
			src := fuzzSource()
			for b.Loop() {
				p, err := faro.Decode(body)
				if err != nil {
					b.Fatal(err)
				}
				_ = FromFaro(p, src, "bench")
			}
		})
	}
}

func BenchmarkBeacon(b *testing.B) {
	body := benchFile(b, "vitals-03-lcp.json")
	src := fuzzSource()
	for b.Loop() {
		bc, err := beacon.Decode(body)
		if err != nil {
			b.Fatal(err)
		}
		_ = FromBeacon(bc, BeaconIdentity{}, src, "bench")
	}
}

func BenchmarkOTLPLogs(b *testing.B) {
	body := benchFile(b, "otel-04-v1-logs.json")
	src := fuzzSource()
	for b.Loop() {
		req := plogotlp.NewExportRequest()
		if err := req.UnmarshalJSON(body); err != nil {
			b.Fatal(err)
		}
		_, _ = FromOTLPLogs(req.Logs(), src, "bench")
	}
}
