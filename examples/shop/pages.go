// Copyright The otelcol-rum Authors
// SPDX-License-Identifier: Apache-2.0

package main

import (
	"bytes"
	"embed"
	"html/template"
	"log"
	"net/http"

	"go.opentelemetry.io/otel/attribute"
	"go.opentelemetry.io/otel/trace"
)

//go:embed templates/shop.html templates/app.html
var templates embed.FS

var (
	pageTemplate = template.Must(template.ParseFS(templates, "templates/shop.html"))
	appTemplate  = template.Must(template.ParseFS(templates, "templates/app.html"))
)

// variant is one way of instrumenting the same shop front-end.
type variant struct {
	Name   string // "faro" or "otel"
	Bundle string // file in the assets directory, without .js
	Base   string // URL prefix of this variant's pages
	Label  string // shown in the page header
}

var (
	faroVariant = variant{Name: "faro", Bundle: "shop-faro", Base: "", Label: "Grafana Faro"}
	otelVariant = variant{Name: "otel", Bundle: "shop-otel", Base: "/otel", Label: "OpenTelemetry JS"}
)

type pageData struct {
	Variant     variant
	Title       string
	Product     *product // nil on the home page
	NotFound    string   // the unknown product id, if any
	Products    []product
	RUMURL      string
	AppKey      string
	Traceparent string
}

// pageHandler renders the shop page and hands the trace context of this
// request's server span to the browser, in both ways browser SDKs look for it:
//   - Server-Timing: traceparent;desc="..." (read from the navigation timing
//     entry by Faro, which puts it on its faro.performance.navigation event),
//   - <meta name="traceparent"> (read by the OTel document-load
//     instrumentation, which makes its documentLoad span a child of it).
//
// Either way the browser's view of the page load joins the backend trace.
func (s *shop) pageHandler(v variant) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		span := trace.SpanFromContext(r.Context())
		data := pageData{
			Variant:  v,
			Title:    "Demo shop",
			Products: catalog,
			RUMURL:   s.cfg.RUMURL,
			AppKey:   s.cfg.AppKey,
		}
		status := http.StatusOK
		if id := r.PathValue("id"); id != "" {
			span.SetAttributes(attribute.String("app.product.id", id))
			if p, ok := findProduct(id); ok {
				data.Product, data.Title = &p, p.Name
			} else {
				data.NotFound, data.Title, status = id, "Product not found", http.StatusNotFound
			}
		}
		if sc := span.SpanContext(); sc.IsValid() {
			data.Traceparent = traceparent(sc)
		}
		writeDocument(w, r, s.page, data, data.Traceparent, status)
	})
}

// writeDocument renders tmpl with data and sends it with the headers every shop
// document has. traceparent, when set, is the request's server span, handed to the
// browser in Server-Timing (the template puts it in <meta name="traceparent">).
func writeDocument(w http.ResponseWriter, r *http.Request, tmpl *template.Template, data any, traceparent string, status int) {
	// Render first so a template error can still become a clean 500.
	var buf bytes.Buffer
	if err := tmpl.Execute(&buf, data); err != nil {
		log.Printf("render %q: %v", r.URL.Path, err) //nolint:gosec // %q escapes the client's newlines: no forged log line
		http.Error(w, "internal error", http.StatusInternalServerError)
		return
	}
	h := w.Header()
	h.Set("Content-Type", "text/html; charset=utf-8")
	// Each load must be a new server span, so no caching.
	h.Set("Cache-Control", "no-store")
	if traceparent != "" {
		h.Set("Server-Timing", `traceparent;desc="`+traceparent+`"`)
	}
	// Without it, browsers hide Server-Timing from pages on other origins
	// (e.g. when the HTML is proxied through a CDN on another host).
	h.Set("Timing-Allow-Origin", "*")
	w.WriteHeader(status)
	_, _ = w.Write(buf.Bytes())
}

// traceparent formats a span context as a W3C traceparent (version 00).
func traceparent(sc trace.SpanContext) string {
	return "00-" + sc.TraceID().String() + "-" + sc.SpanID().String() + "-" + sc.TraceFlags().String()
}
