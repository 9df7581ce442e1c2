// Copyright The otelcol-rum Authors
// SPDX-License-Identifier: Apache-2.0

package rumconv // import "github.com/otelcol-rum/otelcol-rum/internal/rumconv"

import "strings"

// The histograms of the webvitals components, one per Core Web Vital (the suffix is the
// vital's browser.web_vital.name), and the counter of measurements by rating. The
// project's names: the conventions define no web vital metrics.
const (
	MetricWebVitalLCP     = "browser.web_vital.lcp"
	MetricWebVitalINP     = "browser.web_vital.inp"
	MetricWebVitalCLS     = "browser.web_vital.cls"
	MetricWebVitalFCP     = "browser.web_vital.fcp"
	MetricWebVitalTTFB    = "browser.web_vital.ttfb"
	MetricWebVitalRatings = "browser.web_vital.ratings"
)

// The page load timing histograms of the webvitals components, from Faro's navigation
// event or the document-load instrumentation's spans. The project's names.
const (
	MetricPageLoadDuration   = "browser.page_load.duration"
	MetricPageLoadDNS        = "browser.page_load.dns"
	MetricPageLoadConnect    = "browser.page_load.connect"
	MetricPageLoadTLS        = "browser.page_load.tls"
	MetricPageLoadTTFB       = "browser.page_load.ttfb"
	MetricPageLoadResponse   = "browser.page_load.response"
	MetricPageLoadProcessing = "browser.page_load.processing"
)

// MetricBrowserErrors is the jserrors processor's counter of error records by service,
// release, route, error group and exception type. The project's name, in the browser
// namespace the page load histograms use.
const MetricBrowserErrors = "browser.errors"

// AttrOTelMetricOverflow marks the series that collects what a metric's cardinality
// limit left out; the name the OpenTelemetry metrics SDK specification gives it.
const AttrOTelMetricOverflow = "otel.metric.overflow"

// The receiver writes each vital also as one point of a gauge named
// browser.web_vital.<vital>.measurement, which the webvitals processor aggregates. The
// name differs from the histograms' so that raw points and aggregates never collide in a
// backend. The project's name.
const (
	webVitalMeasurementPrefix = "browser.web_vital."
	webVitalMeasurementSuffix = ".measurement"
)

// MetricWebVitalMeasurement is the name of the gauge of single measurements of vital (its
// browser.web_vital.name).
func MetricWebVitalMeasurement(vital string) string {
	return webVitalMeasurementPrefix + vital + webVitalMeasurementSuffix
}

// WebVitalOfMeasurementMetric returns the vital a gauge of single measurements is named
// after, and false for any other metric name.
func WebVitalOfMeasurementMetric(name string) (string, bool) {
	vital, ok := strings.CutPrefix(name, webVitalMeasurementPrefix)
	if !ok {
		return "", false
	}
	return strings.CutSuffix(vital, webVitalMeasurementSuffix)
}

// The journeys processor's metrics: page views (hard and soft), the moves between routes,
// where sessions enter and leave, how long and how deep sessions go, how long user
// actions take, and the frustration signals. The project's names, in the browser
// namespace of the other RUM metrics.
const (
	MetricBrowserViews           = "browser.views"
	MetricBrowserViewTransitions = "browser.view.transitions"
	MetricBrowserViewEntries     = "browser.view.entries"
	MetricBrowserViewExits       = "browser.view.exits"
	MetricBrowserSessionViews    = "browser.session.views"
	MetricBrowserSessionDuration = "browser.session.duration"
	MetricBrowserActionDuration  = "browser.action.duration"
	MetricBrowserFrustrations    = "browser.frustrations"
)

// MetricBrowserApdex is the webvitals components' counter of page loads by Apdex zone
// (satisfied, tolerating, frustrated), from the page load duration or from LCP. The
// project's name; the score is computed from it in the backend.
const MetricBrowserApdex = "browser.apdex"
