// Copyright The otelcol-rum Authors
// SPDX-License-Identifier: Apache-2.0

package rumreceiver // import "github.com/otelcol-rum/otelcol-rum/receiver/rumreceiver"

import (
	"fmt"
	"net/http"

	"go.opentelemetry.io/collector/pdata/plog/plogotlp"
	"go.opentelemetry.io/collector/pdata/pmetric/pmetricotlp"
	"go.opentelemetry.io/collector/pdata/ptrace/ptraceotlp"
	spb "google.golang.org/genproto/googleapis/rpc/status"
	"google.golang.org/grpc/codes"
	"google.golang.org/protobuf/encoding/protojson"
	"google.golang.org/protobuf/proto"

	"github.com/otelcol-rum/otelcol-rum/receiver/rumreceiver/internal/normalize"
)

// otlpMessage is what the three OTLP export requests and responses have in common.
type otlpMessage interface {
	UnmarshalJSON([]byte) error
	UnmarshalProto([]byte) error
	MarshalJSON() ([]byte, error)
	MarshalProto() ([]byte, error)
}

// otlpSignal is what differs between the three OTLP endpoints.
type otlpSignal struct {
	newRequest func() otlpMessage
	// answer is the signal's empty export response, encoded once in each media type.
	answer otlpAnswer
	// fill puts the decoded request into the result, its resources given the request's
	// User-Agent where they have none; logs also yield vital metrics.
	fill func(r *rumReceiver, rq *request, msg otlpMessage, res *normalize.Result)
}

var (
	otlpTraces = otlpSignal{
		newRequest: func() otlpMessage { return ptraceotlp.NewExportRequest() },
		answer:     encodeAnswer(ptraceotlp.NewExportResponse()),
		fill: func(_ *rumReceiver, rq *request, msg otlpMessage, res *normalize.Result) {
			res.Traces = msg.(ptraceotlp.ExportRequest).Traces()
			normalize.OTLPTraces(res.Traces, &rq.src)
		},
	}
	otlpLogs = otlpSignal{
		newRequest: func() otlpMessage { return plogotlp.NewExportRequest() },
		answer:     encodeAnswer(plogotlp.NewExportResponse()),
		fill: func(r *rumReceiver, rq *request, msg otlpMessage, res *normalize.Result) {
			res.Logs = msg.(plogotlp.ExportRequest).Logs()
			normalize.OTLPLogs(res.Logs, &rq.src)
			res.Metrics, res.Corrected = normalize.FromOTLPLogs(res.Logs, &rq.src, r.set.BuildInfo.Version)
		},
	}
	otlpMetrics = otlpSignal{
		newRequest: func() otlpMessage { return pmetricotlp.NewExportRequest() },
		answer:     encodeAnswer(pmetricotlp.NewExportResponse()),
		fill: func(_ *rumReceiver, rq *request, msg otlpMessage, res *normalize.Result) {
			res.Metrics = msg.(pmetricotlp.ExportRequest).Metrics()
			normalize.OTLPMetrics(res.Metrics, &rq.src)
		},
	}
)

// emptyOTLPResult starts the result of every OTLP request: fill replaces the signal the
// request carries and leaves the others empty, and empty signals are never forwarded, so
// they can be one read-only value for all requests rather than three allocations each.
var emptyOTLPResult = func() normalize.Result {
	res := normalize.NewResult()
	res.Traces.MarkReadOnly()
	res.Logs.MarkReadOnly()
	res.Metrics.MarkReadOnly()
	return res
}()

// otlpAnswer is an export response as a client gets it, in JSON and in protobuf.
type otlpAnswer struct{ json, proto []byte }

// encodeAnswer encodes resp once: every success answers with the same empty response, so
// no request needs to encode its own.
func encodeAnswer(resp otlpMessage) otlpAnswer {
	// An empty export response always encodes; answer success without a body if not.
	j, err := resp.MarshalJSON()
	if err != nil {
		j = nil
	}
	p, err := resp.MarshalProto()
	if err != nil {
		p = nil
	}
	return otlpAnswer{json: j, proto: p}
}

