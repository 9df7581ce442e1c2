// Copyright The otelcol-rum Authors
// SPDX-License-Identifier: Apache-2.0

package rumreceiver // import "github.com/otelcol-rum/otelcol-rum/receiver/rumreceiver"

import (
	"context"
	"encoding/json"
	"math"
	"net/http"
	"strconv"
	"time"

	"go.opentelemetry.io/collector/config/confighttp"
	"go.opentelemetry.io/otel/attribute"
	"go.opentelemetry.io/otel/metric"
)

// Refusal reasons, the values of the reason attribute of receiver_rum_requests_refused
// (and, for invalid_item, of receiver_rum_items_rejected).
const (
	reasonUnauthorized         = "unauthorized"
	reasonOriginNotAllowed     = "origin_not_allowed"
	reasonRateLimited          = "rate_limited"
	reasonOverloaded           = "overloaded"
	reasonMalformed            = "malformed"
	reasonUnsupportedMediaType = "unsupported_media_type"
	reasonTooLarge             = "too_large"
	reasonTimeout              = "timeout"
	reasonMethodNotAllowed     = "method_not_allowed"
	reasonDownstreamRetryable  = "downstream_retryable"
	reasonDownstreamPermanent  = "downstream_permanent"
	reasonInternalError        = "internal_error"
	reasonInvalidItem          = "invalid_item"
)

// Outcomes of a request refused after part of it went on, the values of the outcome
// attribute of receiver_rum_partial_requests.
const (
	// partialCompleted: the rest was accepted on a later offer within the request.
	partialCompleted = "completed"
	// partialRefused: the rest was still refused; the request was refused and what went on
	// is remembered for the client's retry.
	partialRefused = "refused"
	// partialResumed: a retry of such a request forwarded only the rest.
	partialResumed = "resumed"
)

// attrValues lists every value the receiver's telemetry attributes take, so that their
// attribute sets are built once.
var attrValues = map[string][]string{
	"format": {formatFaro, formatOTLP, formatWebVitals},
	"reason": {
		reasonUnauthorized, reasonOriginNotAllowed, reasonRateLimited, reasonOverloaded, reasonMalformed,
		reasonUnsupportedMediaType, reasonTooLarge, reasonTimeout, reasonMethodNotAllowed,
		reasonDownstreamRetryable, reasonDownstreamPermanent, reasonInternalError, reasonInvalidItem,
	},
	"outcome": {partialCompleted, partialRefused, partialResumed},
}

// maxErrorsInResponse bounds the per-item messages returned to the client.
const maxErrorsInResponse = 10

// errorBody is the JSON answer to a refused Faro or web-vitals request.
type errorBody struct {
	Error string `json:"error"`
}

// acceptedBody is the JSON answer to an accepted Faro or web-vitals request. Rejected
// items are named so that an SDK developer sees what was dropped.
type acceptedBody struct {
	Accepted int      `json:"accepted"`
	Rejected int      `json:"rejected"`
	Errors   []string `json:"errors,omitempty"`
}

func (r *rumReceiver) refuse(w http.ResponseWriter, req *http.Request, format string, status int, reason string, err error) {
	r.countRefusal(req, reason)
	writeError(w, format, req, status, err.Error())
}

// refuseRetry answers with Retry-After, which Faro honours on 429 and the OTel exporters
// on 429 and 503.
func (r *rumReceiver) refuseRetry(w http.ResponseWriter, req *http.Request, format string, status int, reason string, wait time.Duration, err error) {
	w.Header().Set("Retry-After", strconv.Itoa(int(math.Ceil(wait.Seconds()))))
	r.refuse(w, req, format, status, reason, err)
}

func (r *rumReceiver) countRefusal(req *http.Request, reason string) {
	r.telemetry.ReceiverRumRequestsRefused.Add(req.Context(), 1, attrOption("reason", reason))
}

