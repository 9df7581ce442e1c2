// Copyright The otelcol-rum Authors
// SPDX-License-Identifier: Apache-2.0

package main

import (
	"encoding/json"
	"html/template"
	"net/http"
	"os"
	"strings"

	"go.opentelemetry.io/contrib/instrumentation/net/http/otelhttp"
	"go.opentelemetry.io/otel/propagation"
	semconv "go.opentelemetry.io/otel/semconv/v1.43.0"
	"go.opentelemetry.io/otel/trace"
)

// shop holds what the handlers share. Tracer provider and propagator are
// passed in, not taken from the otel globals, so tests can record spans in
// memory.
type shop struct {
	cfg        config
	tracer     trace.Tracer
	tp         trace.TracerProvider
	propagator propagation.TextMapPropagator
	page       *template.Template // the shop's pages
	app        *template.Template // the single-page section's one document
}

func newShop(cfg config, tp trace.TracerProvider, prop propagation.TextMapPropagator) http.Handler {
	s := &shop{
		cfg:        cfg,
		tracer:     tp.Tracer("github.com/otelcol-rum/otelcol-rum/examples/shop"),
		tp:         tp,
		propagator: prop,
		page:       pageTemplate,
		app:        appTemplate,
	}

	mux := http.NewServeMux()
	// Pages: the Faro variant at /, the OpenTelemetry JS variant under /otel.
	s.traced(mux, "GET /{$}", s.pageHandler(faroVariant))
	s.traced(mux, "GET /product/{id}", s.pageHandler(faroVariant))
	s.traced(mux, "GET /otel", s.pageHandler(otelVariant))
	s.traced(mux, "GET /otel/{$}", s.pageHandler(otelVariant))
	s.traced(mux, "GET /otel/product/{id}", s.pageHandler(otelVariant))
	// The single-page section of each variant: one document for every route under it
	// (GET /app and /otel/app are redirected to the trailing slash by the mux).
	s.traced(mux, "GET /app/{route...}", s.appHandler(faroVariant))
	s.traced(mux, "GET /otel/app/{route...}", s.appHandler(otelVariant))

	// The API may be called from pages served on another origin.
	mux.Handle("OPTIONS /api/", corsPreflight())
	s.traced(mux, "POST /api/checkout", withCORS(http.HandlerFunc(s.checkout)))

	// Not traced: bundles, health checks and favicons would only add noise.
	mux.Handle("GET /dist/{file}", assetHandler(s.cfg.Assets))
	mux.HandleFunc("GET /healthz", s.healthz)
	mux.HandleFunc("GET /favicon.ico", func(w http.ResponseWriter, _ *http.Request) {
		w.WriteHeader(http.StatusNoContent)
	})
	return mux
}

// traced registers h behind otelhttp. Wrapping each route (rather than the
// whole mux) means the mux has already matched when the span starts, so the
// span is named "GET /product/{id}" and carries http.route.
func (s *shop) traced(mux *http.ServeMux, pattern string, h http.Handler) {
	if strings.HasSuffix(pattern, "{$}") {
		// otelhttp would report the mux's exact-match marker ("/{$}") as the
		// route; backends and dashboards expect "/".
		next := h
		h = http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			trace.SpanFromContext(r.Context()).SetAttributes(semconv.HTTPRoute(routeOf(r)))
			next.ServeHTTP(w, r)
		})
	}
	mux.Handle(pattern, otelhttp.NewHandler(h, pattern,
		otelhttp.WithTracerProvider(s.tp),
		otelhttp.WithPropagators(s.propagator),
		otelhttp.WithSpanNameFormatter(func(_ string, r *http.Request) string {
			return r.Method + " " + routeOf(r)
		}),
	))
}

// routeOf is the matched mux pattern without its method and "{$}" marker:
// "GET /otel/{$}" becomes "/otel/".
func routeOf(r *http.Request) string {
	p := r.Pattern
	if i := strings.IndexByte(p, ' '); i >= 0 {
		p = p[i+1:]
	}
	return strings.TrimSuffix(p, "{$}")
}

// healthz also tells tools/browser/demo.mjs where the pages send RUM data.
func (s *shop) healthz(w http.ResponseWriter, _ *http.Request) {
	_, err := os.Stat(s.cfg.Assets)
	writeJSON(w, http.StatusOK, map[string]any{
		"status":       "ok",
		"rum_url":      s.cfg.RUMURL,
		"app_key":      s.cfg.AppKey,
		"assets":       s.cfg.Assets,
		"assets_found": err == nil,
	})
}

func writeJSON(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/json")
	w.Header().Set("Cache-Control", "no-store")
	w.WriteHeader(status)
	_ = json.NewEncoder(w).Encode(v)
}
