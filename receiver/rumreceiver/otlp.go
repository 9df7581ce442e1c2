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
	newRequest  func() otlpMessage
	newResponse func() otlpMessage
	// fill puts the decoded request into the result, its resources given the request's
	// User-Agent where they have none; logs also yield vital metrics.
	fill func(r *rumReceiver, rq *request, msg otlpMessage, res *normalize.Result)
}

var (
	otlpTraces = otlpSignal{
		newRequest:  func() otlpMessage { return ptraceotlp.NewExportRequest() },
		newResponse: func() otlpMessage { return ptraceotlp.NewExportResponse() },
		fill: func(_ *rumReceiver, rq *request, msg otlpMessage, res *normalize.Result) {
			res.Traces = msg.(ptraceotlp.ExportRequest).Traces()
			normalize.OTLPTraces(res.Traces, &rq.src)
		},
	}
	otlpLogs = otlpSignal{
		newRequest:  func() otlpMessage { return plogotlp.NewExportRequest() },
		newResponse: func() otlpMessage { return plogotlp.NewExportResponse() },
		fill: func(r *rumReceiver, rq *request, msg otlpMessage, res *normalize.Result) {
			res.Logs = msg.(plogotlp.ExportRequest).Logs()
			normalize.OTLPLogs(res.Logs, &rq.src)
			res.Metrics, res.Corrected = normalize.FromOTLPLogs(res.Logs, &rq.src, r.set.BuildInfo.Version)
		},
	}
	otlpMetrics = otlpSignal{
		newRequest:  func() otlpMessage { return pmetricotlp.NewExportRequest() },
		newResponse: func() otlpMessage { return pmetricotlp.NewExportResponse() },
		fill: func(_ *rumReceiver, rq *request, msg otlpMessage, res *normalize.Result) {
			res.Metrics = msg.(pmetricotlp.ExportRequest).Metrics()
			normalize.OTLPMetrics(res.Metrics, &rq.src)
		},
	}
)

// handleOTLP returns the handler of one OTLP/HTTP endpoint.
func (r *rumReceiver) handleOTLP(sig otlpSignal) http.HandlerFunc {
	return func(w http.ResponseWriter, req *http.Request) {
		rq, msg, ok := r.admitOTLP(w, req, sig.newRequest())
		if !ok {
			return
		}
		res := normalize.NewResult()
		sig.fill(r, rq, msg, &res)
		r.forwardOTLP(w, req, rq, res, sig.newResponse())
	}
}

// admitOTLP admits the request and decodes it into msg by its media type.
func (r *rumReceiver) admitOTLP(w http.ResponseWriter, req *http.Request, msg otlpMessage) (*request, otlpMessage, bool) {
	rq, ok := r.admit(w, req, formatOTLP, otlpTypes)
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
func (r *rumReceiver) forwardOTLP(w http.ResponseWriter, req *http.Request, rq *request, res normalize.Result, resp otlpMessage) {
	r.countCorrected(req, res.Corrected)
	if _, err := r.forward(rq.ctx, rq, &res); err != nil {
		r.refuseDownstream(w, req, formatOTLP, err)
		return
	}
	r.countRequest(req, formatOTLP)
	var body []byte
	var err error
	if rq.mediaType == contentTypeJSON {
		body, err = resp.MarshalJSON()
	} else {
		body, err = resp.MarshalProto()
	}
	if err != nil {
		// An empty export response always encodes; answer success without a body if not.
		body = nil
	}
	w.Header().Set("Content-Type", otlpResponseType(rq.mediaType))
	w.WriteHeader(http.StatusOK)
	_, _ = w.Write(body)
}

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