func (r *rumReceiver) countRequest(req *http.Request, format string) {
	r.telemetry.ReceiverRumRequests.Add(req.Context(), 1, attrOption("format", format))
}

func (r *rumReceiver) countRejectedItems(req *http.Request, n int) {
	if n > 0 {
		r.telemetry.ReceiverRumItemsRejected.Add(req.Context(), int64(n), attrOption("reason", reasonInvalidItem))
	}
}

func (r *rumReceiver) countPartial(ctx context.Context, outcome string) {
	r.telemetry.ReceiverRumPartialRequests.Add(ctx, 1, attrOption("outcome", outcome))
}

// attrOptions are the telemetry attribute options, built once: every request records one,
// and building an attribute set (sorting, hashing) per request is wasted work.
var attrOptions = func() map[[2]string]metric.AddOption {
	out := map[[2]string]metric.AddOption{}
	for key, values := range attrValues {
		for _, v := range values {
			out[[2]string{key, v}] = metric.WithAttributeSet(attribute.NewSet(attribute.String(key, v)))
		}
	}
	return out
}()

func attrOption(key, value string) metric.AddOption {
	if o, ok := attrOptions[[2]string{key, value}]; ok {
		return o
	}
	return metric.WithAttributes(attribute.String(key, value))
}

func writeError(w http.ResponseWriter, format string, req *http.Request, status int, msg string) {
	if format == formatOTLP {
		writeOTLPError(w, req, status, msg)
		return
	}
	writeJSON(w, status, errorBody{Error: msg})
}

func writeJSON(w http.ResponseWriter, status int, v any) {
	body, _ := json.Marshal(v) // plain structs of strings and ints always marshal
	w.Header()["Content-Type"] = jsonContentType
	w.WriteHeader(status)
	_, _ = w.Write(body)
}

// jsonContentType is the Content-Type of every JSON answer, one slice for all requests:
// net/http copies the header when it writes it and nothing changes the slice in place.
var jsonContentType = []string{contentTypeJSON}

// writeAccepted answers 202 with the counts. Most requests have nothing rejected: their
// answer is written without encoding/json, byte for byte as it would write it.
func writeAccepted(w http.ResponseWriter, accepted int, rejected []string) {
	if len(rejected) > 0 {
		writeJSON(w, http.StatusAccepted, acceptedResponse(accepted, rejected))
		return
	}
	body := make([]byte, 0, len(`{"accepted":,"rejected":0}`)+20)
	body = append(body, `{"accepted":`...)
	body = strconv.AppendInt(body, int64(accepted), 10)
	body = append(body, `,"rejected":0}`...)
	w.Header()["Content-Type"] = jsonContentType
	w.WriteHeader(http.StatusAccepted)
	_, _ = w.Write(body) //nolint:gosec // G705: the digits of a count in a JSON answer, nothing of the request's text
}

func acceptedResponse(accepted int, rejected []string) acceptedBody {
	out := acceptedBody{Accepted: accepted, Rejected: len(rejected), Errors: rejected}
	if len(out.Errors) > maxErrorsInResponse {
		out.Errors = out.Errors[:maxErrorsInResponse]
	}
	return out
}

// confighttpErrorHandler answers the errors confighttp raises before the receiver sees
// the request (an unknown Content-Encoding, a corrupt gzip stream, a compressed body that
// stalled while its decompressor started), counted like the rest.
func confighttpErrorHandler(r *rumReceiver) confighttp.ToServerOption {
	return confighttp.WithErrorHandler(func(w http.ResponseWriter, req *http.Request, msg string, status int) {
		if bodyTimedOut(req) {
			r.refuseSlowBody(w, req, formatOf(req))
			return
		}
		reason := reasonMalformed
		switch status {
		case http.StatusRequestEntityTooLarge:
			reason = reasonTooLarge
		case http.StatusUnsupportedMediaType:
			reason = reasonUnsupportedMediaType
		}
		r.countRefusal(req, reason)
		writeError(w, formatOf(req), req, status, msg)
	})
}
