// Copyright The otelcol-rum Authors
// SPDX-License-Identifier: Apache-2.0

package rumreceiver // import "github.com/otelcol-rum/otelcol-rum/receiver/rumreceiver"

import (
	"context"
	"fmt"
	"net/http"
	"time"

	"go.opentelemetry.io/collector/consumer/consumererror"

	"github.com/otelcol-rum/otelcol-rum/receiver/rumreceiver/internal/normalize"
)

// signals is a set of the signals of one request; each goes to its own pipeline.
type signals uint8

const (
	signalTraces signals = 1 << iota
	signalLogs
	signalMetrics
)

// forwardOrder is the order in which a request's signals go on.
var forwardOrder = [...]signals{signalTraces, signalLogs, signalMetrics}

// Back-off between offers of the rest of a request: short at first, since the usual
// refusal (memory_limiter) clears with the next garbage collection.
const (
	restFirstBackoff = 10 * time.Millisecond
	restMaxBackoff   = 500 * time.Millisecond
)

// forward hands a request's signals to their pipelines, whole or not at all: a request
// whose first call is refused is refused whole, and the client sends it again. Once one
// call went on, refusing the request would make the client send that data twice, so the
// rest is offered again, with back-off, for up to retry_after. If the pipelines still
// refuse, the request is refused, and how far it went is remembered by the request's
// content: the client's retry of the same request forwards only the rest. A signal is one
// call, or with session_metadata one call per session (sessionparts.go). It returns the
// number of items accepted.
func (r *rumReceiver) forward(ctx context.Context, rq *request, res *normalize.Result) (int, error) {
	done := r.partials.take(rq, r.now())
	if done.any() {
		r.countPartial(ctx, partialResumed)
	}
	offeredAgain := false
	accepted := 0
	for _, s := range forwardOrder {
		n := r.itemsFor(s, res)
		if n == 0 {
			continue
		}
		if done.signals&s != 0 {
			accepted += n
			continue
		}
		offerRest := done.any()
		again, parts, err := r.forwardSignal(ctx, rq.format, s, n, res, offerRest, done.parts)
		offeredAgain = offeredAgain || again
		if err != nil {
			if (offerRest || parts > 0) && !consumererror.IsPermanent(err) {
				r.partials.remember(rq, progress{signals: done.signals, parts: parts}, r.now())
				r.countPartial(ctx, partialRefused)
			}
			return accepted, err
		}
		done = progress{signals: done.signals | s}
		accepted += n
	}
	if offeredAgain {
		r.countPartial(ctx, partialCompleted)
	}
	return accepted, nil
}

// itemsFor is the number of items of signal s to forward: 0 when there are none or when
// no pipeline takes the signal.
func (r *rumReceiver) itemsFor(s signals, res *normalize.Result) int {
	switch {
	case s == signalTraces && r.nextTraces != nil:
		return res.Traces.SpanCount()
	case s == signalLogs && r.nextLogs != nil:
		return res.Logs.LogRecordCount()
	case s == signalMetrics && r.nextMetrics != nil:
		return res.Metrics.DataPointCount()
	}
	return 0
}

// forwardSignal sends one signal, observed as one receiver operation however many calls
// and offers it takes, from its call number from on (the calls before went on in an
// earlier attempt of the request). With offerRest, and for every call after the first, a
// refusal that may pass is offered again until retry_after, the client goes away or the
// receiver shuts down; offeredAgain says whether it was. sent is the number of the
// signal's calls that went on, counting the earlier ones.
func (r *rumReceiver) forwardSignal(ctx context.Context, format string, s signals, n int, res *normalize.Result, offerRest bool, from int) (offeredAgain bool, sent int, err error) {
	opCtx := r.startOp(ctx, s)
	var one [1]sessionPart
	parts := r.sessionParts(opCtx, s, res, &one)
	for sent = from; sent < len(parts); sent++ {
		p := &parts[sent]
		err = r.consumeSignal(p.ctx, s, &p.res)
		if err != nil && (offerRest || sent > from) && !consumererror.IsPermanent(err) {
			offeredAgain = true
			err = r.offerAgain(p.ctx, s, &p.res, err)
		}
		if err != nil {
			break
		}
	}
	r.endOp(opCtx, s, format, n, err)
	return offeredAgain, sent, err
}

func (r *rumReceiver) consumeSignal(ctx context.Context, s signals, res *normalize.Result) error {
	switch s {
	case signalTraces:
		return r.nextTraces.ConsumeTraces(ctx, res.Traces)
	case signalLogs:
		return r.nextLogs.ConsumeLogs(ctx, res.Logs)
	default:
		return r.nextMetrics.ConsumeMetrics(ctx, res.Metrics)
	}
}

// offerAgain repeats the refused offer of s with back-off and returns the last answer.
func (r *rumReceiver) offerAgain(ctx context.Context, s signals, res *normalize.Result, err error) error {
	giveUp := time.NewTimer(r.cfg.RetryAfter)
	defer giveUp.Stop()
	backoff := restFirstBackoff
	for {
		wait := time.NewTimer(backoff)
		select {
		case <-wait.C:
		case <-giveUp.C:
			wait.Stop()
			return err
		case <-ctx.Done():
			wait.Stop()
			return err
		case <-r.stopping:
			wait.Stop()
			return err
		}
		if err = r.consumeSignal(ctx, s, res); err == nil || consumererror.IsPermanent(err) {
			return err
		}
		backoff = min(2*backoff, restMaxBackoff)
	}
}

func (r *rumReceiver) startOp(ctx context.Context, s signals) context.Context {
	switch s {
	case signalTraces:
		return r.obsrep.StartTracesOp(ctx)
	case signalLogs:
		return r.obsrep.StartLogsOp(ctx)
	default:
		return r.obsrep.StartMetricsOp(ctx)
	}
}

func (r *rumReceiver) endOp(ctx context.Context, s signals, format string, n int, err error) {
	switch s {
	case signalTraces:
		r.obsrep.EndTracesOp(ctx, format, n, err)
	case signalLogs:
		r.obsrep.EndLogsOp(ctx, format, n, err)
	default:
		r.obsrep.EndMetricsOp(ctx, format, n, err)
	}
}

// refuseDownstream maps a pipeline refusal to what the SDKs understand: a permanent error
// means the data will never be accepted (400); anything else is back-pressure, answered
// with Retry-After.
func (r *rumReceiver) refuseDownstream(w http.ResponseWriter, req *http.Request, format string, err error) {
	if consumererror.IsPermanent(err) {
		r.refuse(w, req, format, http.StatusBadRequest, reasonDownstreamPermanent, fmt.Errorf("data rejected by the pipeline: %w", err))
		return
	}
	r.refuseRetry(w, req, format, retryStatus(format), reasonDownstreamRetryable, r.cfg.RetryAfter, fmt.Errorf("the collector is busy, retry later: %w", err))
}

// retryStatus is the answer that makes each SDK back off and retry: 429 for Faro and
// beacons (Faro backs off only on 429), 503 for OTLP exporters (as the OTLP specification
// asks).
func retryStatus(format string) int {
	if format == formatOTLP {
		return http.StatusServiceUnavailable
	}
	return http.StatusTooManyRequests
}
