// Copyright The otelcol-rum Authors
// SPDX-License-Identifier: Apache-2.0

package jserrorsprocessor

import (
	"context"
	"testing"

	"github.com/stretchr/testify/require"
	"go.opentelemetry.io/collector/component"
	"go.opentelemetry.io/collector/component/componenttest"
	"go.opentelemetry.io/collector/pdata/plog"
	"go.opentelemetry.io/collector/pdata/pmetric"
	"go.opentelemetry.io/collector/processor/processortest"

	"github.com/otelcol-rum/otelcol-rum/internal/clientinfotest"
	"github.com/otelcol-rum/otelcol-rum/internal/rumtest"
	"github.com/otelcol-rum/otelcol-rum/processor/sessionprocessor"
)

// chain is rum receiver → session → jserrors → sinks, as config.example.yaml wires them.
type chain struct {
	*harness
	url      string
	receiver *rumtest.Receiver
	session  []component.Component
}

func startChain(t *testing.T, cfg *Config, newParts newPartsFunc) *chain {
	t.Helper()
	c := &chain{harness: newHarness(t, cfg, nopSettings(), newParts)}
	ctx := context.Background()
	sf := sessionprocessor.NewFactory()
	sCfg := sf.CreateDefaultConfig()
	sSet := processortest.NewNopSettings(sf.Type())
	sTraces, err := sf.CreateTraces(ctx, sSet, sCfg, c.tp)
	require.NoError(t, err)
	sLogs, err := sf.CreateLogs(ctx, sSet, sCfg, c.lp)
	require.NoError(t, err)
	sMetrics, err := sf.CreateMetrics(ctx, sSet, sCfg, c.mp)
	require.NoError(t, err)
	c.session = []component.Component{sTraces, sLogs, sMetrics}
	for _, comp := range c.session {
		require.NoError(t, comp.Start(ctx, componenttest.NewNopHost()))
	}
	ct, cl, cm := clientinfotest.Front(t, sTraces, sLogs, sMetrics)
	c.receiver = rumtest.Start(t, ct, cl, cm)
	c.url = c.receiver.URL
	return c
}

// stop shuts down as the collector does: the receiver, then each pipeline's processors in
// order, so the session processor's last session.end events still pass this processor.
func (c *chain) stop(t *testing.T) {
	c.receiver.Shutdown(t)
	for _, comp := range c.session {
		require.NoError(t, comp.Shutdown(context.Background()))
	}
	c.harness.stop()
}

// logRecords returns every log record that reached the sink.
func logRecords(sink interface{ AllLogs() []plog.Logs }) []plog.LogRecord {
	var out []plog.LogRecord
	for _, ld := range sink.AllLogs() {
		for _, rl := range ld.ResourceLogs().All() {
			for _, sl := range rl.ScopeLogs().All() {
				for _, lr := range sl.LogRecords().All() {
					out = append(out, lr)
				}
			}
		}
	}
	return out
}

// errorPoint is one point of browser.errors with its resource.
type errorPoint struct {
	resource map[string]any
	pmetric.NumberDataPoint
}

// errorPoints returns the points of the last emission that reached the sink.
func errorPoints(t *testing.T, sink interface{ AllMetrics() []pmetric.Metrics }) []errorPoint {
	t.Helper()
	all := sink.AllMetrics()
	require.NotEmpty(t, all, "no emission")
	var out []errorPoint
	for _, rm := range all[len(all)-1].ResourceMetrics().All() {
		for _, sm := range rm.ScopeMetrics().All() {
			require.Equal(t, "github.com/otelcol-rum/otelcol-rum/processor/jserrorsprocessor", sm.Scope().Name())
			for _, m := range sm.Metrics().All() {
				require.Equal(t, "browser.errors", m.Name())
				for _, dp := range m.Sum().DataPoints().All() {
					out = append(out, errorPoint{rm.Resource().Attributes().AsRaw(), dp})
				}
			}
		}
	}
	return out
}
