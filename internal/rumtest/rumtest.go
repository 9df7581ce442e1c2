// Copyright The otelcol-rum Authors
// SPDX-License-Identifier: Apache-2.0

// Package rumtest runs the real rum receiver in tests of the components behind it, so
// that they are tested on what the receiver makes of real SDK payloads.
package rumtest // import "github.com/otelcol-rum/otelcol-rum/internal/rumtest"

import (
	"context"
	"net"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
	"go.opentelemetry.io/collector/component"
	"go.opentelemetry.io/collector/component/componenttest"
	"go.opentelemetry.io/collector/consumer"
	"go.opentelemetry.io/collector/receiver/receivertest"

	"github.com/otelcol-rum/otelcol-rum/receiver/rumreceiver"
)

// replayedTimestampAge accepts the captures' times however long ago they were recorded.
const replayedTimestampAge = 50 * 365 * 24 * time.Hour

// Receiver is a running rum receiver on a free loopback port.
type Receiver struct {
	URL        string
	components []component.Component
}

// Start runs the receiver with its default settings but for rate limits (a replay
// sends faster than a browser) and the age of timestamps (the captures were recorded on a
// past day, and a replay keeps their times) in front of the three consumers, which must be
// started.
func Start(t testing.TB, traces consumer.Traces, logs consumer.Logs, metrics consumer.Metrics) *Receiver {
	t.Helper()
	f := rumreceiver.NewFactory()
	cfg := f.CreateDefaultConfig().(*rumreceiver.Config)
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	require.NoError(t, err)
	cfg.NetAddr.Endpoint = ln.Addr().String()
	require.NoError(t, ln.Close())
	cfg.RateLimit = rumreceiver.RateLimitConfig{}
	cfg.MaxTimestampAge = replayedTimestampAge
	set := receivertest.NewNopSettings(f.Type())
	ctx := context.Background()
	r := &Receiver{URL: "http://" + cfg.NetAddr.Endpoint}
	tr, err := f.CreateTraces(ctx, set, cfg, traces)
	require.NoError(t, err)
	lg, err := f.CreateLogs(ctx, set, cfg, logs)
	require.NoError(t, err)
	mt, err := f.CreateMetrics(ctx, set, cfg, metrics)
	require.NoError(t, err)
	r.components = []component.Component{tr, lg, mt}
	for _, c := range r.components {
		require.NoError(t, c.Start(ctx, componenttest.NewNopHost()))
	}
	return r
}

// Shutdown stops the receiver; the collector stops receivers before what follows them.
func (r *Receiver) Shutdown(t testing.TB) {
	t.Helper()
	for _, c := range r.components {
		require.NoError(t, c.Shutdown(context.Background()))
	}
}
