// Copyright The otelcol-rum Authors
// SPDX-License-Identifier: Apache-2.0

package sessionprocessor

import (
	"context"
	"net/http"
	"sync/atomic"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"go.opentelemetry.io/collector/component/componenttest"
	"go.opentelemetry.io/collector/consumer/consumertest"
	"go.opentelemetry.io/collector/pdata/plog"
	"go.opentelemetry.io/collector/processor/processortest"

	"github.com/otelcol-rum/otelcol-rum/internal/sdkcaptures"
	"github.com/otelcol-rum/otelcol-rum/processor/sessionprocessor/internal/store"
)

// TestPanicMidBatchLeavesTheStateUsable makes a batch panic while it holds the session
// state, as a bug or bad data could, and requires the next batch to go through. net/http
// recovers a handler's panic and the collector keeps serving, so a lock left held would
// block every later request. The next batch runs with a deadline: if the lock leaked, the
// test fails instead of hanging.
func TestPanicMidBatchLeavesTheStateUsable(t *testing.T) {
	click := logRecordSpec{event: "click"}
	cases := map[string]struct {
		// arm makes the next call of batch panic inside the locked region.
		arm   func(c *sessionProcessor, clock *fakeClock)
		batch func() plog.Logs
		// startedBeforePanic is a session the batch started before it panicked.
		startedBeforePanic string
	}{
		"clock": {
			arm: func(c *sessionProcessor, clock *fakeClock) {
				var fired atomic.Bool
				c.now = func() time.Time {
					if fired.CompareAndSwap(false, true) {
						panic("clock failed")
					}
					return clock.Now()
				}
			},
			batch: func() plog.Logs { return sessionLogs("s1", click) },
		},
		"read-only data": {
			// A fan-out that hands shared data to a mutating processor: pdata panics.
			batch: func() plog.Logs {
				ld := sessionLogs("s1", click)
				ld.MarkReadOnly()
				return ld
			},
		},
		"second resource": {
			// The first resource starts its session, the second one panics (here, in
			// the sampling decision the store asks for).
			arm: func(c *sessionProcessor, _ *fakeClock) {
				c.store = store.New(store.Limits{InactivityTimeout: c.cfg.InactivityTimeout, MaxDuration: c.cfg.MaxDuration, MaxSessions: c.cfg.MaxSessions},
					func(id string) bool {
						if id == "boom" {
							panic("sampler failed")
						}
						return true
					})
			},
			batch: func() plog.Logs {
				ld := sessionLogs("s1", click)
				sessionLogs("boom", click).ResourceLogs().MoveAndAppendTo(ld.ResourceLogs())
				return ld
			},
			startedBeforePanic: "s1",
		},
	}
	for name, tc := range cases {
		t.Run(name, func(t *testing.T) {
			events := new(consumertest.LogsSink)
			c, err := newSessionProcessor(testConfig(), processortest.NewNopSettings(NewFactory().Type()))
			require.NoError(t, err)
			c.setEventConsumer(events)
			clock := newFakeClock()
			c.now = clock.Now
			if tc.arm != nil {
				tc.arm(c, clock)
			}
			ctx := context.Background()

			require.Panics(t, func() { _, _ = c.processLogs(ctx, tc.batch()) })
			if tc.startedBeforePanic != "" {
				starts := eventsNamed(events, "session.start")
				require.Len(t, starts, 1, "the session started before the panic has its event")
				assert.Equal(t, tc.startedBeforePanic, attr(t, starts[0].Attributes(), "session.id").Str())
			}

			next := make(chan error, 1)
			go func() {
				_, err := c.processLogs(ctx, sessionLogs("s2", click))
				next <- err
			}()
			select {
			case err := <-next:
				require.NoError(t, err)
			case <-time.After(10 * time.Second):
				t.Fatal("the batch after the panic did not finish: the state's lock was left held")
			}
			found := false
			for _, lr := range eventsNamed(events, "session.start") {
				found = found || attr(t, lr.Attributes(), "session.id").Str() == "s2"
			}
			assert.True(t, found, "the batch after the panic started its session")
		})
	}
}

// eventsNamed returns the log records named name that reached sink.
func eventsNamed(sink *consumertest.LogsSink, name string) []plog.LogRecord {
	var out []plog.LogRecord
	for _, ld := range sink.AllLogs() {
		out = append(out, eventsIn(ld, name)...)
	}
	return out
}

