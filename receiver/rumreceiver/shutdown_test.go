// Copyright The otelcol-rum Authors
// SPDX-License-Identifier: Apache-2.0

package rumreceiver

import (
	"bytes"
	"context"
	"net"
	"net/http"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"go.opentelemetry.io/collector/consumer"
	"go.opentelemetry.io/collector/consumer/consumertest"
	"go.opentelemetry.io/collector/pdata/plog"
)

// blockingLogs holds every batch until release is closed, as a stopped batch processor
// does forever; entered is signalled when a batch arrives.
func blockingLogs(t *testing.T, sink *consumertest.LogsSink, release <-chan struct{}) (consumer.Logs, <-chan struct{}) {
	entered := make(chan struct{}, 16)
	c, err := consumer.NewLogs(func(ctx context.Context, ld plog.Logs) error {
		entered <- struct{}{}
		<-release
		return sink.ConsumeLogs(ctx, ld)
	})
	require.NoError(t, err)
	return c, entered
}

// postAsync sends a beacon in the background and reports its status (0: no answer).
func postAsync(url string) <-chan int {
	status := make(chan int, 1)
	go func() {
		client := &http.Client{Timeout: 20 * time.Second}
		resp, err := client.Post(url+"/vitals", "text/plain", bytes.NewReader([]byte(lcpBeacon)))
		if err != nil {
			status <- 0
			return
		}
		resp.Body.Close()
		status <- resp.StatusCode
	}()
	return status
}

// TestFirstPipelineShutdownStopsAcceptingAndDrains: the receiver stops at the first of
// its pipelines' Shutdown. A request in flight finishes and is answered; a new connection
// is refused from then on.
func TestFirstPipelineShutdownStopsAcceptingAndDrains(t *testing.T) {
	sink := new(consumertest.LogsSink)
	release := make(chan struct{})
	logs, entered := blockingLogs(t, sink, release)
	h := startHarness(t, withLogsConsumer(logs))

	status := postAsync(h.url)
	<-entered
	stopped := make(chan error, 1)
	go func() { stopped <- h.shutdownNext(context.Background()) }()
	require.Eventually(t, func() bool {
		conn, err := net.DialTimeout("tcp", h.addr(), time.Second)
		if err == nil {
			_ = conn.Close()
		}
		return err != nil
	}, 5*time.Second, 10*time.Millisecond, "new connections are refused once the first pipeline shut down")
	select {
	case err := <-stopped:
		t.Fatalf("shutdown returned (error: %v) while a request was in flight", err)
	default:
	}

	close(release)
	assert.Equal(t, http.StatusAccepted, <-status, "the request in flight is answered")
	require.NoError(t, <-stopped)
	assert.Equal(t, 1, sink.LogRecordCount())
}

// TestShutdownEndsWithinDrainTimeoutWhenDownstreamHangs: the component behind the
// receiver never returns. Shutdown still ends soon after drain_timeout; the client is not
// told its data was accepted.
func TestShutdownEndsWithinDrainTimeoutWhenDownstreamHangs(t *testing.T) {
	const drain = 300 * time.Millisecond
	sink := new(consumertest.LogsSink)
	release := make(chan struct{})
	t.Cleanup(func() { close(release) })
	logs, entered := blockingLogs(t, sink, release)
	h := startHarness(t, withLogsConsumer(logs), withConfig(func(c *Config) { c.DrainTimeout = drain }))

	status := postAsync(h.url)
	<-entered
	start := time.Now()
	require.NoError(t, h.shutdownNext(context.Background()))
	took := time.Since(start)
	assert.GreaterOrEqual(t, took, drain, "it waited for the request")
	assert.Less(t, took, drain+3*time.Second, "but not for ever")
	assert.Zero(t, <-status, "the request got no answer, so its client sends it again")
}

// TestShutdownHonoursAnEarlierDeadline: the collector's own shutdown deadline wins when it
// is shorter than drain_timeout.
func TestShutdownHonoursAnEarlierDeadline(t *testing.T) {
	sink := new(consumertest.LogsSink)
	release := make(chan struct{})
	t.Cleanup(func() { close(release) })
	logs, entered := blockingLogs(t, sink, release)
	h := startHarness(t, withLogsConsumer(logs), withConfig(func(c *Config) { c.DrainTimeout = time.Minute }))

	status := postAsync(h.url)
	<-entered
	ctx, cancel := context.WithTimeout(context.Background(), 200*time.Millisecond)
	defer cancel()
	start := time.Now()
	require.NoError(t, h.shutdownNext(ctx))
	assert.Less(t, time.Since(start), 5*time.Second)
	assert.Zero(t, <-status)
}

// TestAnswerOfASlowBodyIsNotCutOffByTheDefaultWriteTimeout: net/http's write deadline
// counts from the request's headers. A body that takes nearly read_timeout, followed by
// offers of its rest for up to retry_after, must still be answered: an answer cut off
// after its data went on makes the client send that data again. The default write_timeout
// leaves room for both (scaled down here).
func TestAnswerOfASlowBodyIsNotCutOffByTheDefaultWriteTimeout(t *testing.T) {
	const scale = 10 // 30s read_timeout, 5s retry_after -> 3s, 500ms
	// Five refusals: the rest goes on at the last offer within retry_after, 310 ms in.
	metrics := newRefusingMetrics(5)
	h := startHarness(t, withMetricsConsumer(metrics), withMinBodyRate(0, 0), withConfig(func(c *Config) {
		c.ReadTimeout /= scale
		c.RetryAfter /= scale
		c.WriteTimeout /= scale
	}))
	conn, br := slowPost(t, h.addr(), "/collect", len(smallFaro), "")
	time.Sleep(h.rcv.cfg.ReadTimeout * 92 / 100)
	_, err := conn.Write([]byte(smallFaro))
	require.NoError(t, err)
	resp, err := http.ReadResponse(br, nil)
	require.NoError(t, err, "the request was answered")
	resp.Body.Close()
	assert.Equal(t, http.StatusAccepted, resp.StatusCode)
	assert.Equal(t, 1, metrics.DataPointCount())
}
