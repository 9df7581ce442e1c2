// Copyright The otelcol-rum Authors
// SPDX-License-Identifier: Apache-2.0

package normalize

import (
	"os"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"go.opentelemetry.io/collector/pdata/pcommon"
	"go.opentelemetry.io/collector/pdata/plog"
	"go.opentelemetry.io/collector/pdata/plog/plogotlp"

	"github.com/otelcol-rum/otelcol-rum/receiver/rumreceiver/internal/beacon"
	"github.com/otelcol-rum/otelcol-rum/receiver/rumreceiver/internal/faro"
)

var received = time.Date(2026, 11, 21, 10, 0, 5, 0, time.UTC)

func testSource() *Source {
	return &Source{Received: received, MaxClockSkew: time.Minute, MaxTimestampAge: 24 * time.Hour, UserAttributes: map[string]bool{}}
}

func allKinds(t *testing.T) *faro.Payload {
	body, err := os.ReadFile("../faro/testdata/all-kinds.json")
	require.NoError(t, err)
	p, err := faro.Decode(body)
	require.NoError(t, err)
	return p
}

func records(ld plog.Logs) []plog.LogRecord {
	var out []plog.LogRecord
	for _, rl := range ld.ResourceLogs().All() {
		for _, sl := range rl.ScopeLogs().All() {
			for _, lr := range sl.LogRecords().All() {
				out = append(out, lr)
			}
		}
	}
	return out
}

func str(t *testing.T, m pcommon.Map, key string) string {
	t.Helper()
	v, ok := m.Get(key)
	require.True(t, ok, "missing attribute %s in %v", key, m.AsRaw())
	return v.AsString()
}

func byEvent(t *testing.T, ld plog.Logs, name string) plog.LogRecord {
	t.Helper()
	for _, lr := range records(ld) {
		if lr.EventName() == name {
			return lr
		}
	}
	t.Fatalf("no %q record", name)
	return plog.LogRecord{}
}

func TestFaroResourceAndPrivacy(t *testing.T) {
	src := testSource()
	res := FromFaro(allKinds(t), src, "v1")
	attrs := res.Logs.ResourceLogs().At(0).Resource().Attributes()
	want := map[string]any{
		"service.name": "shop-web", "service.version": "1.4.2", "deployment.environment.name": "test",
		"telemetry.sdk.name": "@grafana/faro-web-sdk", "telemetry.sdk.version": "2.12.1", "telemetry.sdk.language": "webjs",
		"browser.name": "Chrome", "browser.version": "156.0.0.0", "browser.platform": "Linux x86_64", "browser.mobile": false,
		"browser.language": "en-US", "browser.brands": []any{"Chromium 156", "Not.A/Brand 99"},
		"user_agent.original": "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/156.0.0.0 Safari/537.36",
		"session.id":          "sess-1", "session.previous_id": "sess-0", "user.id": "u-7",
		"rum.network.effective_type": "3g",
	}
	assert.Equal(t, want, attrs.AsRaw(), "no user.email, user.name or client.address by default")

	src.UserAttributes = map[string]bool{"email": true}
	src.ClientAddress = "203.0.113.9"
	src.AppName = "configured-name"
	attrs = FromFaro(allKinds(t), src, "v1").Logs.ResourceLogs().At(0).Resource().Attributes()
	assert.Equal(t, "ann@example.com", str(t, attrs, "user.email"))
	_, hasName := attrs.Get("user.name")
	assert.False(t, hasName, "only the allowed user attributes")
	assert.Equal(t, "203.0.113.9", str(t, attrs, "client.address"))
	assert.Equal(t, "configured-name", str(t, attrs, "service.name"), "the configured app wins over the payload")
}

