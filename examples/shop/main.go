// Copyright The otelcol-rum Authors
// SPDX-License-Identifier: Apache-2.0

// Command shop is a tiny web shop that produces linked browser and backend
// telemetry for the otelcol-rum demo and end-to-end tests. Its pages load the
// Grafana Faro (/) or OpenTelemetry JS (/otel) browser SDK, which send RUM data
// to the collector's rum receiver, while the Go backend exports its own spans
// over OTLP/HTTP. See README.md.
package main

import (
	"context"
	"errors"
	"flag"
	"log"
	"net"
	"net/http"
	"os"
	"os/signal"
	"path/filepath"
	"syscall"
	"time"

	"go.opentelemetry.io/otel"
	"go.opentelemetry.io/otel/propagation"
)

func main() {
	log.SetFlags(log.LstdFlags | log.Lmsgprefix)
	log.SetPrefix("shop: ")
	cfg, err := parseConfig(os.Args[1:], os.Getenv, os.Stderr)
	if errors.Is(err, flag.ErrHelp) {
		return
	}
	if err != nil {
		log.Fatal(err)
	}
	if err := run(cfg); err != nil {
		log.Fatal(err)
	}
}

func run(cfg config) error {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()

	tp, err := newTracerProvider(ctx, cfg.OTLPEndpoint)
	if err != nil {
		return err
	}
	// The globals are for libraries that look them up; the shop itself passes
	// both explicitly.
	prop := propagation.TraceContext{}
	otel.SetTracerProvider(tp)
	otel.SetTextMapPropagator(prop)

	ln, err := net.Listen("tcp", cfg.Listen)
	if err != nil {
		_ = tp.Shutdown(context.Background())
		return err
	}
	srv := &http.Server{
		Handler:           newShop(cfg, tp, prop),
		ReadHeaderTimeout: 5 * time.Second,
	}
	log.Printf("listening on http://%s (Faro pages at /, OpenTelemetry JS pages at /otel)", ln.Addr())
	log.Printf("browsers send RUM to %s with app key %q; backend spans go to %s; bundles from %s",
		cfg.RUMURL, cfg.AppKey, orNone(cfg.OTLPEndpoint), cfg.Assets)

	if _, err := os.Stat(filepath.Join(cfg.Assets, faroVariant.Bundle+".js")); err != nil {
		log.Printf("warning: no bundles in %s yet; build them with `cd tools/browser && npm ci && node build.mjs` "+
			"or point -assets at tools/browser/dist", cfg.Assets)
	}

	serveErr := make(chan error, 1)
	go func() { serveErr <- srv.Serve(ln) }()

	select {
	case err = <-serveErr:
	case <-ctx.Done():
		log.Print("shutting down")
	}

	// Stop taking requests, then flush the spans still in the batch processor:
	// without this the last requests of a demo would never reach the collector.
	shutdownCtx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	if e := srv.Shutdown(shutdownCtx); e != nil {
		log.Printf("http shutdown: %v", e)
	}
	if e := tp.Shutdown(shutdownCtx); e != nil {
		log.Printf("flushing spans: %v", e)
	}
	if errors.Is(err, http.ErrServerClosed) {
		err = nil
	}
	return err
}

func orNone(s string) string {
	if s == "" {
		return "nowhere (export disabled)"
	}
	return s
}
