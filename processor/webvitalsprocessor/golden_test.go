// Copyright The otelcol-rum Authors
// SPDX-License-Identifier: Apache-2.0

package webvitalsprocessor

import (
	"flag"
	"path/filepath"
	"testing"

	"github.com/open-telemetry/opentelemetry-collector-contrib/pkg/pdatatest/pmetrictest"

	"github.com/otelcol-rum/otelcol-rum/internal/goldenfile"
	"github.com/otelcol-rum/otelcol-rum/internal/sdkcaptures"
)

var update = flag.Bool("update", false, "rewrite the golden files under testdata/golden from the current output")

// TestGoldenHistograms replays each real SDK capture through rum receiver → session →
// webvitals and compares the histograms, ratings counters and exemplars with
// testdata/golden/<scenario>.metrics.json. Only the emission times (the collector's
// clock) are ignored; exemplar times are the measurements' own. After a deliberate change,
// rewrite the files with `go test -run TestGoldenHistograms -update` and review the diff.
func TestGoldenHistograms(t *testing.T) {
	for _, scenario := range []string{"faro", "otel", "otel-proto", "vitals", "vitals-batch"} {
		t.Run(scenario, func(t *testing.T) {
			c := startChain(t, testConfig())
			sdkcaptures.Replay(t, c.url, scenario)
			c.stop(t)
			goldenfile.Metrics(t, filepath.Join("testdata", "golden", scenario+".metrics.json"), c.metrics.AllMetrics(), *update,
				pmetrictest.IgnoreTimestamp(), pmetrictest.IgnoreStartTimestamp())
		})
	}
}
