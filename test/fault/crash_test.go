// Copyright The otelcol-rum Authors
// SPDX-License-Identifier: Apache-2.0

//go:build faults

package fault

import (
	"context"
	"fmt"
	"os"
	"slices"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/otelcol-rum/otelcol-rum/test/internal/harness"
)

const (
	// crashSessions start one after the other over crashSpread, each sending a request
	// about every crashBeaconEvery, until crashContinue after the restart.
	crashSessions    = 200
	crashSpread      = 20 * time.Second
	crashBeaconEvery = time.Second
	crashContinue    = 5 * time.Second
	// checkpointInterval is the session processor's default checkpoint_interval: how old
	// the state on disk may be when the process dies. The shipped configuration keeps the
	// default.
	checkpointInterval = time.Second
	// killMargin covers what a kill at a random moment adds to that: the checkpoint is
	// written on the processor's check ticker (check_interval, 1s) and the write itself
	// takes time, so the newest state on disk can be up to about a second older still.
	killMargin = time.Second
	// splitBoundWindow: a session may split only if it started this close to the kill.
	splitBoundWindow = checkpointInterval + killMargin
)

// crashSession is one simulated browser session: what it sent, and when it was answered.
type crashSession struct {
	id       string
	faro     bool // Faro batches, or web-vitals beacons
	firstAck time.Time
	// lastAckBeforeKill is the newest activity the collector acknowledged before it died.
	lastAckBeforeKill time.Time
}

// TestKillNineSplitsFewSessions: sessions start throughout ~20s, each sending about every
// second; the collector is killed with SIGKILL (an OOM kill, a node loss), started again on
// the same storage, and every session goes on for a few seconds. A session whose state did
// not make it to disk starts again: two session.start events for one session.id. At most
// the sessions that started within splitBoundWindow of the kill may split. The state on
// disk at the kill is also read back (a copy, ended at once by a short inactivity timeout)
// to measure how many seconds of each session were lost.
func TestKillNineSplitsFewSessions(t *testing.T) {
	sink := harness.StartSink(t, false)
	spec := newCollectorSpec(t, shippedConfig, sink.URL())
	templates, ids := harness.LoadTemplates(t), harness.NewIDs()
	faroTemplates, beaconTemplates := byFormat(templates)
	col := spec.start(t)
	client := spec.client(t, crashSessions)

	var mu sync.Mutex // guards the sessions' times and killed
	var killed time.Time
	sessions := make([]*crashSession, crashSessions)
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	var wg sync.WaitGroup
	began := time.Now()
	for i := range sessions {
		s := &crashSession{id: ids.Session(), faro: i%2 == 0}
		sessions[i] = s
		own := beaconTemplates
		if s.faro {
			own = faroTemplates
		}
		startAt := began.Add(time.Duration(i) * crashSpread / crashSessions)
		wg.Go(func() {
			time.Sleep(time.Until(startAt))
			for n := 0; ctx.Err() == nil; n++ {
				o := client.Post(ctx, own[n%len(own)].Render(ids, s.id, time.Now()))
				if o.Acked() {
					mu.Lock()
					if s.firstAck.IsZero() {
						s.firstAck = o.Done
					}
					if killed.IsZero() {
						s.lastAckBeforeKill = o.Done
					}
					mu.Unlock()
				}
				select {
				case <-ctx.Done():
				case <-time.After(crashBeaconEvery):
				}
			}
		})
	}

	time.Sleep(time.Until(began.Add(crashSpread)))
	col.Kill()
	mu.Lock()
	killed = time.Now()
	mu.Unlock()
	// What was on disk at the kill, for the forensic run below.
	atKill := t.TempDir()
	require.NoError(t, os.CopyFS(atKill, os.DirFS(spec.storageDir)))

	col = spec.start(t)
	t.Logf("SIGKILL %s after the first session began; restarted after %s", killed.Sub(began).Round(time.Millisecond), time.Since(killed).Round(time.Millisecond))
	time.Sleep(crashContinue)
	cancel()
	wg.Wait()
	waitStarts(t, sink, sessions)
	assert.NoError(t, col.Stop(t), "the restarted collector exits cleanly")

	// A session may split only if it was first acknowledged within splitBoundWindow of the
	// kill: each split session is checked, not their number, so that an old session that
	// split does not pass for one of the young ones that did not.
	var split, bound, outOfBound []string
	mu.Lock()
	defer mu.Unlock()
	sink.Read(func(ix *harness.Index) {
		for _, s := range sessions {
			acked := !s.firstAck.IsZero()
			young := acked && s.firstAck.After(killed.Add(-splitBoundWindow))
			if young {
				bound = append(bound, s.id)
			}
			if len(distinct(ix.Starts[s.id])) > 1 {
				split = append(split, s.id)
				if acked && !young {
					outOfBound = append(outOfBound, fmt.Sprintf("%s (first acknowledged %s before the kill)", s.id, killed.Sub(s.firstAck).Round(10*time.Millisecond)))
				}
			}
		}
	})
	lost := stateLostAtKill(t, atKill, sessions, killed)
	t.Logf("%d of %d sessions split after kill -9; bound: %d (sessions first acknowledged within %s of the kill)", len(split), crashSessions, len(bound), splitBoundWindow)
	t.Logf("state lost: %s", lost)
	assert.Empty(t, outOfBound,
		"%d of the %d sessions that split after kill -9 were first acknowledged more than %s before it (checkpoint_interval %s + %s margin): their state should have been on disk; first 10: %v",
		len(outOfBound), len(split), splitBoundWindow, checkpointInterval, killMargin, outOfBound[:min(10, len(outOfBound))])
}

