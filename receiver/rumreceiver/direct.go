// Copyright The otelcol-rum Authors
// SPDX-License-Identifier: Apache-2.0

package rumreceiver // import "github.com/otelcol-rum/otelcol-rum/receiver/rumreceiver"

import (
	"context"
	"net/http"
	"slices"

	"github.com/rs/cors"
	"go.opentelemetry.io/collector/component"
	"go.opentelemetry.io/collector/config/confighttp"
	"go.opentelemetry.io/otel/metric"
	"go.opentelemetry.io/otel/trace"
)

// The direct route.
//
// confighttp wraps every handler in otelhttp, which builds span and metric attributes,
// wraps the response writer and copies the request for each request: about 4 µs of a
// beacon's 36 µs on the reference machine (docs/benchmarks.md). Its output is HTTP server
// metrics, which the service drops below `service::telemetry::metrics::level: detailed`,
// and HTTP server spans, which exist only when the collector's own traces are exported.
// When neither is kept and confighttp has nothing else to do for a request that a layer of
// its own would notice (no auth, middlewares, response headers or client metadata, a
// body without Content-Encoding, not a CORS preflight), the request goes straight to the
// routes, through the same CORS handler and body limit confighttp would put in front.
// Every other request takes confighttp's handler as before.

// otelhttpScope is the instrumentation scope of otelhttp's meter and tracer, the name the
// service's views select to drop its metrics.
const otelhttpScope = "go.opentelemetry.io/contrib/instrumentation/net/http/otelhttp"

// otelhttpInstruments are the metrics otelhttp records for a server (HTTP semantic
// conventions): if the service keeps any of them, every request is instrumented.
var otelhttpInstruments = []string{"http.server.request.duration", "http.server.request.body.size", "http.server.response.body.size"}

// directRoute is the handler of the direct route and when it applies; nil when it never
// does.
type directRoute struct {
	handler http.Handler
}

// newDirectRoute returns the direct route for the receiver's routes, or nil when confighttp
// must see every request. It runs after confighttp.ToServer, which fills in the defaults of
// the body limit and of the compression algorithms.
func newDirectRoute(sc *confighttp.ServerConfig, set component.TelemetrySettings, routes http.Handler) *directRoute {
	if sc.Auth.HasValue() || len(sc.Middlewares) > 0 || len(sc.ResponseHeaders) > 0 || sc.IncludeMetadata {
		return nil
	}
	// confighttp refuses a body without Content-Encoding when compression_algorithms is
	// set and leaves out "": such a server has no direct route.
	if len(sc.CompressionAlgorithms) > 0 && !slices.Contains(sc.CompressionAlgorithms, "") {
		return nil
	}
	if httpMetricsKept(set.MeterProvider) || httpSpansMade(set.TracerProvider) {
		return nil
	}
	h := limitBody(routes, sc.MaxRequestBodySize)
	if sc.CORS.HasValue() && len(sc.CORS.Get().AllowedOrigins) > 0 {
		h = corsHandler(sc.CORS.Get(), h)
	}
	return &directRoute{handler: h}
}

// takes reports whether req may skip confighttp's handler: a compressed body needs its
// decompressor and a preflight its CORS answer.
func (d *directRoute) takes(req *http.Request) bool {
	return d != nil && req.Method == http.MethodPost && req.Header.Get("Content-Encoding") == ""
}

// httpMetricsKept reports whether the service keeps any of otelhttp's metrics: its views
// drop them below the detailed level, and a dropped instrument is not enabled. The probe
// instruments are made in a scope of the same name without a version, so that they never
// conflict with otelhttp's own; nothing is ever recorded on them.
func httpMetricsKept(mp metric.MeterProvider) bool {
	meter := mp.Meter(otelhttpScope)
	for _, name := range otelhttpInstruments {
		h, err := meter.Float64Histogram(name)
		if err != nil || h.Enabled(context.Background()) {
			return true
		}
	}
	return false
}

// httpSpansMade reports whether the tracer the service gives components makes spans: when
// the collector's own traces are off it is a no-op whose spans have no valid context;
// every SDK tracer gives a span a valid context, sampled or not. The probe starts under a
// remote parent that was not sampled, so a parent-based sampler (the default) does not
// record it, and it is never ended, so that no sampler can export it.
func httpSpansMade(tp trace.TracerProvider) bool {
	parent := trace.NewSpanContext(trace.SpanContextConfig{TraceID: trace.TraceID{1}, SpanID: trace.SpanID{1}, Remote: true})
	ctx := trace.ContextWithRemoteSpanContext(context.Background(), parent)
	_, span := tp.Tracer(otelhttpScope).Start(ctx, "rum receiver: internal traces probe")
	return span.SpanContext().IsValid() && !span.SpanContext().Equal(parent)
}

// limitBody caps the body as confighttp does for a body without Content-Encoding.
func limitBody(next http.Handler, limit int64) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, req *http.Request) {
		req.Body = http.MaxBytesReader(w, req.Body, limit)
		next.ServeHTTP(w, req)
	})
}

// corsHandler answers CORS with the options confighttp gives rs/cors, so that a request
// gets the same headers on either route.
func corsHandler(c *confighttp.CORSConfig, next http.Handler) http.Handler {
	return cors.New(cors.Options{
		AllowedOrigins:   c.AllowedOrigins,
		AllowCredentials: true,
		AllowedHeaders:   c.AllowedHeaders,
		ExposedHeaders:   c.ExposedHeaders,
		MaxAge:           c.MaxAge,
	}).Handler(next)
}
