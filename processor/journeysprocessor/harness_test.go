// Copyright The otelcol-rum Authors
// SPDX-License-Identifier: Apache-2.0

package journeysprocessor

import (
	"context"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
	"go.opentelemetry.io/collector/component"
	"go.opentelemetry.io/collector/component/componenttest"
	"go.opentelemetry.io/collector/consumer/consumertest"
	"go.opentelemetry.io/collector/processor"
	"go.opentelemetry.io/collector/processor/processortest"

	"github.com/otelcol-rum/otelcol-rum/internal/sharedcomponent"
)

// harness is one journeys processor ID in a traces, a logs and a metrics pipeline, made by
// the factory as the collector makes it.
type harness struct {
	t       *testing.T
	proc    *journeysProcessor
	shared  *sharedcomponent.Component[*journeysProcessor]
	tp      processor.Traces
	lp      processor.Logs
	mp      processor.Metrics
	traces  *consumertest.TracesSink
	logs    *consumertest.LogsSink
	metrics *consumertest.MetricsSink
	stopped bool
}

func testConfig() *Config {
	cfg := createDefaultConfig().(*Config)
	cfg.EmitInterval = time.Hour // tests emit by hand or at shutdown
	return cfg
}

// newHarness takes a reference to the processor under cfg before the factory's three
// pipelines do, so that the test holds the instance they share; it is given back at stop,
// after theirs.
func newHarness(t *testing.T, cfg *Config, set processor.Settings) *harness {
	t.Helper()
	h := &harness{t: t, traces: new(consumertest.TracesSink), logs: new(consumertest.LogsSink), metrics: new(consumertest.MetricsSink)}
	var err error
	h.shared, err = processors.LoadOrStore(cfg, func() (*journeysProcessor, error) { return newJourneysProcessor(cfg, set) })
	require.NoError(t, err)
	h.proc = h.shared.Unwrap()
	h.proc.now = func() time.Time { return time.Unix(0, testNow) }
	ctx := context.Background()
	f := NewFactory()
	h.tp, err = f.CreateTraces(ctx, set, cfg, h.traces)
	require.NoError(t, err)
	h.lp, err = f.CreateLogs(ctx, set, cfg, h.logs)
	require.NoError(t, err)
	h.mp, err = f.CreateMetrics(ctx, set, cfg, h.metrics)
	require.NoError(t, err)
	for _, c := range h.components() {
		require.NoError(t, c.Start(ctx, componenttest.NewNopHost()))
	}
	t.Cleanup(h.stop)
	return h
}

func (h *harness) components() []component.Component {
	return []component.Component{h.tp, h.lp, h.mp}
}

// stop shuts the pipelines down as the collector does, one after the other.
func (h *harness) stop() {
	if h.stopped {
		return
	}
	h.stopped = true
	for _, c := range h.components() {
		require.NoError(h.t, c.Shutdown(context.Background()))
	}
	require.NoError(h.t, h.shared.Shutdown(context.Background()))
}

func nopSettings() processor.Settings {
	return processortest.NewNopSettings(NewFactory().Type())
}
