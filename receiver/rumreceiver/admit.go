// Copyright The otelcol-rum Authors
// SPDX-License-Identifier: Apache-2.0

package rumreceiver // import "github.com/otelcol-rum/otelcol-rum/receiver/rumreceiver"

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"mime"
	"net/http"
	"slices"

	"github.com/otelcol-rum/otelcol-rum/receiver/rumreceiver/internal/normalize"
)

// Where an API key may come from: a header for fetch-based SDKs, the path for Faro's
// /collect/{app_key}, a query parameter for sendBeacon, which cannot set headers.
const (
	headerAPIKey     = "X-Api-Key" //nolint:gosec // the name of a header, not a credential
	pathAPIKey       = "app_key"
	queryAPIKey      = "api_key"
	queryAppKey      = "app_key" // the design's name for the same key, as in /collect/{app_key}
	headerFaroSessID = "X-Faro-Session-Id"
)

// queryKeyNames are the query parameters that may carry the key, the first one first.
var queryKeyNames = [...]string{queryAPIKey, queryAppKey}

// Media types the endpoints accept. An empty Content-Type is allowed where sendBeacon
// may send a Blob without a type.
var (
	jsonOrTextTypes = []string{contentTypeJSON, "text/plain", ""}
	otlpTypes       = []string{contentTypeJSON, contentTypeProtobuf, contentTypeProtobufAlt}
)

const (
	contentTypeJSON        = "application/json"
	contentTypeProtobuf    = "application/x-protobuf"
	contentTypeProtobufAlt = "application/protobuf"
)

// request is an admitted request: authenticated, within its limits, of an accepted media
// type, with its body read.
type request struct {
	req *http.Request
	// ctx is the request's context with client.Info.Addr naming the client, not a proxy
	// in front of it: the context the pipelines get.
	ctx       context.Context
	format    string
	mediaType string
	body      []byte
	src       normalize.Source
}

// admitInto runs the checks every endpoint shares, in the order that costs the least for
// the requests that fail: method, origin, key, rate limits, media type, then reading the
// body, into buf where it fits (see readBodyInto; every route passes a pooled buffer). On
// failure it has already answered and counted the refusal.
func (r *rumReceiver) admitInto(w http.ResponseWriter, req *http.Request, format string, mediaTypes []string, buf []byte) (*request, bool) {
	if req.Method != http.MethodPost {
		w.Header().Set("Allow", http.MethodPost)
		r.refuse(w, req, format, http.StatusMethodNotAllowed, reasonMethodNotAllowed, fmt.Errorf("method %s not allowed: use POST", req.Method))
		return nil, false
	}
	if origin, ok := r.origins.allows(req); !ok {
		r.refuse(w, req, format, http.StatusForbidden, reasonOriginNotAllowed, fmt.Errorf("origin %q is not in cors::allowed_origins", origin))
		return nil, false
	}
	app, err := r.identify(req)
	if err != nil {
		r.refuse(w, req, format, http.StatusUnauthorized, reasonUnauthorized, err)
		return nil, false
	}
	now := r.now()
	client, ctx := r.resolveClient(req)
	if ok, wait := r.appLimiter.Allow(app.Name, now); !ok {
		r.refuseRetry(w, req, format, http.StatusTooManyRequests, reasonRateLimited, wait, fmt.Errorf("rate limit for app %q exceeded", app.Name))
		return nil, false
	}
	if ok, wait := r.clientLimiter.Allow(client, now); !ok {
		r.refuseRetry(w, req, format, http.StatusTooManyRequests, reasonRateLimited, wait, errors.New("rate limit for this client exceeded"))
		return nil, false
	}
	mediaType, err := parseMediaType(req.Header.Get("Content-Type"), mediaTypes)
	if err != nil {
		r.refuse(w, req, format, http.StatusUnsupportedMediaType, reasonUnsupportedMediaType, err)
		return nil, false
	}
	body, err := readBodyInto(req, buf)
	if err != nil {
		r.refuseBody(w, req, format, err)
		return nil, false
	}
	rq := &request{req: req, ctx: ctx, format: format, mediaType: mediaType, body: body, src: normalize.Source{
		AppName:         app.Name,
		AppEnvironment:  app.Environment,
		UserAgent:       req.UserAgent(),
		Received:        now,
		MaxClockSkew:    r.cfg.MaxClockSkew,
		MaxTimestampAge: r.cfg.MaxTimestampAge,
		UserAttributes:  r.userAttrs,
	}}
	if r.cfg.Privacy.RecordClientAddress {
		rq.src.ClientAddress = client
	}
	return rq, true
}