func TestFaroItemsBecomeRecords(t *testing.T) {
	res := FromFaro(allKinds(t), testSource(), "v1")
	require.Empty(t, res.Rejected)
	require.Equal(t, 4, res.Logs.LogRecordCount())

	exc := byEvent(t, res.Logs, "exception")
	assert.Equal(t, plog.SeverityNumberError, exc.SeverityNumber())
	assert.Equal(t, "TypeError", str(t, exc.Attributes(), "exception.type"))
	assert.Equal(t, "x is undefined", str(t, exc.Attributes(), "exception.message"))
	assert.Equal(t, "TypeError: x is undefined\n    at checkout (https://shop.example/app.js:10:5)\n    at onClick (https://shop.example/app.js:20:7)",
		str(t, exc.Attributes(), "exception.stacktrace"))
	assert.Equal(t, "0af7651916cd43dd8448eb211c80319c", exc.TraceID().String())
	assert.Equal(t, "https://shop.example/product/42?ref=mail", str(t, exc.Attributes(), "url.full"))
	assert.Equal(t, time.Date(2026, 11, 21, 10, 0, 1, 0, time.UTC), exc.Timestamp().AsTime())
	assert.Equal(t, received, exc.ObservedTimestamp().AsTime())

	ev := byEvent(t, res.Logs, "add_to_cart")
	assert.Equal(t, "42", str(t, ev.Attributes(), "product_id"))
	assert.Equal(t, "shop", str(t, ev.Attributes(), "faro.event.domain"))

	vital := byEvent(t, res.Logs, "browser.web_vital")
	for k, v := range map[string]string{
		"browser.web_vital.name": "lcp", "browser.web_vital.value": "1234.5", "browser.web_vital.delta": "1234.5",
		"browser.web_vital.id": "v5-1", "browser.web_vital.rating": "good", "browser.web_vital.navigation_type": "navigate",
		"rum.navigation.id": "nav-1",
	} {
		assert.Equal(t, v, str(t, vital.Attributes(), k), k)
	}

	var logMsg plog.LogRecord
	for _, lr := range records(res.Logs) {
		if lr.EventName() == "" {
			logMsg = lr
		}
	}
	assert.Equal(t, "cart loaded", logMsg.Body().Str())
	assert.Equal(t, plog.SeverityNumberInfo, logMsg.SeverityNumber())

	// The spans keep their own service.name and gain the session.
	require.Equal(t, 1, res.Traces.SpanCount())
	sattrs := res.Traces.ResourceSpans().At(0).Resource().Attributes()
	assert.Equal(t, "shop-web", str(t, sattrs, "service.name"))
	assert.Equal(t, "sess-1", str(t, sattrs, "session.id"))
}

func TestVitalMetricPointCarriesExemplar(t *testing.T) {
	p := allKinds(t)
	p.Measurements[0].Parsed.TraceID = [16]byte{0xaa, 1}
	p.Measurements[0].Parsed.SpanID = [8]byte{0xbb, 2}
	res := FromFaro(p, testSource(), "v1")
	require.Equal(t, 1, res.Metrics.ResourceMetrics().Len())
	m := res.Metrics.ResourceMetrics().At(0).ScopeMetrics().At(0).Metrics().At(0)
	assert.Equal(t, "browser.web_vital.lcp.measurement", m.Name())
	assert.Equal(t, "ms", m.Unit())
	dp := m.Gauge().DataPoints().At(0)
	assert.InDelta(t, 1234.5, dp.DoubleValue(), 0)
	assert.Equal(t, "nav-1", str(t, dp.Attributes(), "rum.navigation.id"))
	require.Equal(t, 1, dp.Exemplars().Len())
	ex := dp.Exemplars().At(0)
	assert.Equal(t, pcommon.TraceID([16]byte{0xaa, 1}), ex.TraceID())
	assert.Equal(t, pcommon.SpanID([8]byte{0xbb, 2}), ex.SpanID())
	assert.InDelta(t, 1234.5, ex.DoubleValue(), 0)
}

func TestFutureTimestampCorrectedAndFlagged(t *testing.T) {
	p := allKinds(t)
	p.Logs[0].Parsed.Time = received.Add(time.Hour)
	p.Logs[0].Timestamp = "2026-11-21T11:00:05Z"
	p.Events[0].Parsed.Time = received.Add(30 * time.Second) // within the skew: kept
	res := FromFaro(p, testSource(), "v1")
	assert.Equal(t, 1, res.Corrected)
	for _, lr := range records(res.Logs) {
		if lr.EventName() == "" {
			assert.Equal(t, received, lr.Timestamp().AsTime())
			assert.Equal(t, "true", str(t, lr.Attributes(), "rum.timestamp.corrected"))
			assert.Equal(t, "2026-11-21T11:00:05Z", str(t, lr.Attributes(), "rum.timestamp.original"))
		}
		if lr.EventName() == "add_to_cart" {
			assert.Equal(t, received.Add(30*time.Second), lr.Timestamp().AsTime())
		}
	}
}

// TestPastTimestampCorrectedAndFlagged: the past is bounded like the future. A time older
// than max_timestamp_age, and one before 1970 (which pdata's unsigned nanoseconds would
// turn into a date centuries ahead), are replaced by the receive time and flagged.
func TestPastTimestampCorrectedAndFlagged(t *testing.T) {
	for _, tc := range []struct {
		name    string
		at      time.Time
		correct bool
	}{
		{"within the age", received.Add(-23 * time.Hour), false},
		{"older than the age", received.Add(-25 * time.Hour), true},
		{"1900", time.Date(1900, 1, 1, 0, 0, 0, 0, time.UTC), true},
		{"1677, outside int64 nanoseconds", time.Date(1677, 1, 1, 0, 0, 0, 0, time.UTC), true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			p := &faro.Payload{Logs: []faro.Log{{Message: "m", ItemBase: faro.ItemBase{Timestamp: tc.at.Format(time.RFC3339)}}}}
			p.Logs[0].Parsed.Time = tc.at
			res := FromFaro(p, testSource(), "v1")
			lr := records(res.Logs)[0]
			if !tc.correct {
				assert.Equal(t, 0, res.Corrected)
				assert.Equal(t, tc.at, lr.Timestamp().AsTime())
				return
			}
			assert.Equal(t, 1, res.Corrected)
			assert.Equal(t, received, lr.Timestamp().AsTime())
			assert.Equal(t, "true", str(t, lr.Attributes(), "rum.timestamp.corrected"))
			assert.Equal(t, tc.at.Format(time.RFC3339), str(t, lr.Attributes(), "rum.timestamp.original"))
		})
	}
}

