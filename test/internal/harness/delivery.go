// Copyright The otelcol-rum Authors
// SPDX-License-Identifier: Apache-2.0

package harness // import "github.com/otelcol-rum/otelcol-rum/test/internal/harness"

import (
	"context"
	"fmt"
	"maps"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
)

// Expectation is what one request of each template leaves at the sink when nothing goes
// wrong, by template name.
type Expectation map[string]Counts

// Calibrate sends every template once, each as a session of its own, and waits until the
// sink has records of each and no more arrive: how many records of each kind a request
// of a template makes depends on the receiver and the processors, which the tests do
// not hard-code. The calibration also checks that every measurement id arrived.
func Calibrate(t testing.TB, c *Client, sink *Sink, templates []*Template, ids *IDs) Expectation {
	t.Helper()
	var sent []*Request
	for _, tp := range templates {
		r := tp.Render(ids, ids.Session(), time.Now())
		o := c.Post(context.Background(), r)
		require.True(t, o.Acked(), "calibration request %s: status %d, %v", tp.Name, o.Status, o.Err)
		sent = append(sent, r)
	}
	exp := Expectation{}
	var last Expectation
	stableSince := time.Now()
	deadline := time.Now().Add(30 * time.Second)
	for {
		complete := true
		sink.Read(func(ix *Index) {
			for _, r := range sent {
				got := ix.Records[r.SessionID]
				exp[r.Template.Name] = got
				if got.Total() == 0 {
					complete = false
				}
				for _, id := range r.VitalIDs {
					if ix.Vitals[id] == 0 {
						complete = false
					}
				}
			}
		})
		if !maps.Equal(exp, last) {
			stableSince = time.Now()
			last = maps.Clone(exp)
		}
		// The exporters batch for 200 ms: a second without change means all arrived.
		if complete && time.Since(stableSince) > time.Second {
			return exp
		}
		require.False(t, time.Now().After(deadline), "calibration: the sink did not receive every template's records in 30s: %v", exp)
		time.Sleep(100 * time.Millisecond)
	}
}

// Delivery compares what a test's requests were answered with what reached the sink.
// Each request must be a session of its own, so that a session's records are the
// request's.
type Delivery struct {
	Acked, Refused, Unanswered int
	// Lost are the sessions of acknowledged requests of which nothing arrived; Partial
	// those of which something is missing.
	Lost, Partial []string
	// Duplicates counts records of acknowledged requests that arrived more often than sent.
	Duplicates int
	// MissingVitals are measurement ids of acknowledged requests that never arrived;
	// DuplicateVitals counts the extra arrivals of measurement ids.
	MissingVitals   []string
	DuplicateVitals int
	// RefusedButForwarded counts requests answered with an error status of which records
	// reached the sink anyway (a client that retries them duplicates those records).
	RefusedButForwarded int
	// UnansweredButForwarded counts requests without an answer of which records arrived:
	// allowed, the collector may have taken them in before the connection broke.
	UnansweredButForwarded int
}

// CheckDelivery builds the Delivery of outcomes from the sink's index.
func CheckDelivery(outcomes []Outcome, sink *Sink, exp Expectation) Delivery {
	var d Delivery
	sink.Read(func(ix *Index) {
		for _, o := range outcomes {
			got := ix.Records[o.Req.SessionID]
			switch {
			case o.Acked():
				d.Acked++
				d.checkAcked(o.Req, got, exp[o.Req.Template.Name], ix)
			case o.Status != 0:
				d.Refused++
				if got.Total() > 0 {
					d.RefusedButForwarded++
				}
			default:
				d.Unanswered++
				if got.Total() > 0 {
					d.UnansweredButForwarded++
				}
			}
		}
	})
	return d
}

func (d *Delivery) checkAcked(r *Request, got, want Counts, ix *Index) {
	switch {
	case got.Total() == 0:
		d.Lost = append(d.Lost, r.SessionID)
	case got.Spans < want.Spans || got.Logs < want.Logs || got.Points < want.Points:
		d.Partial = append(d.Partial, fmt.Sprintf("%s (%s: got %+v, want %+v)", r.SessionID, r.Template.Name, got, want))
	}
	d.Duplicates += max(0, got.Spans-want.Spans) + max(0, got.Logs-want.Logs) + max(0, got.Points-want.Points)
	for _, id := range r.VitalIDs {
		switch n := ix.Vitals[id]; {
		case n == 0:
			d.MissingVitals = append(d.MissingVitals, id)
		case n > 1:
			d.DuplicateVitals += n - 1
		}
	}
}

// Complete reports whether every acknowledged record arrived.
func (d Delivery) Complete() bool {
	return len(d.Lost) == 0 && len(d.Partial) == 0 && len(d.MissingVitals) == 0
}

// String says what happened, with the first ids of each kind of loss.
func (d Delivery) String() string {
	var b strings.Builder
	fmt.Fprintf(&b, "%d requests acknowledged, %d refused, %d unanswered; of the acknowledged: %d lost whole, %d in part, %d measurement ids missing; %d duplicate records, %d duplicate measurement ids; %d refused and %d unanswered requests reached the sink anyway",
		d.Acked, d.Refused, d.Unanswered, len(d.Lost), len(d.Partial), len(d.MissingVitals), d.Duplicates, d.DuplicateVitals, d.RefusedButForwarded, d.UnansweredButForwarded)
	for _, l := range []struct {
		what string
		ids  []string
	}{{"lost sessions", d.Lost}, {"partly lost", d.Partial}, {"missing measurement ids", d.MissingVitals}} {
		if len(l.ids) > 0 {
			fmt.Fprintf(&b, "\n  %s (first 10 of %d): %s", l.what, len(l.ids), strings.Join(l.ids[:min(10, len(l.ids))], ", "))
		}
	}
	return b.String()
}

// WaitDelivered checks the delivery until it is complete or timeout has passed, and
// returns the last check.
func WaitDelivered(outcomes []Outcome, sink *Sink, exp Expectation, timeout time.Duration) Delivery {
	deadline := time.Now().Add(timeout)
	for {
		d := CheckDelivery(outcomes, sink, exp)
		if d.Complete() || time.Now().After(deadline) {
			return d
		}
		time.Sleep(250 * time.Millisecond)
	}
}

// Statuses counts outcomes by status ("0" for no answer) and names the error of the
// first unanswered one, for failure messages.
func Statuses(outcomes []Outcome) string {
	counts := map[int]int{}
	var firstErr error
	for _, o := range outcomes {
		counts[o.Status]++
		if firstErr == nil && o.Status == 0 {
			firstErr = o.Err
		}
	}
	var parts []string
	for _, s := range slices.Sorted(maps.Keys(counts)) {
		parts = append(parts, fmt.Sprintf("%d: %d", s, counts[s]))
	}
	out := strings.Join(parts, ", ")
	if firstErr != nil {
		out += fmt.Sprintf(" (first unanswered: %v)", firstErr)
	}
	return out
}
