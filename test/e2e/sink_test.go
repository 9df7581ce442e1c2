//go:build e2e

package e2e

import (
	"compress/gzip"
	"io"
	"net"
	"net/http"
	"sync"
	"testing"

	"github.com/stretchr/testify/require"
	"go.opentelemetry.io/collector/pdata/plog"
	"go.opentelemetry.io/collector/pdata/plog/plogotlp"
	"go.opentelemetry.io/collector/pdata/pmetric"
	"go.opentelemetry.io/collector/pdata/pmetric/pmetricotlp"
	"go.opentelemetry.io/collector/pdata/ptrace"
	"go.opentelemetry.io/collector/pdata/ptrace/ptraceotlp"
)

// otlpSink is the backend of the test: an OTLP/HTTP server on loopback that keeps what
// the collector's otlp_http exporter sends it.
type otlpSink struct {
	url string

	mu      sync.Mutex
	traces  []ptrace.Traces
	logs    []plog.Logs
	metrics []pmetric.Metrics
}

func startSink(t *testing.T) *otlpSink {
	s := &otlpSink{}
	mux := http.NewServeMux()
	mux.HandleFunc("/v1/traces", sinkHandler(s, ptraceotlp.NewExportRequest, func(r ptraceotlp.ExportRequest) {
		s.traces = append(s.traces, r.Traces())
	}))
	mux.HandleFunc("/v1/logs", sinkHandler(s, plogotlp.NewExportRequest, func(r plogotlp.ExportRequest) {
		s.logs = append(s.logs, r.Logs())
	}))
	mux.HandleFunc("/v1/metrics", sinkHandler(s, pmetricotlp.NewExportRequest, func(r pmetricotlp.ExportRequest) {
		s.metrics = append(s.metrics, r.Metrics())
	}))
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	require.NoError(t, err)
	srv := &http.Server{Handler: mux}
	go func() { _ = srv.Serve(ln) }()
	t.Cleanup(func() { _ = srv.Close() })
	s.url = "http://" + ln.Addr().String()
	return s
}

// sinkHandler decodes one signal's export requests and keeps them under the sink's lock.
func sinkHandler[R interface{ UnmarshalProto([]byte) error }](s *otlpSink, newRequest func() R, keep func(R)) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		req := newRequest()
		if s.decode(w, r, req.UnmarshalProto) {
			s.mu.Lock()
			keep(req)
			s.mu.Unlock()
		}
	}
}

func (s *otlpSink) decode(w http.ResponseWriter, r *http.Request, unmarshal func([]byte) error) bool {
	var body io.Reader = r.Body
	if r.Header.Get("Content-Encoding") == "gzip" {
		zr, err := gzip.NewReader(r.Body)
		if err != nil {
			http.Error(w, err.Error(), http.StatusBadRequest)
			return false
		}
		body = zr
	}
	raw, err := io.ReadAll(body)
	if err == nil {
		err = unmarshal(raw)
	}
	if err != nil {
		http.Error(w, err.Error(), http.StatusBadRequest)
		return false
	}
	w.Header().Set("Content-Type", "application/x-protobuf")
	w.WriteHeader(http.StatusOK)
	return true
}

// snapshot returns copies of the slices received so far.
func (s *otlpSink) snapshot() ([]ptrace.Traces, []plog.Logs, []pmetric.Metrics) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]ptrace.Traces(nil), s.traces...), append([]plog.Logs(nil), s.logs...), append([]pmetric.Metrics(nil), s.metrics...)
}
