// Copyright The otelcol-rum Authors
// SPDX-License-Identifier: Apache-2.0

package rumreceiver

import (
	"net/http"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestConcurrencyLimitRefusesBeforeReadingTheBody: two requests hold both slots while
// their bodies trickle in; a third is refused at once with Retry-After (429 for a
// beacon, 503 for OTLP), and once the slots are free requests are served again.
func TestConcurrencyLimitRefusesBeforeReadingTheBody(t *testing.T) {
	h := startHarness(t, withConfig(func(c *Config) {
		c.MaxConcurrentRequests = 2
		c.RetryAfter = 3 * time.Second
	}))
	var held []func()
	for range 2 {
		conn, _ := slowPost(t, h.addr(), "/vitals", 1000, "{")
		held = append(held, func() { conn.Close() })
	}
	require.Eventually(t, func() bool { return h.rcv.inFlight.n.Load() == 2 }, 5*time.Second, 10*time.Millisecond)

	resp := h.post("/vitals", []byte(lcpBeacon), "Content-Type", "text/plain")
	assert.Equal(t, http.StatusTooManyRequests, resp.StatusCode)
	assert.Equal(t, "3", resp.Header.Get("Retry-After"))
	resp = h.post("/v1/logs", []byte(`{}`), "Content-Type", "application/json")
	assert.Equal(t, http.StatusServiceUnavailable, resp.StatusCode)
	h.assertRefused(map[string]int64{reasonOverloaded: 2})

	for _, release := range held {
		release()
	}
	require.Eventually(t, func() bool { return h.rcv.inFlight.n.Load() == 0 }, 5*time.Second, 10*time.Millisecond,
		"a request whose client went away frees its slot")
	resp = h.post("/vitals", []byte(lcpBeacon), "Content-Type", "text/plain")
	assert.Equal(t, http.StatusAccepted, resp.StatusCode)
}

// TestOverloadRefusalIsNotHeldByItsBody: a request refused for overload is answered once
// net/http has discarded its body; a body that trickles in is cut off by min_body_rate
// rather than keeping the answer and the connection until read_timeout.
func TestOverloadRefusalIsNotHeldByItsBody(t *testing.T) {
	const grace = 300 * time.Millisecond
	h := startHarness(t, withMinBodyRate(1000, grace), withConfig(func(c *Config) {
		c.MaxConcurrentRequests = 1
	}))
	holder, _ := slowPost(t, h.addr(), "/vitals", 1000, "{")
	require.Eventually(t, func() bool { return h.rcv.inFlight.n.Load() == 1 }, 5*time.Second, 10*time.Millisecond)
	// Keep the holder above the rate, so that it holds the only slot for the whole test.
	stop := make(chan struct{})
	defer close(stop)
	go func() {
		for {
			select {
			case <-stop:
				return
			case <-time.After(50 * time.Millisecond):
				if _, err := holder.Write([]byte(strings.Repeat(" ", 100))); err != nil {
					return
				}
			}
		}
	}()

	refused, br := slowPost(t, h.addr(), "/vitals", 1000, "{")
	start := time.Now()
	require.NoError(t, refused.SetReadDeadline(time.Now().Add(grace+10*time.Second)))
	resp, at := readStatus(t, br)
	assert.Equal(t, http.StatusTooManyRequests, resp.StatusCode)
	assert.Less(t, at.Sub(start), grace+10*time.Second)
	assert.True(t, resp.Close, "the rest of the body never came: the connection is not kept")
}

func TestInFlightNeverPassesItsMax(t *testing.T) {
	f := inFlight{max: 3}
	for i := range 3 {
		require.True(t, f.tryAcquire(), "slot "+strconv.Itoa(i))
	}
	assert.False(t, f.tryAcquire())
	assert.EqualValues(t, 3, f.n.Load(), "a refused acquire gives its count back")
	f.release()
	assert.True(t, f.tryAcquire())
}
