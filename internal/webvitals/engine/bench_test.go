package engine

import (
	"testing"

	"go.opentelemetry.io/collector/pdata/ptrace"
)

// BenchmarkConsumeTracesWithoutPageLoads is what the processor costs a traces pipeline
// whose batches hold no documentLoad and no vitals (backend spans through the same
// pipeline): 3 resources of 10 spans.
func BenchmarkConsumeTracesWithoutPageLoads(b *testing.B) {
	e, _ := newTestEngine(&testing.T{}, false)
	td := ptrace.NewTraces()
	for range 3 {
		rs := td.ResourceSpans().AppendEmpty()
		rs.Resource().Attributes().PutStr("service.name", "shop-backend")
		spans := rs.ScopeSpans().AppendEmpty().Spans()
		for range 10 {
			span := spans.AppendEmpty()
			span.SetName("GET /api/products/{id}")
			span.Attributes().PutStr("http.request.method", "GET")
		}
	}
	b.ReportAllocs()
	for b.Loop() {
		e.ConsumeTraces(td)
	}
}
