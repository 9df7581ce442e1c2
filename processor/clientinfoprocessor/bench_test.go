// Copyright The otelcol-rum Authors
// SPDX-License-Identifier: Apache-2.0

package clientinfoprocessor

import (
	"context"
	"net"
	"testing"

	"github.com/stretchr/testify/require"
	"go.opentelemetry.io/collector/pdata/plog"
	"go.opentelemetry.io/collector/processor/processortest"

	"github.com/otelcol-rum/otelcol-rum/processor/clientinfoprocessor/internal/metadata"
)

// BenchmarkEnrichResource: one resource of a request, as the processor sees each one
// from the receiver: its User-Agent string cached, its address looked up in a city
// database, the attributes written.
func BenchmarkEnrichResource(b *testing.B) {
	cfg := createDefaultConfig().(*Config)
	cfg.GeoIP.Database = writeDatabase(b)
	p, err := newClientInfoProcessor(cfg, processortest.NewNopSettings(metadata.Type))
	require.NoError(b, err)
	require.NoError(b, p.Start(context.Background(), nil))
	defer func() { require.NoError(b, p.Shutdown(context.Background())) }()
	ctx := fromClient(&net.TCPAddr{IP: net.ParseIP(londonAddr), Port: 40000}, nil)
	ld := logsOf(map[string]any{"service.name": "shop", "user_agent.original": samsungUA})
	res := ld.ResourceLogs().At(0).Resource()
	fresh := plog.NewResourceLogs().Resource()
	b.ReportAllocs()
	for b.Loop() {
		res.CopyTo(fresh)
		p.enrich(ctx, fresh.Attributes())
	}
}
