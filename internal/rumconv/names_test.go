// Copyright The otelcol-rum Authors
// SPDX-License-Identifier: Apache-2.0

package rumconv

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"go.opentelemetry.io/otel/attribute"
	semconv120 "go.opentelemetry.io/otel/semconv/v1.20.0"
	semconv "go.opentelemetry.io/otel/semconv/v1.41.0"
)

// TestSemanticConventionSpelling holds every name of semconv.go that a semconv package
// of the module graph also defines to that package's spelling: the newest package for
// current names, an older one for the names since replaced. (The browser.web_vital
// attributes and the event names are in no Go package yet.)
func TestSemanticConventionSpelling(t *testing.T) {
	for ours, theirs := range map[string]attribute.Key{
		AttrServiceName:               semconv.ServiceNameKey,
		AttrServiceVersion:            semconv.ServiceVersionKey,
		AttrServiceNamespace:          semconv.ServiceNamespaceKey,
		AttrDeploymentEnvironmentName: semconv.DeploymentEnvironmentNameKey,
		AttrTelemetrySDKName:          semconv.TelemetrySDKNameKey,
		AttrTelemetrySDKVersion:       semconv.TelemetrySDKVersionKey,
		AttrTelemetrySDKLanguage:      semconv.TelemetrySDKLanguageKey,
		AttrTelemetryDistroName:       semconv.TelemetryDistroNameKey,
		AttrBrowserBrands:             semconv.BrowserBrandsKey,
		AttrBrowserPlatform:           semconv.BrowserPlatformKey,
		AttrBrowserMobile:             semconv.BrowserMobileKey,
		AttrBrowserLanguage:           semconv.BrowserLanguageKey,
		AttrUserAgentOriginal:         semconv.UserAgentOriginalKey,
		AttrClientAddress:             semconv.ClientAddressKey,
		AttrUserAgentName:             semconv.UserAgentNameKey,
		AttrUserAgentVersion:          semconv.UserAgentVersionKey,
		AttrUserAgentSyntheticType:    semconv.UserAgentSyntheticTypeKey,
		AttrOSName:                    semconv.OSNameKey,
		AttrOSVersion:                 semconv.OSVersionKey,
		AttrDeviceModelName:           semconv.DeviceModelNameKey,
		AttrGeoContinentCode:          semconv.GeoContinentCodeKey,
		AttrGeoCountryISOCode:         semconv.GeoCountryISOCodeKey,
		AttrGeoRegionISOCode:          semconv.GeoRegionISOCodeKey,
		AttrGeoLocalityName:           semconv.GeoLocalityNameKey,
		AttrSessionID:                 semconv.SessionIDKey,
		AttrSessionPreviousID:         semconv.SessionPreviousIDKey,
		AttrUserID:                    semconv.UserIDKey,
		AttrUserEmail:                 semconv.UserEmailKey,
		AttrUserName:                  semconv.UserNameKey,
		AttrUserFullName:              semconv.UserFullNameKey,
		AttrUserRoles:                 semconv.UserRolesKey,
		AttrUserHash:                  semconv.UserHashKey,
		AttrURLFull:                   semconv.URLFullKey,
		AttrURLTemplate:               semconv.URLTemplateKey,
		AttrExceptionType:             semconv.ExceptionTypeKey,
		AttrExceptionMessage:          semconv.ExceptionMessageKey,
		AttrExceptionStacktrace:       semconv.ExceptionStacktraceKey,
		AttrHTTPRequestMethod:         semconv.HTTPRequestMethodKey,
		AttrHTTPURL:                   semconv120.HTTPURLKey,
		AttrHTTPMethod:                semconv120.HTTPMethodKey,
		AttrEventName:                 semconv120.EventNameKey,
	} {
		assert.Equal(t, string(theirs), ours)
	}
	assert.Equal(t, semconv.UserAgentSyntheticTypeBot.Value.AsString(), UserAgentSyntheticBot)
}

// TestWebVitalMeasurementMetric: the gauge name is made and read back the same way, and
// only that form reads as a vital.
func TestWebVitalMeasurementMetric(t *testing.T) {
	assert.Equal(t, "browser.web_vital.lcp.measurement", MetricWebVitalMeasurement("lcp"))
	vital, ok := WebVitalOfMeasurementMetric(MetricWebVitalMeasurement("ttfb"))
	assert.True(t, ok)
	assert.Equal(t, "ttfb", vital)
	for _, name := range []string{MetricWebVitalLCP, MetricWebVitalRatings, "browser.web_vital.measurement", "lcp.measurement", ""} {
		_, ok := WebVitalOfMeasurementMetric(name)
		assert.False(t, ok, name)
	}
}
