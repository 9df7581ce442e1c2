// Copyright The otelcol-rum Authors
// SPDX-License-Identifier: Apache-2.0

package rumreceiver // import "github.com/otelcol-rum/otelcol-rum/receiver/rumreceiver"

import (
	"errors"
	"net/http"
	"sync/atomic"
)

// inFlight counts the requests being handled, so that their number, and with
// max_request_body_size the memory they hold, stays bounded whatever clients do.
type inFlight struct {
	n   atomic.Int64
	max int64
}

func (f *inFlight) tryAcquire() bool {
	if f.n.Add(1) > f.max {
		f.n.Add(-1)
		return false
	}
	return true
}

func (f *inFlight) release() { f.n.Add(-1) }

// refuseOverloaded refuses a request, before reading its body, when
// max_concurrent_requests are already in progress. Refusing costs next to nothing;
// queueing would hold the connection and its memory, which is what a flood of slow
// requests wants.
func (r *rumReceiver) refuseOverloaded(w http.ResponseWriter, req *http.Request) {
	format := formatOf(req)
	r.refuseRetry(w, req, format, retryStatus(format), reasonOverloaded, r.cfg.RetryAfter,
		errors.New("too many requests in progress (max_concurrent_requests), retry later"))
}
