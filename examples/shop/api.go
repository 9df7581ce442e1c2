// Copyright The otelcol-rum Authors
// SPDX-License-Identifier: Apache-2.0

package main

import (
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"io"
	"net/http"
	"time"

	"go.opentelemetry.io/otel/attribute"
	"go.opentelemetry.io/otel/trace"
)

type checkoutRequest struct {
	ProductID string `json:"product_id"`
}

type checkoutResponse struct {
	OrderID   string `json:"order_id"`
	ProductID string `json:"product_id,omitempty"`
	// The trace context the backend saw: lets demo.mjs (and a curious
	// developer in the browser console) match the fetch to the backend trace.
	TraceID             string `json:"trace_id"`
	SpanID              string `json:"span_id"`
	TraceparentReceived string `json:"traceparent_received,omitempty"`
}

// checkout runs inside the otelhttp server span, which continues the trace of
// the browser's fetch span when the request carries a traceparent header.
func (s *shop) checkout(w http.ResponseWriter, r *http.Request) {
	var req checkoutRequest
	// The body is optional: a bare fetch(..., {method: 'POST'}) is a valid order.
	if body, err := io.ReadAll(io.LimitReader(r.Body, 4096)); err == nil && len(body) > 0 {
		_ = json.Unmarshal(body, &req)
	}

	ctx := r.Context()
	server := trace.SpanFromContext(ctx).SpanContext()
	if req.ProductID != "" {
		trace.SpanFromContext(ctx).SetAttributes(attribute.String("app.product.id", req.ProductID))
	}

	// A child span standing in for a call to an inventory service, so the
	// backend side of the trace has some depth.
	_, reserve := s.tracer.Start(ctx, "reserve-stock",
		trace.WithAttributes(attribute.String("app.product.id", req.ProductID)))
	time.Sleep(15 * time.Millisecond)
	reserve.End()

	writeJSON(w, http.StatusOK, checkoutResponse{
		OrderID:             newOrderID(),
		ProductID:           req.ProductID,
		TraceID:             server.TraceID().String(),
		SpanID:              server.SpanID().String(),
		TraceparentReceived: r.Header.Get("traceparent"),
	})
}

func newOrderID() string {
	b := make([]byte, 6)
	_, _ = rand.Read(b)
	return "ord-" + hex.EncodeToString(b)
}

// The browser asks before a cross-origin POST with a traceparent header (a
// non-safelisted header), so the API must allow it explicitly.
const (
	corsAllowHeaders = "traceparent, tracestate, content-type"
	corsAllowMethods = "POST, GET, OPTIONS"
)

// withCORS lets pages on other origins read the API's responses. It echoes the
// Origin instead of "*" so the same code would work with credentials.
func withCORS(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		setCORSHeaders(w, r)
		next.ServeHTTP(w, r)
	})
}

// corsPreflight answers OPTIONS requests for the whole /api/ tree.
func corsPreflight() http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		setCORSHeaders(w, r)
		h := w.Header()
		h.Set("Access-Control-Allow-Methods", corsAllowMethods)
		h.Set("Access-Control-Allow-Headers", corsAllowHeaders)
		h.Set("Access-Control-Max-Age", "600")
		w.WriteHeader(http.StatusNoContent)
	})
}

func setCORSHeaders(w http.ResponseWriter, r *http.Request) {
	h := w.Header()
	h.Add("Vary", "Origin")
	if origin := r.Header.Get("Origin"); origin != "" {
		h.Set("Access-Control-Allow-Origin", origin)
	}
	// Lets the calling page see detailed resource timing for the request.
	h.Set("Timing-Allow-Origin", "*")
}
