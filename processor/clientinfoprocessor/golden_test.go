// Copyright The otelcol-rum Authors
// SPDX-License-Identifier: Apache-2.0

package clientinfoprocessor

import (
	"context"
	"flag"
	"net"
	"os"
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/require"
	"go.opentelemetry.io/collector/pdata/plog"
	"go.opentelemetry.io/collector/pdata/ptrace"

	"github.com/otelcol-rum/otelcol-rum/internal/goldenfile"
	"github.com/otelcol-rum/otelcol-rum/internal/modroot"
)

var update = flag.Bool("update", false, "rewrite the golden files under testdata/golden from the current output")

// receiverGolden is what the rum receiver made of one of the SDK captures.
func receiverGolden(t *testing.T, name string) []byte {
	t.Helper()
	raw, err := os.ReadFile(filepath.Join(modroot.Dir(t), "receiver", "rumreceiver", "testdata", "golden", name))
	require.NoError(t, err)
	return raw
}

// TestGoldenFaroLogs: the receiver's logs of a Faro capture (Faro's meta: browser.* and
// the HeadlessChrome user_agent.original of the capture), the client's address recorded
// by the receiver, through the processor with a city database.
func TestGoldenFaroLogs(t *testing.T) {
	ld, err := (&plog.JSONUnmarshaler{}).UnmarshalLogs(receiverGolden(t, "faro-01-collect.logs.json"))
	require.NoError(t, err)
	for i := range ld.ResourceLogs().Len() {
		ld.ResourceLogs().At(i).Resource().Attributes().PutStr("client.address", londonAddr)
	}
	h := newHarness(t, withDatabase(writeDatabase(t), false))
	require.NoError(t, h.logs.ConsumeLogs(context.Background(), ld))
	goldenfile.Logs(t, filepath.Join("testdata", "golden", "faro.logs.json"), h.logSink.AllLogs(), *update)
}

// TestGoldenOTelTraces: the receiver's spans of an OTel web SDK capture, whose resource
// has no user agent of its own, with an iPhone's User-Agent header and address in the
// context, as a receiver with include_metadata passes them on.
func TestGoldenOTelTraces(t *testing.T) {
	td, err := (&ptrace.JSONUnmarshaler{}).UnmarshalTraces(receiverGolden(t, "otel-01-v1-traces.traces.json"))
	require.NoError(t, err)
	for i := range td.ResourceSpans().Len() {
		td.ResourceSpans().At(i).Resource().Attributes().Remove("user_agent.original")
	}
	const iPhone = "Mozilla/5.0 (iPhone; CPU iPhone OS 18_1 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/18.1 Mobile/15E148 Safari/604.1"
	ctx := fromClient(&net.TCPAddr{IP: net.ParseIP(londonAddr), Port: 50312}, map[string][]string{"User-Agent": {iPhone}})
	h := newHarness(t, withDatabase(writeDatabase(t), false))
	require.NoError(t, h.traces.ConsumeTraces(ctx, td))
	goldenfile.Traces(t, filepath.Join("testdata", "golden", "otel.traces.json"), h.spans.AllTraces(), *update)
}
