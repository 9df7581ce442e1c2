// Copyright The otelcol-rum Authors
// SPDX-License-Identifier: Apache-2.0

package rumreceiver

import (
	"context"
	"net/http"
	"net/http/httptest"
	"os"
	"sync"
	"testing"

	"github.com/stretchr/testify/require"
	"go.opentelemetry.io/collector/component"
	"go.opentelemetry.io/collector/component/componenttest"
	"go.opentelemetry.io/collector/consumer"
	"go.opentelemetry.io/collector/consumer/consumertest"
	"go.opentelemetry.io/collector/pdata/pcommon"
	"go.opentelemetry.io/collector/pdata/plog"
	"go.opentelemetry.io/collector/processor/processortest"

	"github.com/otelcol-rum/otelcol-rum/internal/sdkcaptures"
	"github.com/otelcol-rum/otelcol-rum/processor/clientinfoprocessor"
)

// envGeoIPDatabase names the CC0 database of scripts/install-geoip.sh, as make run and
// the end-to-end test read it.
const envGeoIPDatabase = "RUM_GEOIP_DATABASE"

// beaconClient is the address a trusted proxy names as the client: in the CC0 database
// (GB), so the lookup finds it.
const beaconClient = "81.2.69.142"

// BenchmarkBeaconPath is the cost of one real web-vitals beacon (the LCP of the "vitals"
// capture, with its browser's User-Agent) from the request through confighttp's handler
// and the receiver's decoding into pdata, behind a trusted proxy that names the client in
// X-Forwarded-For:
//
//   - before: the receiver alone, as before the clientinfo processor;
//   - after: the receiver in front of the clientinfo processor, its User-Agent cached (as
//     every beacon's but the first of a browser is) and its client looked up in the CC0
//     database of RUM_GEOIP_DATABASE (without it, only the User-Agent, with a log).
//
// The handler is called directly, without a socket, so that the difference is not lost
// in the loopback's noise. See docs/benchmarks.md, Who suffers.
func BenchmarkBeaconPath(b *testing.B) {
	capture := sdkcaptures.Load(b).Of(b, "vitals")[2]
	require.Equal(b, "vitals-03-lcp.json", capture.File)
	body := capture.Body(b)

	b.Run("before", func(b *testing.B) {
		nop := consumertest.NewNop()
		benchBeacon(b, beaconReceiver(b, nop, nop, nop), capture, body)
	})
	b.Run("after", func(b *testing.B) {
		probe := &resourceProbe{}
		tr, lg, mt := clientInfoFront(b, probe)
		handler := beaconReceiver(b, tr, lg, mt)
		// One beacon first, untimed: it parses the User-Agent into the cache, and shows
		// the processor did its work.
		serveBeacon(b, handler, capture, body)
		attrs := probe.first()
		require.Contains(b, attrs, "user_agent.name")
		if os.Getenv(envGeoIPDatabase) != "" {
			require.Equal(b, "GB", attrs["geo.country.iso_code"])
		}
		benchBeacon(b, handler, capture, body)
	})
}

// beaconReceiver starts a receiver that trusts the loopback as its proxy and knows the
// captures' app key, and returns its whole HTTP handler.
func beaconReceiver(b *testing.B, traces consumer.Traces, logs consumer.Logs, metrics consumer.Metrics) http.Handler {
	cfg := createDefaultConfig().(*Config)
	cfg.NetAddr.Endpoint = freeLoopbackAddr(b)
	cfg.RateLimit = RateLimitConfig{}
	cfg.Apps = []AppConfig{{Name: "shop-web", APIKey: "test-app-key"}}
	cfg.TrustedProxies = []string{loopbackProxies}
	return startBenchReceiver(b, cfg, traces, logs, metrics).server.Handler
}

func benchBeacon(b *testing.B, handler http.Handler, capture sdkcaptures.Capture, body []byte) {
	b.SetBytes(int64(len(body)))
	b.ReportAllocs()
	b.ResetTimer()
	for b.Loop() {
		serveBeacon(b, handler, capture, body)
	}
}

func serveBeacon(b *testing.B, handler http.Handler, capture sdkcaptures.Capture, body []byte) {
	req := capture.Request(b, "", body)
	req.RemoteAddr = "127.0.0.1:40000"
	req.Header.Set("X-Forwarded-For", beaconClient)
	rec := httptest.NewRecorder()
	handler.ServeHTTP(rec, req)
	if rec.Code != http.StatusAccepted {
		b.Fatalf("status %d: %s", rec.Code, rec.Body)
	}
}

// clientInfoFront is the clientinfo processor with its defaults and the database of
// RUM_GEOIP_DATABASE, for each signal, in front of next.
func clientInfoFront(b *testing.B, next *resourceProbe) (consumer.Traces, consumer.Logs, consumer.Metrics) {
	f := clientinfoprocessor.NewFactory()
	cfg := f.CreateDefaultConfig().(*clientinfoprocessor.Config)
	if db := os.Getenv(envGeoIPDatabase); db != "" {
		cfg.GeoIP.Database = db
	} else {
		b.Logf("%s is not set (scripts/install-geoip.sh | tail -1): after parses the User-Agent and locates nothing", envGeoIPDatabase)
	}
	ctx := context.Background()
	set := processortest.NewNopSettings(f.Type())
	tr, err := f.CreateTraces(ctx, set, cfg, consumertest.NewNop())
	require.NoError(b, err)
	lg, err := f.CreateLogs(ctx, set, cfg, next)
	require.NoError(b, err)
	mt, err := f.CreateMetrics(ctx, set, cfg, consumertest.NewNop())
	require.NoError(b, err)
	for _, c := range []component.Component{tr, lg, mt} {
		require.NoError(b, c.Start(ctx, componenttest.NewNopHost()))
		b.Cleanup(func() { require.NoError(b, c.Shutdown(context.Background())) })
	}
	return tr, lg, mt
}

// resourceProbe is a logs consumer that keeps the first resource's attributes of the
// first logs only, so that a benchmark can check what came out without paying for a
// copy of every beacon's.
type resourceProbe struct {
	mu    sync.Mutex
	seen  bool
	attrs pcommon.Map
}

func (p *resourceProbe) Capabilities() consumer.Capabilities { return consumer.Capabilities{} }

func (p *resourceProbe) ConsumeLogs(_ context.Context, ld plog.Logs) error {
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.seen || ld.ResourceLogs().Len() == 0 {
		return nil
	}
	p.seen = true
	p.attrs = pcommon.NewMap()
	ld.ResourceLogs().At(0).Resource().Attributes().CopyTo(p.attrs)
	return nil
}

func (p *resourceProbe) first() map[string]any {
	p.mu.Lock()
	defer p.mu.Unlock()
	return p.attrs.AsRaw()
}
