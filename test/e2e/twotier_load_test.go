// Copyright The otelcol-rum Authors
// SPDX-License-Identifier: Apache-2.0

//go:build e2e

package e2e

import (
	"context"
	"sync"
	"testing"
	"time"

	"github.com/otelcol-rum/otelcol-rum/test/internal/harness"
)

// The load of a two-tier run: browser sessions replayed from the real SDK captures, each
// its own session id and trace ids, its requests sent one after the other at a browser's
// pace and alternately to the two intake collectors, as a load balancer in front of the
// intake tier would spread them.

// tierScenarios are the SDK sessions the load replays in turn: Faro (two page views),
// the OpenTelemetry JS web SDK (OTLP JSON traces and logs, one page view) and web-vitals
// beacons alone.
var tierScenarios = []string{"faro", "otel", "vitals"}

// loadPlan says how the sessions are spread in time.
type loadPlan struct {
	sessions int
	// stagger is the time between the starts of two sessions, gap between two requests
	// of one session.
	stagger, gap time.Duration
}

// tierSession is one replayed session and what became of its requests.
type tierSession struct {
	id       string
	scenario harness.Scenario
	// vitals are the measurement ids of its acknowledged requests.
	vitals []string
	// outcomes of its requests, in order; sent[i] went to intake sentTo[i].
	outcomes []harness.Outcome
	sentTo   []int
}

// acked reports whether every request of the session was acknowledged.
func (s *tierSession) acked() bool {
	for _, o := range s.outcomes {
		if !o.Acked() {
			return false
		}
	}
	return len(s.outcomes) == len(s.scenario.Templates)
}

// loadTierScenarios reads the scenarios the load replays.
func loadTierScenarios(t *testing.T) []harness.Scenario {
	var scenarios []harness.Scenario
	for _, name := range tierScenarios {
		scenarios = append(scenarios, harness.LoadScenario(t, name))
	}
	return scenarios
}

// runSessions replays plan.sessions sessions of the scenarios in turn against the
// intakes, and returns once every request was answered (or ctx ended).
func runSessions(ctx context.Context, intakes []*harness.Client, scenarios []harness.Scenario, plan loadPlan) []*tierSession {
	ids := harness.NewIDs()
	sessions := make([]*tierSession, plan.sessions)
	var wg sync.WaitGroup
	start := time.Now()
	for k := range sessions {
		s := &tierSession{id: ids.Session(), scenario: scenarios[k%len(scenarios)]}
		sessions[k] = s
		traces := harness.SessionTraces(uint32(k + 1))
		wg.Go(func() {
			if !sleepCtx(ctx, time.Until(start.Add(time.Duration(k)*plan.stagger))) {
				return
			}
			for i, tp := range s.scenario.Templates {
				if i > 0 && !sleepCtx(ctx, plan.gap) {
					return
				}
				// Alternate the intakes, starting with a different one every other session.
				to := (k + i) % len(intakes)
				r := tp.RenderSession(ids, s.id, traces, time.Now())
				o := intakes[to].Post(ctx, r)
				s.outcomes, s.sentTo = append(s.outcomes, o), append(s.sentTo, to)
				if o.Acked() {
					s.vitals = append(s.vitals, r.VitalIDs...)
				}
			}
		})
	}
	wg.Wait()
	return sessions
}

// sleepCtx sleeps for d and reports whether ctx is still alive.
func sleepCtx(ctx context.Context, d time.Duration) bool {
	if d <= 0 {
		return ctx.Err() == nil
	}
	timer := time.NewTimer(d)
	defer timer.Stop()
	select {
	case <-ctx.Done():
		return false
	case <-timer.C:
		return true
	}
}