func TestOTLPLogAtTheEpochCorrected(t *testing.T) {
	ld := plog.NewLogs()
	lr := ld.ResourceLogs().AppendEmpty().ScopeLogs().AppendEmpty().LogRecords().AppendEmpty()
	lr.SetTimestamp(1) // 1970-01-01, as a client without a clock sends it
	_, corrected := FromOTLPLogs(ld, testSource(), "v1")
	assert.Equal(t, 1, corrected)
	assert.Equal(t, received, lr.Timestamp().AsTime())
	assert.Equal(t, "true", str(t, lr.Attributes(), "rum.timestamp.corrected"))
}

func TestNavigationEventGetsNavigationID(t *testing.T) {
	p := &faro.Payload{Events: []faro.Event{{Name: "faro.performance.navigation", Attributes: faro.Attrs{{Key: "faroNavigationId", Value: "nav-7"}}}}}
	res := FromFaro(p, testSource(), "v1")
	assert.Equal(t, "nav-7", str(t, byEvent(t, res.Logs, "faro.performance.navigation").Attributes(), "rum.navigation.id"))
}

func TestBeacon(t *testing.T) {
	b, err := beacon.Decode([]byte(`[{"name":"INP","value":180,"delta":40,"id":"v5-3","rating":"good","navigationType":"navigate"},{"name":"CLS","value":0.2,"id":"v5-4","sessionId":"from-body"}]`))
	require.NoError(t, err)
	src := testSource()
	src.UserAgent = "Mozilla/5.0 (Linux; Android 14; Pixel 8) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/156.0.0.0 Mobile Safari/537.36"
	res := FromBeacon(b, BeaconIdentity{SessionID: "from-query", PageURL: "https://shop.example/cart", AppName: "shop"}, src, "v1")
	attrs := res.Logs.ResourceLogs().At(0).Resource().Attributes()
	assert.Equal(t, "shop", str(t, attrs, "service.name"))
	assert.Equal(t, "from-body", str(t, attrs, "session.id"), "a body field wins over the query")
	assert.Equal(t, src.UserAgent, str(t, attrs, "user_agent.original"))
	for _, parsed := range []string{"browser.name", "browser.platform", "browser.mobile", "user_agent.name"} {
		_, ok := attrs.Get(parsed)
		assert.False(t, ok, "%s is the clientinfo processor's", parsed)
	}
	require.Equal(t, 2, res.Logs.LogRecordCount())
	inp := records(res.Logs)[0]
	assert.Equal(t, "40", str(t, inp.Attributes(), "browser.web_vital.delta"))
	assert.Equal(t, "https://shop.example/cart", str(t, inp.Attributes(), "url.full"))
	cls := records(res.Logs)[1]
	assert.Equal(t, "0.2", str(t, cls.Attributes(), "browser.web_vital.delta"), "delta defaults to the value")
	assert.Equal(t, 2, res.Metrics.DataPointCount())
}

func TestOTLPLogsBothVitalForms(t *testing.T) {
	for _, file := range []string{"testdata/otlplogs/body-form.json", "testdata/otlplogs/attribute-form.json"} {
		t.Run(file, func(t *testing.T) {
			body, err := os.ReadFile(file)
			require.NoError(t, err)
			req := plogotlp.NewExportRequest()
			require.NoError(t, req.UnmarshalJSON(body))
			ld := req.Logs()
			metrics, corrected := FromOTLPLogs(ld, testSource(), "v1")
			assert.Equal(t, 0, corrected)
			require.Equal(t, 1, metrics.DataPointCount())
			lr := byEvent(t, ld, "browser.web_vital")
			name := str(t, lr.Attributes(), "browser.web_vital.name")
			assert.NotEmpty(t, str(t, lr.Attributes(), "browser.web_vital.id"))
			m := metrics.ResourceMetrics().At(0).ScopeMetrics().At(0).Metrics().At(0)
			assert.Equal(t, "browser.web_vital."+name+".measurement", m.Name())
			assert.Equal(t, str(t, ld.ResourceLogs().At(0).Resource().Attributes(), "service.name"),
				str(t, metrics.ResourceMetrics().At(0).Resource().Attributes(), "service.name"))
			exemplars := m.Gauge().DataPoints().At(0).Exemplars()
			if lr.TraceID().IsEmpty() {
				assert.Zero(t, exemplars.Len(), "no trace, no exemplar")
			} else {
				require.Equal(t, 1, exemplars.Len())
				assert.Equal(t, lr.TraceID(), exemplars.At(0).TraceID())
			}
		})
	}
}
