// Copyright The otelcol-rum Authors
// SPDX-License-Identifier: Apache-2.0

package sessionprocessor // import "github.com/otelcol-rum/otelcol-rum/processor/sessionprocessor"

import (
	"strconv"
	"time"

	"go.opentelemetry.io/collector/pdata/plog"

	"github.com/otelcol-rum/otelcol-rum/internal/pattrs"
	"github.com/otelcol-rum/otelcol-rum/internal/rumconv"
	"github.com/otelcol-rum/otelcol-rum/processor/sessionprocessor/internal/store"
)

// The SDKs' soft-navigation events, as the rum receiver passes them on (a Faro event's
// name is the record's event name, its attributes the record's, all strings, and its
// url.full the page of the payload). Every name the SDKs use for them is in this file:
// read from @grafana/faro-core 2.12.1, its navigation and view instrumentations,
// faro-react's router integration and @opentelemetry/instrumentation-browser-navigation
// 0.15.0, and checked against the spa-faro and spa-otel captures
// (receiver/rumreceiver/testdata/sdk).
const (
	// Faro's route_change (faro-react's router integration): toUrl, toRoute, fromUrl,
	// fromRoute.
	faroRouteChange  = "route_change"
	faroRouteToURL   = "toUrl"
	faroRouteToRoute = "toRoute"
	// Faro's view_changed (its view API, faro.api.setView): fromView, toView; its url.full
	// is the page. The first, with fromView "unknown", names the first view the app set:
	// taken for no navigation (a route change that comes with it is one).
	faroViewChanged  = "view_changed"
	faroViewFrom     = "fromView"
	faroUnknownValue = "unknown"
	// Faro's navigation instrumentation (experimental.trackNavigation): a URL change that
	// changed the page after an interaction, sent once the page settled, duration ms
	// after the interaction; it repeats a route_change, and counts once (same URL).
	faroNavigation         = "faro.navigation"
	faroNavigationToURL    = "toUrl"
	faroNavigationSameDoc  = "sameDocument"
	faroNavigationDuration = "duration"
	// The OTel browser.navigation log event; the document load's (same_document false)
	// is the documentLoad span's page view.
	otelNavigation        = "browser.navigation"
	otelNavigationSameDoc = "browser.navigation.same_document"
	otelNavigationType    = "browser.navigation.type"
)

// isNavigation says whether a log record starts a view; navigations are handled before
// the other records of their scope.
func isNavigation(lr plog.LogRecord) bool {
	switch lr.EventName() {
	case rumconv.EventFaroNavigation, faroRouteChange, faroViewChanged, faroNavigation, otelNavigation:
		return true
	case "":
		// SDKs that predate the EventName field named the event in an attribute.
		return pattrs.Str(lr.Attributes(), rumconv.AttrEventName) == otelNavigation
	}
	return false
}

// readNavigation reads the view a log record starts: a hard one (Faro's page load) or a
// soft one (explicit is then set). ok is false for any other record, and for a
// navigation event that names no URL.
func readNavigation(lr plog.LogRecord, url string) (pv store.PageView, explicit, ok bool) {
	attrs := lr.Attributes()
	pv = store.PageView{URL: url, Start: recordTime(lr), Soft: true}
	name := lr.EventName()
	if name == "" {
		name = pattrs.Str(attrs, rumconv.AttrEventName)
	}
	switch name {
	case rumconv.EventFaroNavigation:
		pv.Soft = false
		pv.NavigationID = pattrs.Str(attrs, rumconv.AttrRUMNavigationID)
		pv.TraceID, pv.SpanID = lr.TraceID(), lr.SpanID()
	case faroRouteChange:
		pv.URL = firstNonEmpty(pattrs.Str(attrs, faroRouteToURL), url)
		if pv.URL == "" {
			pv.URL = pattrs.Str(attrs, faroRouteToRoute)
		}
	case faroViewChanged:
		if from := pattrs.Str(attrs, faroViewFrom); from == "" || from == faroUnknownValue {
			return pv, false, false
		}
	case faroNavigation:
		if pattrs.Str(attrs, faroNavigationSameDoc) != "true" {
			return pv, false, false
		}
		pv.URL = firstNonEmpty(pattrs.Str(attrs, faroNavigationToURL), url)
		// Sent once the page settled: the view started duration earlier.
		if ms, err := strconv.ParseFloat(pattrs.Str(attrs, faroNavigationDuration), 64); err == nil && ms > 0 && ms < float64(time.Hour/time.Millisecond) {
			pv.Start -= int64(ms * float64(time.Millisecond))
		}
	case otelNavigation:
		// A new document is the documentLoad span's page view.
		if v, found := attrs.Get(otelNavigationSameDoc); !found || !v.Bool() {
			return pv, false, false
		}
		pv.Type = store.ParseNavigationType(pattrs.Str(attrs, otelNavigationType))
	default:
		return pv, false, false
	}
	return pv, pv.Soft, !pv.Soft || pv.URL != ""
}

func firstNonEmpty(a, b string) string {
	if a != "" {
		return a
	}
	return b
}

// recordTime is when a log record happened: its time, else when it was observed.
func recordTime(lr plog.LogRecord) int64 {
	if ts := lr.Timestamp(); ts != 0 {
		return int64(ts) //nolint:gosec // Unix nanoseconds fit an int64 until 2262
	}
	return int64(lr.ObservedTimestamp())
}
