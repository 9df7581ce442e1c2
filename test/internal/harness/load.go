// Copyright The otelcol-rum Authors
// SPDX-License-Identifier: Apache-2.0

package harness // import "github.com/otelcol-rum/otelcol-rum/test/internal/harness"

import (
	"context"
	"sync"
	"sync/atomic"
	"time"
)

// refusedPause is how long a sender waits after a request was not acknowledged (no
// answer while the collector stops, or a 429/503), so that it does not spin on
// connection refused or on the per-app rate limit. Browsers wait far longer (Retry-After);
// a short pause keeps the pressure on.
const refusedPause = 50 * time.Millisecond

// RoundRobin returns a function that renders the templates in turn, each request a new
// session: the way the delivery checks tell requests apart.
func RoundRobin(templates []*Template, ids *IDs) func() *Request {
	var n atomic.Uint64
	return func() *Request {
		tp := templates[(n.Add(1)-1)%uint64(len(templates))]
		return tp.Render(ids, ids.Session(), time.Now())
	}
}

// Senders posts requests made by next from n goroutines, each as soon as the previous
// one was acknowledged, until ctx is done; every outcome goes to ledger.
type Senders struct {
	wg sync.WaitGroup
}

// StartSenders starts n senders.
func StartSenders(ctx context.Context, n int, c *Client, next func() *Request, ledger *Ledger) *Senders {
	s := &Senders{}
	for range n {
		s.wg.Go(func() {
			for ctx.Err() == nil {
				o := c.Post(ctx, next())
				ledger.Add(o)
				if !o.Acked() {
					select {
					case <-ctx.Done():
					case <-time.After(refusedPause):
					}
				}
			}
		})
	}
	return s
}

// Wait blocks until every sender has stopped.
func (s *Senders) Wait() { s.wg.Wait() }
