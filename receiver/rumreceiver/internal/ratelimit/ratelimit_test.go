// Copyright The otelcol-rum Authors
// SPDX-License-Identifier: Apache-2.0

package ratelimit

import (
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestBurstThenRefusalWithRetryAfter(t *testing.T) {
	l := New(2, 3, 10)
	now := time.Unix(1000, 0)
	for i := range 3 {
		ok, _ := l.Allow("app", now)
		require.True(t, ok, "request %d within the burst", i)
	}
	ok, wait := l.Allow("app", now)
	require.False(t, ok)
	assert.Equal(t, 500*time.Millisecond, wait, "2 tokens per second refill one token in 500ms")

	ok, _ = l.Allow("app", now.Add(500*time.Millisecond))
	assert.True(t, ok, "a token is back after the announced wait")
	ok, _ = l.Allow("other", now)
	assert.True(t, ok, "keys have separate buckets")
}

func TestKeysAreBoundedLeastRecentlyUsedFirst(t *testing.T) {
	l := New(1, 1, 2)
	now := time.Unix(1000, 0)
	l.Allow("a", now)
	l.Allow("b", now)
	l.Allow("a", now) // a is now the most recent
	l.Allow("c", now) // evicts b
	assert.Equal(t, 2, l.keyCount())
	ok, _ := l.Allow("a", now)
	assert.False(t, ok, "a kept its empty bucket")
	ok, _ = l.Allow("b", now)
	assert.True(t, ok, "b was forgotten and starts full")
}

func TestDisabledLimiterAllowsEverything(t *testing.T) {
	l := New(0, 0, 0)
	assert.Nil(t, l)
	for range 1000 {
		ok, _ := l.Allow("x", time.Now())
		require.True(t, ok)
	}
}

// keyCount is the number of keys l remembers.
func (l *Limiter) keyCount() int {
	l.mu.Lock()
	defer l.mu.Unlock()
	return len(l.keys)
}