// handleOTLP returns the handler of one OTLP/HTTP endpoint. The body is read into a pooled
// buffer, given back once the request is answered: pdata's decoders copy what they keep.
func (r *rumReceiver) handleOTLP(sig otlpSignal) http.HandlerFunc {
	return func(w http.ResponseWriter, req *http.Request) {
		buf := getBodyBuffer()
		rq, msg, ok := r.admitOTLP(w, req, sig.newRequest(), *buf)
		if !ok {
			putBodyBuffer(buf, nil)
			return
		}
		res := emptyOTLPResult
		sig.fill(r, rq, msg, &res)
		r.forwardOTLP(w, req, rq, res, sig.answer)
		putBodyBuffer(buf, rq.body)
	}
}

// admitOTLP admits the request, its body read into buf where it fits, and decodes it into
// msg by its media type.
func (r *rumReceiver) admitOTLP(w http.ResponseWriter, req *http.Request, msg otlpMessage, buf []byte) (*request, otlpMessage, bool) {
	rq, ok := r.admitInto(w, req, formatOTLP, otlpTypes, buf)
	if !ok {
		return nil, nil, false
	}
	var err error
	if rq.mediaType == contentTypeJSON {
		err = msg.UnmarshalJSON(rq.body)
	} else {
		err = msg.UnmarshalProto(rq.body)
	}
	if err != nil {
		r.refuse(w, req, formatOTLP, http.StatusBadRequest, reasonMalformed, fmt.Errorf("invalid OTLP %s request: %w", rq.mediaType, err))
		return nil, nil, false
	}
	return rq, msg, true
}

// forwardOTLP answers like an OTLP/HTTP server: 200 with an export response in the
// request's encoding.
func (r *rumReceiver) forwardOTLP(w http.ResponseWriter, req *http.Request, rq *request, res normalize.Result, answer otlpAnswer) {
	r.countCorrected(req, res.Corrected)
	if _, err := r.forward(rq.ctx, rq, &res); err != nil {
		r.refuseDownstream(w, req, formatOTLP, err)
		return
	}
	r.countRequest(req, formatOTLP)
	body, contentType := answer.proto, protobufContentType
	if rq.mediaType == contentTypeJSON {
		body, contentType = answer.json, jsonContentType
	}
	w.Header()["Content-Type"] = contentType
	w.WriteHeader(http.StatusOK)
	_, _ = w.Write(body)
}

// protobufContentType is the Content-Type of every protobuf answer (see jsonContentType).
var protobufContentType = []string{contentTypeProtobuf}

func otlpResponseType(requestType string) string {
	if requestType == contentTypeJSON {
		return contentTypeJSON
	}
	return contentTypeProtobuf
}

// writeOTLPError answers with a google.rpc.Status, as OTLP/HTTP clients expect, encoded
// like the request where it could be read.
func writeOTLPError(w http.ResponseWriter, req *http.Request, status int, msg string) {
	st := &spb.Status{Code: int32(grpcCode(status)), Message: msg} //nolint:gosec // grpcCode returns one of five codes, all below 17
	var body []byte
	mediaType, err := parseMediaType(req.Header.Get("Content-Type"), otlpTypes)
	if err == nil && mediaType != contentTypeJSON {
		body, _ = proto.Marshal(st)
	} else {
		mediaType = contentTypeJSON
		body, _ = protojson.Marshal(st)
	}
	w.Header().Set("Content-Type", otlpResponseType(mediaType))
	w.WriteHeader(status)
	_, _ = w.Write(body)
}

func grpcCode(status int) codes.Code {
	switch status {
	case http.StatusUnauthorized:
		return codes.Unauthenticated
	case http.StatusTooManyRequests:
		return codes.ResourceExhausted
	case http.StatusServiceUnavailable:
		return codes.Unavailable
	case http.StatusMethodNotAllowed:
		return codes.Unimplemented
	}
	return codes.InvalidArgument
}
