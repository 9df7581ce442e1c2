// Copyright The otelcol-rum Authors
// SPDX-License-Identifier: Apache-2.0

package harness // import "github.com/otelcol-rum/otelcol-rum/test/internal/harness"

import (
	"compress/gzip"
	"errors"
	"io"
	"net"
	"net/http"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
	"go.opentelemetry.io/collector/pdata/plog"
	"go.opentelemetry.io/collector/pdata/plog/plogotlp"
	"go.opentelemetry.io/collector/pdata/pmetric"
	"go.opentelemetry.io/collector/pdata/pmetric/pmetricotlp"
	"go.opentelemetry.io/collector/pdata/ptrace"
	"go.opentelemetry.io/collector/pdata/ptrace/ptraceotlp"
)

// Sink is the backend of a test: an OTLP/HTTP server on loopback that indexes (and, when
// asked, keeps) what the collector's otlp_http exporter sends it. It can go down and come
// back on the same address, as a backend does in an outage.
type Sink struct {
	addr   string
	retain bool

	srvMu sync.Mutex
	srv   *http.Server

	mu      sync.Mutex
	traces  []ptrace.Traces
	logs    []plog.Logs
	metrics []pmetric.Metrics
	index   Index
}

// NewSink picks a loopback address for a sink without listening on it yet: the backend of
// an outage test is down from the start. retain keeps the received data for Snapshot.
func NewSink(t testing.TB, retain bool) *Sink {
	s := &Sink{addr: Loopback(FreePort(t)), retain: retain, index: newIndex()}
	t.Cleanup(s.Down)
	return s
}

// StartSink is a sink that is up.
func StartSink(t testing.TB, retain bool) *Sink {
	s := NewSink(t, retain)
	s.Up(t)
	return s
}

// URL is the base URL to give an otlp_http exporter.
func (s *Sink) URL() string { return "http://" + s.addr }

// Up starts serving on the sink's address. Right after Down the port may take a moment to
// be free again, hence the retries.
func (s *Sink) Up(t testing.TB) {
	t.Helper()
	s.srvMu.Lock()
	defer s.srvMu.Unlock()
	require.Nil(t, s.srv, "sink is already up")
	var ln net.Listener
	var err error
	for range 50 {
		if ln, err = net.Listen("tcp", s.addr); err == nil {
			break
		}
		time.Sleep(100 * time.Millisecond)
	}
	require.NoError(t, err, "sink listening on %s", s.addr)
	mux := http.NewServeMux()
	mux.HandleFunc("/v1/traces", sinkHandler(s, ptraceotlp.NewExportRequest, func(r ptraceotlp.ExportRequest) {
		s.index.addTraces(r.Traces())
		if s.retain {
			s.traces = append(s.traces, r.Traces())
		}
	}))
	mux.HandleFunc("/v1/logs", sinkHandler(s, plogotlp.NewExportRequest, func(r plogotlp.ExportRequest) {
		s.index.addLogs(r.Logs())
		if s.retain {
			s.logs = append(s.logs, r.Logs())
		}
	}))
	mux.HandleFunc("/v1/metrics", sinkHandler(s, pmetricotlp.NewExportRequest, func(r pmetricotlp.ExportRequest) {
		s.index.addMetrics(r.Metrics())
		if s.retain {
			s.metrics = append(s.metrics, r.Metrics())
		}
	}))
	s.srv = &http.Server{Handler: mux, ReadHeaderTimeout: 10 * time.Second}
	go func(srv *http.Server) { _ = srv.Serve(ln) }(s.srv)
}

// Down closes the listener and every connection: the exporter sees connection refused.
func (s *Sink) Down() {
	s.srvMu.Lock()
	defer s.srvMu.Unlock()
	if s.srv != nil {
		_ = s.srv.Close()
		s.srv = nil
	}
}

// sinkHandler decodes one signal's export requests and keeps them under the sink's lock.
func sinkHandler[R interface{ UnmarshalProto([]byte) error }](s *Sink, newRequest func() R, keep func(R)) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		req := newRequest()
		if err := decode(r, req.UnmarshalProto); err != nil {
			http.Error(w, err.Error(), http.StatusBadRequest)
			return
		}
		s.mu.Lock()
		s.index.Requests++
		keep(req)
		s.mu.Unlock()
		w.Header().Set("Content-Type", "application/x-protobuf")
		w.WriteHeader(http.StatusOK)
	}
}

func decode(r *http.Request, unmarshal func([]byte) error) error {
	var body io.Reader = r.Body
	if r.Header.Get("Content-Encoding") == "gzip" {
		zr, err := gzip.NewReader(r.Body)
		if err != nil {
			return err
		}
		body = zr
	}
	raw, err := io.ReadAll(body)
	if err != nil {
		return err
	}
	if len(raw) == 0 {
		return errors.New("empty export request")
	}
	return unmarshal(raw)
}

// Snapshot returns copies of the slices received so far (empty unless the sink retains).
func (s *Sink) Snapshot() ([]ptrace.Traces, []plog.Logs, []pmetric.Metrics) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]ptrace.Traces(nil), s.traces...), append([]plog.Logs(nil), s.logs...), append([]pmetric.Metrics(nil), s.metrics...)
}

// Read calls fn with the index under the sink's lock; fn must not keep it.
func (s *Sink) Read(fn func(*Index)) {
	s.mu.Lock()
	defer s.mu.Unlock()
	fn(&s.index)
}
