// Copyright The otelcol-rum Authors
// SPDX-License-Identifier: Apache-2.0

package sessionprocessor

import (
	"context"
	"errors"
	"maps"
	"slices"
	"strings"
	"sync"

	"go.opentelemetry.io/collector/extension/xextension/storage"
)

var errCrashed = errors.New("storage: the process died")

// memStorage is an in-memory storage.Client. A Batch applies all its operations or none,
// as file_storage's transaction does. Writes (Set, Delete, Batch) can be made to fail:
// after crashAfter successful ones, every later write fails, as if the process had died
// then and its writes never happened (crashAfter < 0: never); while broken is set, writes
// fail and the storage recovers when it is cleared; while deletesBroken is set, only
// writes that delete fail.
type memStorage struct {
	mu            sync.Mutex
	data          map[string][]byte
	writes        int
	refused       int
	crashAfter    int
	broken        bool
	deletesBroken bool
}

func newMemStorage() *memStorage {
	return &memStorage{data: map[string][]byte{}, crashAfter: -1}
}

// copyOf is what a new process finds after a crash of the one that used m.
func (m *memStorage) copyOf() *memStorage {
	m.mu.Lock()
	defer m.mu.Unlock()
	c := newMemStorage()
	for k, v := range m.data {
		c.data[k] = slices.Clone(v)
	}
	return c
}

// crashed says whether a write was refused because of crashAfter or broken.
func (m *memStorage) crashed() bool {
	m.mu.Lock()
	defer m.mu.Unlock()
	return m.refused > 0
}

func (m *memStorage) setBroken(b bool) {
	m.mu.Lock()
	defer m.mu.Unlock()
	m.broken = b
}

func (m *memStorage) setDeletesBroken(b bool) {
	m.mu.Lock()
	defer m.mu.Unlock()
	m.deletesBroken = b
}

func (m *memStorage) keys() []string {
	m.mu.Lock()
	defer m.mu.Unlock()
	return slices.Sorted(maps.Keys(m.data))
}

func (m *memStorage) keysWithPrefix(prefix string) []string {
	var out []string
	for _, k := range m.keys() {
		if strings.HasPrefix(k, prefix) {
			out = append(out, k)
		}
	}
	return out
}

func (m *memStorage) Get(_ context.Context, key string) ([]byte, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	return slices.Clone(m.data[key]), nil
}

func (m *memStorage) Set(ctx context.Context, key string, value []byte) error {
	return m.Batch(ctx, storage.SetOperation(key, value))
}

func (m *memStorage) Delete(ctx context.Context, key string) error {
	return m.Batch(ctx, storage.DeleteOperation(key))
}

func (m *memStorage) Batch(_ context.Context, ops ...*storage.Operation) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	writes := slices.ContainsFunc(ops, func(op *storage.Operation) bool { return op.Type != storage.Get })
	deletes := slices.ContainsFunc(ops, func(op *storage.Operation) bool { return op.Type == storage.Delete })
	if writes && (m.broken || (m.crashAfter >= 0 && m.writes >= m.crashAfter) || (deletes && m.deletesBroken)) {
		m.refused++
		return errCrashed
	}
	for _, op := range ops {
		switch op.Type {
		case storage.Get:
			op.Value = slices.Clone(m.data[op.Key])
		case storage.Set:
			m.data[op.Key] = slices.Clone(op.Value)
		case storage.Delete:
			delete(m.data, op.Key)
		}
	}
	if writes {
		m.writes++
	}
	return nil
}

func (m *memStorage) Close(context.Context) error { return nil }
