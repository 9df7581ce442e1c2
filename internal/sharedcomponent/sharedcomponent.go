// Copyright The otelcol-rum Authors
// SPDX-License-Identifier: Apache-2.0

// Package sharedcomponent lets one component ID that appears in several pipelines resolve
// to a single running instance. The collector asks a factory once per signal, but a
// receiver that listens on a port, or a processor that keeps per-session state, must exist
// once per configuration: this map hands out the same instance for the same key and
// forgets it when the last user shuts it down.
package sharedcomponent // import "github.com/otelcol-rum/otelcol-rum/internal/sharedcomponent"

import (
	"context"
	"sync"

	"go.opentelemetry.io/collector/component"
)

// Map holds the live instances by key (usually the component's *Config pointer).
type Map[K comparable, V component.Component] struct {
	mu          sync.Mutex
	items       map[K]*Component[V]
	stopOnFirst bool
}

// Option changes how the instances of a Map behave.
type Option func(*mapOptions)

type mapOptions struct{ stopOnFirst bool }

// StopAtFirstShutdown makes an instance stop at the first Shutdown of any pipeline that
// shares it, instead of the last. It is for receivers: the collector shuts components down
// in topological order, so when the first pipeline stops its copy of the receiver, nothing
// downstream of any copy has stopped yet. A receiver that stops and drains its requests
// then never hands data to a component that is gone (a stopped batch processor blocks the
// caller forever, or silently drops what it is given).
func StopAtFirstShutdown() Option {
	return func(o *mapOptions) { o.stopOnFirst = true }
}

// NewMap returns an empty Map. By default an instance stops when the last pipeline that
// shares it shuts down: the right moment for state that other pipelines still feed.
func NewMap[K comparable, V component.Component](opts ...Option) *Map[K, V] {
	var o mapOptions
	for _, opt := range opts {
		opt(&o)
	}
	return &Map[K, V]{items: map[K]*Component[V]{}, stopOnFirst: o.stopOnFirst}
}

// LoadOrStore returns the instance stored under key, creating it with create when absent.
func (m *Map[K, V]) LoadOrStore(key K, create func() (V, error)) (*Component[V], error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	if c, ok := m.items[key]; ok {
		c.refs++
		return c, nil
	}
	v, err := create()
	if err != nil {
		return nil, err
	}
	c := &Component[V]{inner: v, refs: 1, stopOnFirst: m.stopOnFirst}
	c.release = func() bool {
		m.mu.Lock()
		defer m.mu.Unlock()
		c.refs--
		if c.refs > 0 {
			return false
		}
		delete(m.items, key)
		return true
	}
	m.items[key] = c
	return c, nil
}

// Component wraps a shared instance: Start runs once, Shutdown runs once, when the last of
// the pipelines that share it shuts down (or the first, with StopAtFirstShutdown).
type Component[V component.Component] struct {
	inner       V
	refs        int // guarded by the Map's mutex
	release     func() (last bool)
	stopOnFirst bool

	startOnce sync.Once
	startErr  error
	stopOnce  sync.Once
}

// Unwrap returns the shared instance.
func (c *Component[V]) Unwrap() V { return c.inner }

// Start starts the instance the first time any pipeline starts it.
func (c *Component[V]) Start(ctx context.Context, host component.Host) error {
	c.startOnce.Do(func() { c.startErr = c.inner.Start(ctx, host) })
	return c.startErr
}

// Shutdown stops the instance when every pipeline that holds it has shut down, or at the
// first of them with StopAtFirstShutdown; the call that stops it returns its error. Each
// LoadOrStore is matched by one Shutdown, as the collector guarantees; the key is
// forgotten at the last one either way.
func (c *Component[V]) Shutdown(ctx context.Context) error {
	if last := c.release(); !last && !c.stopOnFirst {
		return nil
	}
	var err error
	c.stopOnce.Do(func() { err = c.inner.Shutdown(ctx) })
	return err
}

// Flusher is a shared instance that sends data of its own (lifecycle events, aggregated
// metrics) down one of the pipelines that share it.
type Flusher interface {
	// Flush sends the last of that data; it must be safe to call more than once.
	Flush(ctx context.Context)
}

// ShutdownEmitting is Shutdown for the pipeline the instance emits into. The collector
// shuts pipelines down one after the other, and the processors and exporters after this
// component in that pipeline stop right after it: so the instance flushes now, while
// they still run, rather than at the last pipeline's Shutdown, when they may be gone.
func (c *Component[V]) ShutdownEmitting(ctx context.Context) error {
	if f, ok := any(c.inner).(Flusher); ok {
		f.Flush(ctx)
	}
	return c.Shutdown(ctx)
}
