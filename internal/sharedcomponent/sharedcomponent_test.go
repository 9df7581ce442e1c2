// Copyright The otelcol-rum Authors
// SPDX-License-Identifier: Apache-2.0

package sharedcomponent

import (
	"context"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"go.opentelemetry.io/collector/component"
	"go.opentelemetry.io/collector/component/componenttest"
)

type counting struct {
	starts, stops int
}

func (c *counting) Start(context.Context, component.Host) error { c.starts++; return nil }
func (c *counting) Shutdown(context.Context) error              { c.stops++; return nil }

func TestSameKeySharesOneInstanceStartedAndStoppedOnce(t *testing.T) {
	m := NewMap[string, *counting]()
	created := 0
	create := func() (*counting, error) { created++; return &counting{}, nil }
	var shared []*Component[*counting]
	for range 3 {
		c, err := m.LoadOrStore("id", create)
		require.NoError(t, err)
		shared = append(shared, c)
	}
	assert.Equal(t, 1, created)
	inst := shared[0].Unwrap()
	for _, c := range shared {
		require.NoError(t, c.Start(context.Background(), componenttest.NewNopHost()))
	}
	assert.Equal(t, 1, inst.starts)
	for i, c := range shared {
		require.NoError(t, c.Shutdown(context.Background()))
		if i < 2 {
			assert.Equal(t, 0, inst.stops, "stopped before the last pipeline shut down")
		}
	}
	assert.Equal(t, 1, inst.stops)

	// The key is forgotten after the last shutdown, so a restart builds a fresh instance.
	c, err := m.LoadOrStore("id", create)
	require.NoError(t, err)
	assert.Equal(t, 2, created)
	assert.NotSame(t, inst, c.Unwrap())
}

type flushing struct {
	counting
	flushes int
}

func (f *flushing) Flush(context.Context) { f.flushes++ }

func TestShutdownEmittingFlushesBeforeTheLastShutdown(t *testing.T) {
	m := NewMap[string, *flushing]()
	create := func() (*flushing, error) { return &flushing{}, nil }
	emitting, err := m.LoadOrStore("id", create)
	require.NoError(t, err)
	other, err := m.LoadOrStore("id", create)
	require.NoError(t, err)
	inst := emitting.Unwrap()

	require.NoError(t, emitting.ShutdownEmitting(context.Background()))
	assert.Equal(t, 1, inst.flushes, "flushed while its pipeline still runs")
	assert.Equal(t, 0, inst.stops, "but not stopped: another pipeline holds it")
	require.NoError(t, other.Shutdown(context.Background()))
	assert.Equal(t, 1, inst.stops)
}

func TestStopAtFirstShutdownStopsOnceAtTheFirstPipeline(t *testing.T) {
	m := NewMap[string, *counting](StopAtFirstShutdown())
	create := func() (*counting, error) { return &counting{}, nil }
	var shared []*Component[*counting]
	for range 3 {
		c, err := m.LoadOrStore("id", create)
		require.NoError(t, err)
		shared = append(shared, c)
	}
	inst := shared[0].Unwrap()
	require.NoError(t, shared[0].Start(context.Background(), componenttest.NewNopHost()))
	for _, c := range shared {
		require.NoError(t, c.Shutdown(context.Background()))
		assert.Equal(t, 1, inst.stops, "stopped at the first shutdown, and only once")
	}

	// The key is still forgotten only after the last shutdown.
	c, err := m.LoadOrStore("id", create)
	require.NoError(t, err)
	assert.NotSame(t, inst, c.Unwrap())
}

type failingStop struct{ counting }

func (f *failingStop) Shutdown(context.Context) error { f.stops++; return assert.AnError }

func TestStopAtFirstShutdownReportsTheErrorOnce(t *testing.T) {
	m := NewMap[string, *failingStop](StopAtFirstShutdown())
	create := func() (*failingStop, error) { return &failingStop{}, nil }
	first, err := m.LoadOrStore("id", create)
	require.NoError(t, err)
	last, err := m.LoadOrStore("id", create)
	require.NoError(t, err)
	require.ErrorIs(t, first.Shutdown(context.Background()), assert.AnError, "the call that stopped it reports its error")
	require.NoError(t, last.Shutdown(context.Background()))
	assert.Equal(t, 1, first.Unwrap().stops)
}
