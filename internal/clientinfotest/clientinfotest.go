// Copyright The otelcol-rum Authors
// SPDX-License-Identifier: Apache-2.0

// Package clientinfotest puts the clientinfo processor in front of the consumers of a
// test pipeline, as the shipped configuration places it behind the receiver, so that
// the golden files of the components behind it show the client dimensions the user
// sees. It is a package of its own because the clientinfo processor's tests use
// rumtest, which may therefore not import the processor.
package clientinfotest // import "github.com/otelcol-rum/otelcol-rum/internal/clientinfotest"

import (
	"context"
	"testing"

	"github.com/stretchr/testify/require"
	"go.opentelemetry.io/collector/component"
	"go.opentelemetry.io/collector/component/componenttest"
	"go.opentelemetry.io/collector/consumer"
	"go.opentelemetry.io/collector/processor/processortest"

	"github.com/otelcol-rum/otelcol-rum/processor/clientinfoprocessor"
)

// Front returns the clientinfo processor (its defaults: user agents, no geolocation)
// for each signal, feeding the given consumers. They are started, and shut down when the
// test ends.
func Front(t testing.TB, traces consumer.Traces, logs consumer.Logs, metrics consumer.Metrics) (consumer.Traces, consumer.Logs, consumer.Metrics) {
	ctx := context.Background()
	f := clientinfoprocessor.NewFactory()
	set := processortest.NewNopSettings(f.Type())
	cfg := f.CreateDefaultConfig()
	tp, err := f.CreateTraces(ctx, set, cfg, traces)
	require.NoError(t, err)
	lp, err := f.CreateLogs(ctx, set, cfg, logs)
	require.NoError(t, err)
	mp, err := f.CreateMetrics(ctx, set, cfg, metrics)
	require.NoError(t, err)
	for _, c := range []component.Component{tp, lp, mp} {
		require.NoError(t, c.Start(ctx, componenttest.NewNopHost()))
		t.Cleanup(func() { require.NoError(t, c.Shutdown(context.Background())) })
	}
	return tp, lp, mp
}