// byFormat splits the templates into Faro batches and beacons.
func byFormat(templates []*harness.Template) (faro, beacons []*harness.Template) {
	for _, tp := range templates {
		if tp.Format == harness.FormatFaro {
			faro = append(faro, tp)
		} else {
			beacons = append(beacons, tp)
		}
	}
	return faro, beacons
}

// waitStarts waits until every session that was acknowledged has its session.start at
// the sink and no new one came for a second: the disk queue is drained.
func waitStarts(t *testing.T, sink *harness.Sink, sessions []*crashSession) {
	t.Helper()
	deadline := time.Now().Add(30 * time.Second)
	last, stableSince := -1, time.Now()
	var missing []string
	for time.Now().Before(deadline) {
		total := 0
		missing = missing[:0]
		sink.Read(func(ix *harness.Index) {
			for _, s := range sessions {
				n := len(ix.Starts[s.id])
				total += n
				if n == 0 && !s.firstAck.IsZero() {
					missing = append(missing, s.id)
				}
			}
		})
		if total != last {
			last, stableSince = total, time.Now()
		}
		if len(missing) == 0 && time.Since(stableSince) > time.Second {
			return
		}
		time.Sleep(100 * time.Millisecond)
	}
	if len(missing) > 0 {
		t.Errorf("%d acknowledged sessions have no session.start at the sink after 30s; first 10: %v", len(missing), missing[:min(10, len(missing))])
		return
	}
	t.Errorf("session.start events still arriving after 30s (%d so far)", last)
}

// distinct drops repeated timestamps: a session.start delivered twice by the disk queue
// is one start, a session that started again has a later one.
func distinct(ts []int64) []int64 {
	s := slices.Clone(ts)
	slices.Sort(s)
	return slices.Compact(s)
}

// lossReport says how much session state a kill lost.
type lossReport struct {
	restored, notRestored int
	// lost is, per restored session, the activity acknowledged before the kill that the
	// restored state did not know.
	lost          []time.Duration
	checkpointAge time.Duration // the kill's time minus the newest activity on disk
}

func (r lossReport) String() string {
	if len(r.lost) == 0 {
		return fmt.Sprintf("no session restored (%d were open at the kill)", r.notRestored)
	}
	return fmt.Sprintf("%d sessions restored from disk, %d not (all their state lost); of the restored, activity lost: median %s, max %s; the state on disk was %s old at the kill",
		r.restored, r.notRestored, median(r.lost).Round(10*time.Millisecond), slices.Max(r.lost).Round(10*time.Millisecond), r.checkpointAge.Round(10*time.Millisecond))
}

// stateLostAtKill starts a collector on a copy of the storage as it was at the kill, with an
// inactivity timeout so short that every restored session ends at once: its session.end
// carries the last activity the restored state knew.
func stateLostAtKill(t *testing.T, storage string, sessions []*crashSession, killed time.Time) lossReport {
	sink := harness.StartSink(t, false)
	spec := newCollectorSpec(t, shippedConfig, sink.URL(), "processors:\n  session:\n    inactivity_timeout: 1s\n")
	spec.storageDir = storage
	col := spec.start(t)
	// The first check ends the restored sessions; wait until no more session.end arrive.
	time.Sleep(3 * time.Second)
	ends := map[string]int64{}
	deadline := time.Now().Add(30 * time.Second)
	for last := -1; len(ends) != last && time.Now().Before(deadline); time.Sleep(time.Second) {
		last = len(ends)
		sink.Read(func(ix *harness.Index) {
			for id, ts := range ix.Ends {
				ends[id] = slices.Max(ts)
			}
		})
	}
	assert.NoError(t, col.Stop(t), "the forensic collector exits cleanly")

	var r lossReport
	var newest int64
	for _, s := range sessions {
		if s.firstAck.IsZero() || s.firstAck.After(killed) {
			continue // not open at the kill
		}
		end, ok := ends[s.id]
		if !ok {
			r.notRestored++
			continue
		}
		r.restored++
		newest = max(newest, end)
		r.lost = append(r.lost, max(0, s.lastAckBeforeKill.Sub(time.Unix(0, end))))
	}
	if newest > 0 {
		r.checkpointAge = killed.Sub(time.Unix(0, newest))
	}
	return r
}