// identify finds the app whose key the request carries. Without configured apps every
// request is accepted as an anonymous app named by its payload.
func (r *rumReceiver) identify(req *http.Request) (AppConfig, error) {
	if len(r.appsByKey) == 0 {
		return AppConfig{}, nil
	}
	key := req.PathValue(pathAPIKey)
	if key == "" {
		key = req.Header.Get(headerAPIKey)
	}
	if key == "" {
		var q [len(queryKeyNames)]string
		queryValues(req.URL.RawQuery, queryKeyNames[:], q[:])
		key = cmp.Or(q[0], q[1])
	}
	if key == "" {
		return AppConfig{}, fmt.Errorf("missing API key: send it in the %s header, as /collect/{app_key} or as ?%s=", headerAPIKey, queryAPIKey)
	}
	app, ok := r.appsByKey[key]
	if !ok {
		return AppConfig{}, errors.New("unknown API key")
	}
	return app, nil
}

// refuseBody answers a body that could not be read.
func (r *rumReceiver) refuseBody(w http.ResponseWriter, req *http.Request, format string, err error) {
	var tooLarge *http.MaxBytesError
	switch {
	case errors.As(err, &tooLarge):
		r.refuse(w, req, format, http.StatusRequestEntityTooLarge, reasonTooLarge,
			fmt.Errorf("request body exceeds max_request_body_size of %d bytes (after decompression)", tooLarge.Limit))
	case errors.Is(err, errBodyTooSlow) || bodyTimedOut(req):
		r.refuseSlowBody(w, req, format)
	default:
		r.refuse(w, req, format, http.StatusBadRequest, reasonMalformed, fmt.Errorf("reading body: %w", err))
	}
}

// refuseSlowBody answers 408 and closes the connection: what is left of the body is never
// read.
func (r *rumReceiver) refuseSlowBody(w http.ResponseWriter, req *http.Request, format string) {
	w.Header().Set("Connection", "close")
	r.refuse(w, req, format, http.StatusRequestTimeout, reasonTimeout,
		fmt.Errorf("%w: it must arrive within read_timeout and, after %s, at %g bytes/s or more (min_body_rate)",
			errBodyTooSlow, r.cfg.MinBodyRate.GracePeriod, r.cfg.MinBodyRate.BytesPerSecond))
}

// commonContentTypes are the Content-Type headers the SDKs send, with the media type
// mime.ParseMediaType reads from them, which allocates a map of parameters per call.
var commonContentTypes = map[string]string{
	"":                                  "", // sendBeacon with a Blob without a type
	contentTypeJSON:                     contentTypeJSON,
	contentTypeJSON + ";charset=UTF-8":  contentTypeJSON,
	contentTypeJSON + "; charset=utf-8": contentTypeJSON,
	"text/plain":                        "text/plain",
	"text/plain;charset=UTF-8":          "text/plain", // sendBeacon with a string
	"text/plain; charset=utf-8":         "text/plain",
	contentTypeProtobuf:                 contentTypeProtobuf,
	contentTypeProtobufAlt:              contentTypeProtobufAlt,
}

func parseMediaType(header string, accepted []string) (string, error) {
	mt, common := commonContentTypes[header]
	if !common {
		var err error
		if mt, _, err = mime.ParseMediaType(header); err != nil {
			return "", fmt.Errorf("unreadable Content-Type %q", header)
		}
	}
	if !slices.Contains(accepted, mt) {
		return "", fmt.Errorf("unsupported Content-Type %q: accepted are %q", header, slices.DeleteFunc(slices.Clone(accepted), func(s string) bool { return s == "" }))
	}
	return mt, nil
}
