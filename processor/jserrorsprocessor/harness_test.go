// Copyright The otelcol-rum Authors
// SPDX-License-Identifier: Apache-2.0

package jserrorsprocessor

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

// harness is one jserrors processor ID in a traces, a logs and a metrics pipeline, made
// by the factory as the collector makes it, but with the parts a test chooses.
type harness struct {
	t       *testing.T
	proc    *jserrorsProcessor
	shared  *sharedcomponent.Component[*jserrorsProcessor]
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
	cfg.EmitInterval = time.Hour // tests flush at shutdown
	return cfg
}

// newHarness stores the processor with the parts of newParts under cfg before the factory asks for it, so
// that the factory's three pipelines share that instance; the reference taken here is
// given back at stop, after theirs.
func newHarness(t *testing.T, cfg *Config, set processor.Settings, newParts newPartsFunc) *harness {
	t.Helper()
	h := &harness{t: t, traces: new(consumertest.TracesSink), logs: new(consumertest.LogsSink), metrics: new(consumertest.MetricsSink)}
	var err error
	h.shared, err = processors.LoadOrStore(cfg, func() (*jserrorsProcessor, error) { return newJSErrorsProcessor(cfg, set, newParts) })
	require.NoError(t, err)
	h.proc = h.shared.Unwrap()
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
