package rumreceiver // import "github.com/otelcol-rum/otelcol-rum/receiver/rumreceiver"

import (
	"context"
	"fmt"
	"net/http"
	"strings"

	"go.opentelemetry.io/collector/consumer/consumererror"

	"github.com/otelcol-rum/otelcol-rum/receiver/rumreceiver/internal/beacon"
	"github.com/otelcol-rum/otelcol-rum/receiver/rumreceiver/internal/faro"
	"github.com/otelcol-rum/otelcol-rum/receiver/rumreceiver/internal/normalize"
)

// Wire formats, the values of the format attribute of the receiver's telemetry.
const (
	formatFaro      = "faro"
	formatOTLP      = "otlp"
	formatWebVitals = "webvitals"
)

// Paths of DESIGN §2.
const (
	pathFaro        = "/collect"
	pathFaroWithKey = "/collect/{app_key}"
	pathTraces      = "/v1/traces"
	pathLogs        = "/v1/logs"
	pathMetrics     = "/v1/metrics"
	pathVitals      = "/vitals"
)

// Query parameters a web-vitals beacon may carry, since sendBeacon cannot set headers.
const (
	queryVitalsSession = "session_id"
	queryVitalsPage    = "page_url"
	queryVitalsApp     = "app"
	queryVitalsEnv     = "environment"
)

// routes registers the endpoints without a method in the pattern: the handlers answer
// 405 themselves so that the refusal is counted and the body says what to do.
func (r *rumReceiver) routes() http.Handler {
	mux := http.NewServeMux()
	mux.HandleFunc(pathFaro, r.handleFaro)
	mux.HandleFunc(pathFaroWithKey, r.handleFaro)
	mux.HandleFunc(pathVitals, r.handleVitals)
	mux.HandleFunc(pathTraces, r.handleOTLP(otlpTraces))
	mux.HandleFunc(pathLogs, r.handleOTLP(otlpLogs))
	mux.HandleFunc(pathMetrics, r.handleOTLP(otlpMetrics))
	return mux
}

// formatOf names the format of a path, for answers given before a handler runs.
func formatOf(req *http.Request) string {
	switch {
	case strings.HasPrefix(req.URL.Path, "/v1/"):
		return formatOTLP
	case req.URL.Path == pathVitals:
		return formatWebVitals
	}
	return formatFaro
}

func (r *rumReceiver) handleFaro(w http.ResponseWriter, req *http.Request) {
	rq, ok := r.admit(w, req, formatFaro, jsonOrTextTypes)
	if !ok {
		return
	}
	p, err := faro.Decode(rq.body)
	if err != nil {
		r.refuse(w, req, formatFaro, http.StatusBadRequest, reasonMalformed, fmt.Errorf("invalid Faro payload: %w", err))
		return
	}
	// Faro's fetch transport also names the session in a header; the body wins.
	if p.Meta.Session.ID == "" {
		p.Meta.Session.ID = req.Header.Get(headerFaroSessID)
	}
	r.forwardNormalized(w, req, rq, normalize.FromFaro(p, &rq.src, r.set.BuildInfo.Version))
}

func (r *rumReceiver) handleVitals(w http.ResponseWriter, req *http.Request) {
	rq, ok := r.admit(w, req, formatWebVitals, jsonOrTextTypes)
	if !ok {
		return
	}
	b, err := beacon.Decode(rq.body)
	if err != nil {
		r.refuse(w, req, formatWebVitals, http.StatusBadRequest, reasonMalformed, fmt.Errorf("invalid web-vitals beacon: %w", err))
		return
	}
	q := req.URL.Query()
	id := normalize.BeaconIdentity{
		SessionID:   q.Get(queryVitalsSession),
		PageURL:     q.Get(queryVitalsPage),
		AppName:     q.Get(queryVitalsApp),
		Environment: q.Get(queryVitalsEnv),
	}
	if id.PageURL == "" {
		id.PageURL = refererPage(req)
	}
	r.forwardNormalized(w, req, rq, normalize.FromBeacon(b, id, &rq.src, r.set.BuildInfo.Version))
}

