// Copyright The otelcol-rum Authors
// SPDX-License-Identifier: Apache-2.0

package rumreceiver // import "github.com/otelcol-rum/otelcol-rum/receiver/rumreceiver"

import (
	"fmt"
	"net/http"
	"strings"

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

// Paths of the endpoints (see docs/design.md, Wire formats).
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
	// navigator.connection.effectiveType, which web-vitals does not report.
	queryVitalsEffectiveType = "effective_type"
)

// vitalsQueryKeys are the query parameters handleVitals reads, in the order of
// normalize.BeaconIdentity's fields.
var vitalsQueryKeys = [...]string{queryVitalsSession, queryVitalsPage, queryVitalsApp, queryVitalsEnv, queryVitalsEffectiveType}

// routes registers the endpoints without a method in the pattern: the handlers answer
// 405 themselves so that the refusal is counted and the body says what to do. A panic
// below is answered here, inside confighttp's handler, so that its telemetry sees the 500.
func (r *rumReceiver) routes() http.Handler {
	mux := http.NewServeMux()
	mux.HandleFunc(pathFaro, r.handleFaro)
	mux.HandleFunc(pathFaroWithKey, r.handleFaro)
	mux.HandleFunc(pathVitals, r.handleVitals)
	mux.HandleFunc(pathTraces, r.handleOTLP(otlpTraces))
	mux.HandleFunc(pathLogs, r.handleOTLP(otlpLogs))
	mux.HandleFunc(pathMetrics, r.handleOTLP(otlpMetrics))
	return r.recoverPanics(mux)
}

// guard goes around confighttp's whole handler (CORS, auth, decompression, telemetry) and
// the routes: every request has its body guarded before confighttp's decompressors read
// from it (and before a refusal for overload, whose unread body net/http still reads),
// and takes a slot of max_concurrent_requests, which a panic below gives back too. Then
// it goes through confighttp's handler, or the direct route when that applies (see
// direct.go).
func (r *rumReceiver) guard(full http.Handler, direct *directRoute) http.Handler {
	return &front{r: r, full: full, direct: direct}
}

// front is the guard as one handler, so that a request passes one frame and no closure.
type front struct {
	r      *rumReceiver
	full   http.Handler
	direct *directRoute
}

func (f *front) ServeHTTP(w http.ResponseWriter, req *http.Request) {
	if req.Body != nil && req.Body != http.NoBody {
		var g *bodyGuard
		req, g = f.r.guardBody(w, req)
		defer g.finish()
	}
	if !f.r.inFlight.tryAcquire() {
		f.r.refuseOverloaded(w, req)
		return
	}
	defer f.r.inFlight.release()
	if f.direct.takes(req) {
		f.direct.handler.ServeHTTP(w, req)
		return
	}
	f.full.ServeHTTP(w, req)
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
	buf := getBodyBuffer()
	rq, ok := r.admitInto(w, req, formatFaro, jsonOrTextTypes, *buf)
	if !ok {
		putBodyBuffer(buf, nil)
		return
	}
	// The decoders and the normalizer keep no view of the body
	// (TestNormalizedDataKeepsNoViewOfTheBody): it goes back once the request is answered.
	defer putBodyBuffer(buf, rq.body)
	var p faro.Payload
	if err := faro.DecodeInto(rq.body, &p); err != nil {
		r.refuse(w, req, formatFaro, http.StatusBadRequest, reasonMalformed, fmt.Errorf("invalid Faro payload: %w", err))
		return
	}
	// Faro's fetch transport also names the session in a header; the body wins.
	if p.Meta.Session.ID == "" {
		p.Meta.Session.ID = req.Header.Get(headerFaroSessID)
	}
	r.forwardNormalized(w, req, rq, normalize.FromFaro(&p, &rq.src, r.set.BuildInfo.Version))
}

func (r *rumReceiver) handleVitals(w http.ResponseWriter, req *http.Request) {
	buf := getBodyBuffer()
	rq, ok := r.admitInto(w, req, formatWebVitals, jsonOrTextTypes, *buf)
	if !ok {
		putBodyBuffer(buf, nil)
		return
	}
	// The decoders and the normalizer keep no view of the body
	// (TestNormalizedDataKeepsNoViewOfTheBody): it goes back once the request is answered.
	defer putBodyBuffer(buf, rq.body)
	b, err := beacon.Decode(rq.body)
	if err != nil {
		r.refuse(w, req, formatWebVitals, http.StatusBadRequest, reasonMalformed, fmt.Errorf("invalid web-vitals beacon: %w", err))
		return
	}
	var q [len(vitalsQueryKeys)]string
	queryValues(req.URL.RawQuery, vitalsQueryKeys[:], q[:])
	id := normalize.BeaconIdentity{SessionID: q[0], PageURL: q[1], AppName: q[2], Environment: q[3], EffectiveType: q[4]}
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
	accepted, err := r.forward(rq.ctx, rq, &res)
	if err != nil {
		r.refuseDownstream(w, req, rq.format, err)
		return
	}
	r.countRequest(req, rq.format)
	writeAccepted(w, accepted, res.Rejected)
}

func (r *rumReceiver) countCorrected(req *http.Request, n int) {
	if n > 0 {
		r.telemetry.ReceiverRumTimestampsCorrected.Add(req.Context(), int64(n))
	}
}
