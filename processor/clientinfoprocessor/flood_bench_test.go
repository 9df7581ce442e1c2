// Copyright The otelcol-rum Authors
// SPDX-License-Identifier: Apache-2.0

package clientinfoprocessor

import (
	"context"
	"strconv"
	"syscall"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
	"go.opentelemetry.io/collector/pdata/plog"
	"go.opentelemetry.io/collector/processor/processortest"

	"github.com/otelcol-rum/otelcol-rum/processor/clientinfoprocessor/internal/metadata"
)

// floodAgents is how many distinct User-Agent strings the flood sends, in batches of
// floodBatch resources, as requests of 100 resources.
const (
	floodAgents = 100_000
	floodBatch  = 100
)

// BenchmarkUserAgentFlood sends floodAgents distinct made-up User-Agent strings through
// the processor with its defaults, as fast as it takes them, and reports per flood: how
// many were parsed and left unparsed, its wall time and the process's CPU time. With
// max_uncached_per_second the CPU spent parsing stays near the budget (the burst, then
// the refill over the wall time); "unbounded" lifts it, on a fiftieth of the flood, for
// the cost per string without it. Run with -benchtime 1x: one op is one flood. See
// docs/benchmarks.md, Who suffers.
func BenchmarkUserAgentFlood(b *testing.B) {
	b.Run("default", func(b *testing.B) { benchFlood(b, floodAgents, defaultUserAgentMaxUncachedPerSecond) })
	b.Run("unbounded", func(b *testing.B) { benchFlood(b, floodAgents/50, floodAgents) })
}

func benchFlood(b *testing.B, agents, perSecond int) {
	cfg := createDefaultConfig().(*Config)
	cfg.UserAgent.MaxUncachedPerSecond = perSecond
	p, err := newClientInfoProcessor(cfg, processortest.NewNopSettings(metadata.Type))
	require.NoError(b, err)
	ctx := context.Background()
	var parsed, unparsed int
	var wall, cpu time.Duration
	for round := 0; b.Loop(); round++ {
		b.StopTimer()
		batches := floodBatches(round, agents)
		b.StartTimer()
		start, startCPU := time.Now(), processCPU(b)
		for _, ld := range batches {
			_, err := p.processLogs(ctx, ld)
			require.NoError(b, err)
		}
		wall += time.Since(start)
		cpu += processCPU(b) - startCPU
		for _, ld := range batches {
			for i := range ld.ResourceLogs().Len() {
				if _, ok := ld.ResourceLogs().At(i).Resource().Attributes().Get("user_agent.name"); ok {
					parsed++
				} else {
					unparsed++
				}
			}
		}
	}
	n := float64(b.N)
	b.ReportMetric(float64(parsed)/n, "parsed/op")
	b.ReportMetric(float64(unparsed)/n, "unparsed/op")
	b.ReportMetric(wall.Seconds()*1000/n, "wall-ms/op")
	b.ReportMetric(cpu.Seconds()*1000/n, "cpu-ms/op")
}

// floodBatches builds the flood of one round: every string new, to this round too.
func floodBatches(round, agents int) []plog.Logs {
	var out []plog.Logs
	for i := 0; i < agents; i += floodBatch {
		ld := plog.NewLogs()
		for j := i; j < i+floodBatch && j < agents; j++ {
			rl := ld.ResourceLogs().AppendEmpty()
			rl.Resource().Attributes().PutStr("user_agent.original", firefoxUA+" flood/"+strconv.Itoa(round)+"."+strconv.Itoa(j))
			rl.ScopeLogs().AppendEmpty().LogRecords().AppendEmpty().Body().SetStr("event")
		}
		out = append(out, ld)
	}
	return out
}

// processCPU is the CPU time the process has used, user and system.
func processCPU(b *testing.B) time.Duration {
	var ru syscall.Rusage
	require.NoError(b, syscall.Getrusage(syscall.RUSAGE_SELF, &ru))
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}
