// Copyright The otelcol-rum Authors
// SPDX-License-Identifier: Apache-2.0

package main

import (
	"net/http"

	"go.opentelemetry.io/otel/trace"
)

// appData is what templates/app.html needs: the single-page section renders its
// routes in the browser, so the server knows nothing about them.
type appData struct {
	Variant     variant
	RUMURL      string
	AppKey      string
	Traceparent string
}

// appHandler serves the single-page section of a variant (<base>/app/...): the same
// document for every path under it, as a single-page app's server does, so a hard
// load (or a reload) of any route works and the bundle (pages/spa.js) renders the route
// of location.pathname. Later routes are soft navigations (history.pushState) that
// never reach the server. Like every shop page, the document hands its server span to
// the browser, so the section's one hard navigation joins the backend trace.
func (s *shop) appHandler(v variant) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		data := appData{Variant: v, RUMURL: s.cfg.RUMURL, AppKey: s.cfg.AppKey}
		if sc := trace.SpanFromContext(r.Context()).SpanContext(); sc.IsValid() {
			data.Traceparent = traceparent(sc)
		}
		writeDocument(w, r, s.app, data, data.Traceparent, http.StatusOK)
	})
}
