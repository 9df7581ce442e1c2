// Copyright The otelcol-rum Authors
// SPDX-License-Identifier: Apache-2.0

package normalize // import "github.com/otelcol-rum/otelcol-rum/receiver/rumreceiver/internal/normalize"

import (
	"cmp"
	"strings"

	"go.opentelemetry.io/collector/pdata/pcommon"
	"go.opentelemetry.io/collector/pdata/plog"

	"github.com/otelcol-rum/otelcol-rum/internal/pattrs"
	"github.com/otelcol-rum/otelcol-rum/internal/rumconv"
	"github.com/otelcol-rum/otelcol-rum/receiver/rumreceiver/internal/beacon"
)

// BeaconIdentity is what a /vitals request says about itself outside the metric objects:
// sendBeacon cannot set headers, so these come from query parameters.
type BeaconIdentity struct {
	SessionID   string
	PageURL     string
	AppName     string
	Environment string
	// EffectiveType is navigator.connection.effectiveType.
	EffectiveType string
}

// FromBeacon normalizes web-vitals beacons. The library sends no timestamp and no trace
// context: the receive time is the record time. Body fields (sessionId, url, app, effectiveType) win over query parameters
// because a page that bothered to add them knows best.
func FromBeacon(bc *beacon.Beacon, id BeaconIdentity, src *Source, version string) Result {
	session := cmp.Or(bodyField(bc, func(m *beacon.Metric) string { return m.SessionID }), id.SessionID)
	network := cmp.Or(effectiveType(bodyField(bc, func(m *beacon.Metric) string { return m.EffectiveType })), effectiveType(id.EffectiveType))
	app := cmp.Or(src.AppName, bodyField(bc, func(m *beacon.Metric) string { return m.AppName }), id.AppName, defaultServiceName)
	b := newBatch(src, version, func(attrs pcommon.Map) {
		attrs.EnsureCapacity(beaconResourceAttributes)
		attrs.PutStr(rumconv.AttrServiceName, app)
		pattrs.PutNonEmpty(attrs, rumconv.AttrDeploymentEnvironmentName, cmp.Or(id.Environment, src.AppEnvironment))
		attrs.PutStr(rumconv.AttrTelemetrySDKName, rumconv.SDKNameWebVitals)
		attrs.PutStr(rumconv.AttrTelemetrySDKLanguage, "webjs")
		// The browser, OS and device are the clientinfo processor's to read from it.
		pattrs.PutNonEmpty(attrs, rumconv.AttrUserAgentOriginal, src.UserAgent)
		pattrs.PutNonEmpty(attrs, rumconv.AttrSessionID, session)
		pattrs.PutNonEmpty(attrs, rumconv.AttrRUMNetworkEffectiveType, network)
		pattrs.PutNonEmpty(attrs, rumconv.AttrClientAddress, src.ClientAddress)
	})
	b.res.Rejected = append(b.res.Rejected, bc.Rejected...)
	for i := range bc.Metrics {
		m := &bc.Metrics[i]
		b.pageURL = cmp.Or(m.PageURL, id.PageURL)
		lr := b.appendRecord(b.receivedHeader(), rumconv.EventWebVital)
		lr.SetSeverityNumber(plog.SeverityNumberInfo)
		v := Vital{
			Name:           strings.ToLower(m.Name),
			Value:          *m.Value,
			Delta:          *m.Delta,
			ID:             m.ID,
			Rating:         m.Rating,
			NavigationType: m.NavigationType,
		}
		putVitalAttributes(lr.Attributes(), &v)
		b.addVital(&v, lr)
	}
	return b.finish()
}

// beaconResourceAttributes is how many attributes FromBeacon may put on the resource, to
// size its map once rather than let it grow by doubling.
const beaconResourceAttributes = 8

// bodyField is the first non-empty identity field in a batch: one page sends one beacon,
// so all its metrics share a session and app.
func bodyField(bc *beacon.Beacon, field func(*beacon.Metric) string) string {
	for i := range bc.Metrics {
		if v := field(&bc.Metrics[i]); v != "" {
			return v
		}
	}
	return ""
}