// eventsIn returns the log records of ld named name.
func eventsIn(ld plog.Logs, name string) []plog.LogRecord {
	var out []plog.LogRecord
	for _, rl := range ld.ResourceLogs().All() {
		for _, sl := range rl.ScopeLogs().All() {
			for _, lr := range sl.LogRecords().All() {
				if lr.EventName() == name {
					out = append(out, lr)
				}
			}
		}
	}
	return out
}

// panickingLogs is a logs consumer that panics at the first session.end event, as a
// faulty component after the processor in the logs pipeline could.
type panickingLogs struct {
	consumertest.LogsSink
	panicked atomic.Bool
}

func (p *panickingLogs) ConsumeLogs(ctx context.Context, ld plog.Logs) error {
	if len(eventsIn(ld, "session.end")) > 0 && p.panicked.CompareAndSwap(false, true) {
		panic("downstream failed")
	}
	return p.LogsSink.ConsumeLogs(ctx, ld)
}

// TestPanicDownstreamOfTheTickerIsSurvived: the session.end events of the timeout check
// are sent from the processor's own goroutine, where nothing else recovers a panic: one in
// a component after the processor must not take the collector down (and, with storage,
// again at every restart, as the same sessions end again), nor stop the checks.
func TestPanicDownstreamOfTheTickerIsSurvived(t *testing.T) {
	cfg := testConfig()
	cfg.CheckInterval = 10 * time.Millisecond
	c, err := newSessionProcessor(cfg, processortest.NewNopSettings(NewFactory().Type()))
	require.NoError(t, err)
	events := &panickingLogs{}
	c.setEventConsumer(events)
	clock := newFakeClock()
	c.now = clock.Now
	ctx := context.Background()
	require.NoError(t, c.Start(ctx, componenttest.NewNopHost()))
	t.Cleanup(func() { require.NoError(t, c.Shutdown(ctx)) })

	_, err = c.processLogs(ctx, sessionLogs("first", logRecordSpec{event: "click"}))
	require.NoError(t, err)
	clock.Advance(cfg.InactivityTimeout)
	require.Eventually(t, events.panicked.Load, 10*time.Second, 5*time.Millisecond, "the end of first was offered")

	_, err = c.processLogs(ctx, sessionLogs("second", logRecordSpec{event: "click"}))
	require.NoError(t, err)
	clock.Advance(cfg.InactivityTimeout)
	require.Eventually(t, func() bool { return len(eventsNamed(&events.LogsSink, "session.end")) == 1 }, 10*time.Second, 5*time.Millisecond,
		"the checks go on after the panic: second ends")
	assert.Equal(t, "second", attr(t, eventsNamed(&events.LogsSink, "session.end")[0].Attributes(), "session.id").Str())
}

// TestPanicBehindTheReceiverKeepsTheCollectorServing is the fault as a browser sees it:
// the real rum receiver in front of the processor, whose batch panics while it holds the
// session state. That request is answered 500 (the receiver recovers), and the next
// requests are served, through the same state, within a deadline.
func TestPanicBehindTheReceiverKeepsTheCollectorServing(t *testing.T) {
	clock := newFakeClock()
	p := startPipeline(t, testConfig(), clock, nil)
	var fired atomic.Bool
	p.proc.now = func() time.Time {
		if fired.CompareAndSwap(false, true) {
			panic("clock failed")
		}
		return clock.Now()
	}
	url := startReceiver(t, p)
	captures := sdkcaptures.Load(t).Of(t, "faro")

	resp := sdkcaptures.Post(t, url, captures[0])
	assert.Equal(t, http.StatusInternalServerError, resp.StatusCode, "the panicking request is answered")

	done := make(chan struct{})
	go func() {
		defer close(done)
		for _, c := range captures {
			assert.Less(t, sdkcaptures.Post(t, url, c).StatusCode, 300, c.File)
		}
	}()
	select {
	case <-done:
	case <-time.After(30 * time.Second):
		t.Fatal("requests after the panic were not served: the session state stayed locked")
	}
	assert.Len(t, p.events("session.start"), 1, "the session of the replay started once, after the panic")
}
