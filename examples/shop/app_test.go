// Copyright The otelcol-rum Authors
// SPDX-License-Identifier: Apache-2.0

package main

import (
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
)

// Every route of a variant's single-page section, however deep, gets the same
// document, with the bundle of the variant and its own server span handed to the
// browser: the section's hard navigation joins the backend trace wherever it lands.
func TestAppSectionServesOneDocumentPerVariant(t *testing.T) {
	for _, tc := range []struct {
		variant variant
		paths   []string
	}{
		{faroVariant, []string{"/app/", "/app/product/42", "/app/cart", "/app/no/such/route"}},
		{otelVariant, []string{"/otel/app/", "/otel/app/product/42", "/otel/app/cart"}},
	} {
		t.Run(tc.variant.Name, func(t *testing.T) {
			h, exp, cfg := newTestShop(t)
			pattern := "GET " + tc.variant.Base + "/app/{route...}"
			var first string
			for _, path := range tc.paths {
				rec := get(t, h, path, http.StatusOK)
				span := handedTrace(t, rec, exp)
				if span.Name != pattern {
					t.Errorf("GET %s: span name = %q, want %q", path, span.Name, pattern)
				}
				// Apart from the trace context, the document does not depend on the route.
				doc := metaRE.ReplaceAllString(rec.Body.String(), "")
				if first == "" {
					first = doc
				} else if doc != first {
					t.Errorf("GET %s: the document differs from the one of %s", path, tc.paths[0])
				}
			}
			for _, want := range []string{
				`src="/dist/` + tc.variant.Bundle + `.js"`,
				`data-rum-url="` + cfg.RUMURL + `"`,
				`data-app-key="demo-key"`,
				`data-base="` + tc.variant.Base + `"`,
				`data-spa=""`,
				`<nav id="spa-toolbar">`,
				`<main id="spa-view">`,
			} {
				if !strings.Contains(first, want) {
					t.Errorf("the section's document lacks %s", want)
				}
			}
			if n := len(serverSpans(exp)); n != len(tc.paths) {
				t.Errorf("recorded %d server spans for %d loads", n, len(tc.paths))
			}
		})
	}
}

// The section's root without its trailing slash is redirected, not a 404, and the
// shop's own pages next to the section are untouched by its catch-all routes.
func TestAppSectionRootAndNeighbours(t *testing.T) {
	h, _, _ := newTestShop(t)
	for path, want := range map[string]string{"/app": "/app/", "/otel/app": "/otel/app/"} {
		rec := httptest.NewRecorder()
		h.ServeHTTP(rec, httptest.NewRequest(http.MethodGet, path, nil))
		if rec.Code < 300 || rec.Code > 399 {
			t.Errorf("GET %s: status %d, want a redirect", path, rec.Code)
		}
		if got := rec.Header().Get("Location"); got != want {
			t.Errorf("GET %s: Location = %q, want %q", path, got, want)
		}
	}
	for _, path := range []string{"/", "/product/42", "/otel/", "/otel/product/42"} {
		if body := get(t, h, path, http.StatusOK).Body.String(); strings.Contains(body, "data-spa") {
			t.Errorf("GET %s: a shop page got the single-page document", path)
		}
	}
	get(t, h, "/application", http.StatusNotFound)
}