// refererPage is the page a beacon came from, by its Referer. Across origins, browsers
// send only the origin (the strict-origin-when-cross-origin default): that names no page,
// and taking it as the home page would file every vital under "/" and keep the session
// processor from giving the vital the page of its page view. So a Referer that is just
// the request's Origin is ignored.
func refererPage(req *http.Request) string {
	ref := req.Referer()
	if origin := req.Header.Get("Origin"); origin != "" && strings.TrimSuffix(ref, "/") == origin {
		return ""
	}
	return ref
}

// forwardNormalized sends a Faro or web-vitals result on and answers 202 with the counts.
func (r *rumReceiver) forwardNormalized(w http.ResponseWriter, req *http.Request, rq *request, res normalize.Result) {
	r.countRejectedItems(req, len(res.Rejected))
	r.countCorrected(req, res.Corrected)
	accepted, err := r.forward(req.Context(), rq.format, res)
	if err != nil {
		r.refuseDownstream(w, req, rq.format, err)
		return
	}
	r.countRequest(req, rq.format)
	writeJSON(w, http.StatusAccepted, acceptedResponse(accepted, res.Rejected))
}

func (r *rumReceiver) countCorrected(req *http.Request, n int) {
	if n > 0 {
		r.telemetry.ReceiverRumTimestampsCorrected.Add(req.Context(), int64(n))
	}
}

// forward hands each non-empty signal to its pipeline and stops at the first refusal, so
// that under pressure the receiver does not keep pushing what the client will resend.
// It returns the number of items accepted.
func (r *rumReceiver) forward(ctx context.Context, format string, res normalize.Result) (int, error) {
	accepted := 0
	if n := res.Traces.SpanCount(); n > 0 && r.nextTraces != nil {
		c := r.obsrep.StartTracesOp(ctx)
		err := r.nextTraces.ConsumeTraces(c, res.Traces)
		r.obsrep.EndTracesOp(c, format, n, err)
		if err != nil {
			return accepted, err
		}
		accepted += n
	}
	if n := res.Logs.LogRecordCount(); n > 0 && r.nextLogs != nil {
		c := r.obsrep.StartLogsOp(ctx)
		err := r.nextLogs.ConsumeLogs(c, res.Logs)
		r.obsrep.EndLogsOp(c, format, n, err)
		if err != nil {
			return accepted, err
		}
		accepted += n
	}
	if n := res.Metrics.DataPointCount(); n > 0 && r.nextMetrics != nil {
		c := r.obsrep.StartMetricsOp(ctx)
		err := r.nextMetrics.ConsumeMetrics(c, res.Metrics)
		r.obsrep.EndMetricsOp(c, format, n, err)
		if err != nil {
			return accepted, err
		}
		accepted += n
	}
	return accepted, nil
}

// refuseDownstream maps a pipeline refusal to what the SDKs understand: a permanent error
// means the data will never be accepted (400); anything else is back-pressure, answered
// with Retry-After as 429 to Faro and beacons (Faro backs off only on 429) and as 503 to
// OTLP exporters (as the OTLP specification asks).
func (r *rumReceiver) refuseDownstream(w http.ResponseWriter, req *http.Request, format string, err error) {
	if consumererror.IsPermanent(err) {
		r.refuse(w, req, format, http.StatusBadRequest, reasonDownstreamPermanent, fmt.Errorf("data rejected by the pipeline: %w", err))
		return
	}
	status := http.StatusTooManyRequests
	if format == formatOTLP {
		status = http.StatusServiceUnavailable
	}
	r.refuseRetry(w, req, format, status, reasonDownstreamRetryable, r.cfg.RetryAfter, fmt.Errorf("the collector is busy, retry later: %w", err))
}
