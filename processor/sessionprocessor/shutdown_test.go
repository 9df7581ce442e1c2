// Copyright The otelcol-rum Authors
// SPDX-License-Identifier: Apache-2.0

package sessionprocessor

import (
	"context"
	"errors"
	"fmt"
	"sync/atomic"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"go.opentelemetry.io/collector/component"
	"go.opentelemetry.io/collector/component/componenttest"
	"go.opentelemetry.io/collector/consumer"
	"go.opentelemetry.io/collector/consumer/consumertest"
	"go.opentelemetry.io/collector/pdata/plog"
	"go.opentelemetry.io/collector/processor/processortest"
)

// downstream stands for what follows the processor in the logs pipeline (batch, an
// exporter): once shut down it refuses data.
type downstream struct {
	consumertest.LogsSink
	closed atomic.Bool
}

func (d *downstream) ConsumeLogs(ctx context.Context, ld plog.Logs) error {
	if d.closed.Load() {
		return errors.New("shut down")
	}
	return d.LogsSink.ConsumeLogs(ctx, ld)
}

// TestSessionEndsLeaveWhileTheLogsPipelineRuns shuts the pipelines down the way the
// collector does: the logs pipeline's processors, then what follows them, then the other
// pipelines. The session.end summaries must have left before the logs downstream closed.
func TestSessionEndsLeaveWhileTheLogsPipelineRuns(t *testing.T) {
	cfg := testConfig()
	set := processortest.NewNopSettings(NewFactory().Type())
	ctx := context.Background()
	logsNext := &downstream{}
	lp, err := NewFactory().CreateLogs(ctx, set, cfg, logsNext)
	require.NoError(t, err)
	tp, err := NewFactory().CreateTraces(ctx, set, cfg, consumertest.NewNop())
	require.NoError(t, err)
	mp, err := NewFactory().CreateMetrics(ctx, set, cfg, consumertest.NewNop())
	require.NoError(t, err)
	for _, c := range []component.Component{tp, lp, mp} {
		require.NoError(t, c.Start(ctx, componenttest.NewNopHost()))
	}
	require.NoError(t, lp.ConsumeLogs(ctx, sessionLogs("s1", logRecordSpec{event: "click"})))

	require.NoError(t, lp.Shutdown(ctx))
	logsNext.closed.Store(true)
	require.NoError(t, tp.Shutdown(ctx))
	require.NoError(t, mp.Shutdown(ctx))

	assert.Len(t, eventsNamed(&logsNext.LogsSink, "session.end"), 1)
}

// callSizes records how many log records each ConsumeLogs call carried.
type callSizes struct{ sizes []int }

func (c *callSizes) Capabilities() consumer.Capabilities { return consumer.Capabilities{} }
func (c *callSizes) ConsumeLogs(_ context.Context, ld plog.Logs) error {
	c.sizes = append(c.sizes, ld.LogRecordCount())
	return nil
}

// TestShutdownEndsSessionsInChunks: without storage, shutdown ends every session, but
// sends their session.end events at most shutdownChunkSessions at a time, so that its
// memory does not grow with the open sessions.
func TestShutdownEndsSessionsInChunks(t *testing.T) {
	const sessions = 2*shutdownChunkSessions + 500
	c, _, _ := telemetryProcessor(t, testConfig())
	ctx := context.Background()
	for i := range sessions {
		_, err := c.processLogs(ctx, sessionLogs(fmt.Sprint("s", i), logRecordSpec{event: "click"}))
		require.NoError(t, err)
	}
	calls := &callSizes{}
	c.setEventConsumer(calls)
	c.Flush(ctx)
	assert.Equal(t, []int{shutdownChunkSessions, shutdownChunkSessions, 500}, calls.sizes)
	assert.Zero(t, c.store.Len())
}

// TestShutdownStopsAtItsDeadline: when the collector's shutdown deadline has passed,
// ending sessions stops rather than holding the shutdown up.
func TestShutdownStopsAtItsDeadline(t *testing.T) {
	c, _, _ := telemetryProcessor(t, testConfig())
	for i := range 10 {
		_, err := c.processLogs(context.Background(), sessionLogs(fmt.Sprint("s", i), logRecordSpec{event: "click"}))
		require.NoError(t, err)
	}
	calls := &callSizes{}
	c.setEventConsumer(calls)
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	c.Flush(ctx)
	assert.Empty(t, calls.sizes)
}
