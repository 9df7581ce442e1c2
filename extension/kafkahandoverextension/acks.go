// Copyright The otelcol-rum Authors
// SPDX-License-Identifier: Apache-2.0

package kafkahandoverextension // import "github.com/otelcol-rum/otelcol-rum/extension/kafkahandoverextension"

import (
	"sync"

	"github.com/twmb/franz-go/pkg/kgo"
)

// ackCounter collects the outcomes of produced records: all is closed once every record
// has one, and the first error is kept. Its done may be called after nobody waits any
// longer.
type ackCounter struct {
	mu        sync.Mutex
	remaining int
	err       error
	all       chan struct{}
}

func newAckCounter(n int) *ackCounter {
	a := &ackCounter{remaining: n, all: make(chan struct{})}
	if n == 0 {
		close(a.all)
	}
	return a
}

func (a *ackCounter) done(_ *kgo.Record, err error) {
	a.mu.Lock()
	defer a.mu.Unlock()
	if err != nil && a.err == nil {
		a.err = err
	}
	a.remaining--
	if a.remaining == 0 {
		close(a.all)
	}
}

func (a *ackCounter) firstErr() error {
	a.mu.Lock()
	defer a.mu.Unlock()
	return a.err
}
