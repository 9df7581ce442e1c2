// Copyright The otelcol-rum Authors
// SPDX-License-Identifier: Apache-2.0

package kafkahandoverextension

import (
	"context"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"go.opentelemetry.io/collector/component/componenttest"
	"go.opentelemetry.io/collector/extension/extensiontest"

	"github.com/otelcol-rum/otelcol-rum/internal/handover"
)

func TestStoreRefusesCallsOutsideItsLifetime(t *testing.T) {
	c := newTestCluster(t)
	ext, err := NewFactory().Create(context.Background(), extensiontest.NewNopSettings(NewFactory().Type()), testConfig(c))
	require.NoError(t, err)
	provider, ok := ext.(handover.Provider)
	require.True(t, ok, "the extension is a handover.Provider")
	st := provider.HandoverStore()

	_, err = st.Acquire(context.Background(), 0)
	require.ErrorIs(t, err, errNotStarted)

	require.NoError(t, ext.Start(context.Background(), componenttest.NewNopHost()))
	_, err = st.Acquire(context.Background(), 0)
	require.NoError(t, err)
	require.NoError(t, ext.Shutdown(context.Background()))

	_, err = st.Acquire(context.Background(), 0)
	require.ErrorIs(t, err, errStopped)
	require.ErrorIs(t, st.Write(context.Background(), 0, nil, 1), errStopped)
	require.ErrorIs(t, st.Release(context.Background(), 0, 1), errStopped)
}

// TestShutdownEndsAWait: an Acquire waiting for a release returns when the extension shuts
// down, and shutdown does not wait for handover_wait.
func TestShutdownEndsAWait(t *testing.T) {
	c := newTestCluster(t)
	a := startInstance(t, testConfig(c))
	a.acquire(t, 0)

	cfgB := testConfig(c)
	cfgB.HandoverWait = time.Hour
	ext, err := NewFactory().Create(context.Background(), extensiontest.NewNopSettings(NewFactory().Type()), cfgB)
	require.NoError(t, err)
	require.NoError(t, ext.Start(context.Background(), componenttest.NewNopHost()))
	b := ext.(*handoverExtension)

	errs := make(chan error, 1)
	go func() {
		_, err := b.store.Acquire(context.Background(), 0)
		errs <- err
	}()
	select {
	case <-a.st.Requests(): // B is waiting now
	case <-time.After(testDeadline):
		t.Fatal("B never asked")
	}
	began := time.Now()
	require.NoError(t, ext.Shutdown(context.Background()))
	assert.Less(t, time.Since(began), testDeadline)
	select {
	case err := <-errs:
		assert.Error(t, err)
	case <-time.After(testDeadline):
		t.Fatal("Acquire did not return")
	}
}

// TestStartsWithoutABroker: the clients connect lazily, so a broker that is down at start
// does not fail the collector; Acquire fails within its timeouts instead.
func TestStartsWithoutABroker(t *testing.T) {
	cfg := createDefaultConfig().(*Config)
	cfg.Brokers = []string{"127.0.0.1:1"}
	cfg.Timeout = time.Second
	ext, err := NewFactory().Create(context.Background(), extensiontest.NewNopSettings(NewFactory().Type()), cfg)
	require.NoError(t, err)
	require.NoError(t, ext.Start(context.Background(), componenttest.NewNopHost()))
	defer func() { require.NoError(t, ext.Shutdown(context.Background())) }()
	ctx, cancel := context.WithTimeout(context.Background(), testDeadline)
	defer cancel()
	_, err = ext.(*handoverExtension).store.Acquire(ctx, 0)
	assert.Error(t, err)
	assert.NoError(t, ctx.Err(), "bounded by the extension's timeout, not the caller's")
}

// TestBrokerGoneMidRun: with the broker gone, Write and Release fail within timeout
// (franz-go's idempotent producer alone would wait for the broker to return), and the
// extension still shuts down.
func TestBrokerGoneMidRun(t *testing.T) {
	c := newTestCluster(t)
	cfg := testConfig(c)
	cfg.Timeout = time.Second
	ext, err := NewFactory().Create(context.Background(), extensiontest.NewNopSettings(NewFactory().Type()), cfg)
	require.NoError(t, err)
	require.NoError(t, ext.Start(context.Background(), componenttest.NewNopHost()))
	st := ext.(*handoverExtension).store
	_, err = st.Acquire(context.Background(), 0)
	require.NoError(t, err)
	c.Close()

	began := time.Now()
	err = st.Write(context.Background(), 0, []handover.Checkpoint{session("s1", "v")}, 3)
	assert.ErrorContains(t, err, "not acknowledged within 1s")
	assert.ErrorContains(t, st.Release(context.Background(), 0, 3), "not acknowledged within 1s")
	assert.Less(t, time.Since(began), testDeadline)
	require.NoError(t, ext.Shutdown(context.Background()))
}
