// Copyright The otelcol-rum Authors
// SPDX-License-Identifier: Apache-2.0

// Command floor is the load test's floor: a bare net/http server that reads each request
// body to its end and answers 202 with a short JSON body, as the rum receiver does for an
// accepted Faro batch or beacon, and does nothing else. What a collector does beyond this
// is what it costs over the machine's HTTP floor (see docs/benchmarks.md, "Load test").
//
//	floor -addr 127.0.0.1:19340
//
// It stops on SIGINT or SIGTERM.
package main

import (
	"context"
	"errors"
	"flag"
	"io"
	"log"
	"net/http"
	"os/signal"
	"syscall"
	"time"
)

// accepted is about the size of the receiver's 202 body ({"accepted":N,"rejected":0}), so
// both servers write as many bytes back.
var accepted = []byte(`{"accepted":12,"rejected":0}`)

func main() {
	addr := flag.String("addr", "127.0.0.1:19340", "listen address (keep it on loopback)")
	flag.Parse()

	srv := &http.Server{
		Addr:              *addr,
		Handler:           http.HandlerFunc(readAndAccept),
		ReadHeaderTimeout: 10 * time.Second,
	}
	ctx, stop := signal.NotifyContext(context.Background(), syscall.SIGINT, syscall.SIGTERM)
	defer stop()
	go func() {
		<-ctx.Done()
		shutdownCtx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		defer cancel()
		_ = srv.Shutdown(shutdownCtx)
	}()
	if err := srv.ListenAndServe(); err != nil && !errors.Is(err, http.ErrServerClosed) {
		log.Fatal(err)
	}
}

// readAndAccept reads the body whole, as any receiver must before it can decode it.
func readAndAccept(w http.ResponseWriter, req *http.Request) {
	if _, err := io.Copy(io.Discard, req.Body); err != nil {
		http.Error(w, err.Error(), http.StatusBadRequest)
		return
	}
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(http.StatusAccepted)
	_, _ = w.Write(accepted)
}
