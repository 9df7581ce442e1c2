// Copyright The otelcol-rum Authors
// SPDX-License-Identifier: Apache-2.0

package harness // import "github.com/otelcol-rum/otelcol-rum/test/internal/harness"

import (
	"bytes"
	"context"
	"io"
	"net/http"
	"sync"
	"time"
)

// RequestTimeout bounds every request a test sends, so that no sender can wait forever
// on a collector that stopped answering.
const RequestTimeout = 10 * time.Second

// Outcome is what became of one request.
type Outcome struct {
	Req *Request
	// Status is the HTTP status; 0 when no answer came (connection refused or reset,
	// timeout): such a request may or may not have been taken in.
	Status int
	Err    error
	// Sent and Done bound the request in time.
	Sent, Done time.Time
}

// Acked reports whether the collector acknowledged the request (2xx): from then on it
// owes its records to the backend.
func (o Outcome) Acked() bool { return o.Status/100 == 2 }

// Client posts rendered requests to a collector's rum receiver.
type Client struct {
	base string
	http *http.Client
}

// NewClient keeps up to conns connections alive to baseURL (http://host:port).
func NewClient(baseURL string, conns int) *Client {
	tr := &http.Transport{MaxIdleConns: conns, MaxIdleConnsPerHost: conns, IdleConnTimeout: 30 * time.Second}
	return &Client{base: baseURL, http: &http.Client{Transport: tr, Timeout: RequestTimeout}}
}

// Close drops the idle connections.
func (c *Client) Close() { c.http.CloseIdleConnections() }

// Post sends r and reads the whole answer: a request counts as acknowledged only once
// its answer arrived complete.
func (c *Client) Post(ctx context.Context, r *Request) (o Outcome) {
	o = Outcome{Req: r, Sent: time.Now()}
	defer func() { o.Done = time.Now() }()
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, c.base+r.target, bytes.NewReader(r.body))
	if err != nil {
		o.Err = err
		return o
	}
	req.Header = r.header.Clone()
	resp, err := c.http.Do(req)
	if err != nil {
		o.Err = err
		return o
	}
	defer resp.Body.Close()
	if _, err := io.Copy(io.Discard, resp.Body); err != nil {
		o.Err = err
		return o
	}
	o.Status = resp.StatusCode
	return o
}

// Ledger records the outcomes of a test's requests, from any number of senders.
type Ledger struct {
	mu       sync.Mutex
	outcomes []Outcome
}

// Add records one outcome.
func (l *Ledger) Add(o Outcome) {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.outcomes = append(l.outcomes, o)
}

// Outcomes returns a copy of what was recorded so far.
func (l *Ledger) Outcomes() []Outcome {
	l.mu.Lock()
	defer l.mu.Unlock()
	return append([]Outcome(nil), l.outcomes...)
}
