// Copyright The otelcol-rum Authors
// SPDX-License-Identifier: Apache-2.0

package rumconv // import "github.com/otelcol-rum/otelcol-rum/internal/rumconv"

// Service, deployment and telemetry SDK: resource attributes of the semantic conventions
// (service, deployment and telemetry namespaces).
const (
	AttrServiceName               = "service.name"
	AttrServiceVersion            = "service.version"
	AttrServiceNamespace          = "service.namespace"
	AttrDeploymentEnvironmentName = "deployment.environment.name"
	AttrTelemetrySDKName          = "telemetry.sdk.name"
	AttrTelemetrySDKVersion       = "telemetry.sdk.version"
	AttrTelemetrySDKLanguage      = "telemetry.sdk.language"
	// AttrTelemetryDistroName is where the OTLP spans Faro embeds name Faro, their own
	// telemetry.sdk.name being the OTel SDK's.
	AttrTelemetryDistroName = "telemetry.distro.name"
)

// The browser and the client: resource attributes of the semantic conventions (browser,
// user_agent and client namespaces). The conventions name neither the browser nor its
// version; the project's names for those are in project.go.
const (
	AttrBrowserBrands     = "browser.brands"
	AttrBrowserPlatform   = "browser.platform"
	AttrBrowserMobile     = "browser.mobile"
	AttrBrowserLanguage   = "browser.language"
	AttrUserAgentOriginal = "user_agent.original"
	AttrClientAddress     = "client.address"
)

// What the clientinfo processor reads from the User-Agent string: attributes of the
// semantic conventions' user_agent, os and device namespaces. user_agent.synthetic.type
// takes UserAgentSyntheticBot for crawlers.
const (
	AttrUserAgentName          = "user_agent.name"
	AttrUserAgentVersion       = "user_agent.version"
	AttrUserAgentSyntheticType = "user_agent.synthetic.type"
	AttrOSName                 = "os.name"
	AttrOSVersion              = "os.version"
	AttrDeviceModelName        = "device.model.name"
	UserAgentSyntheticBot      = "bot"
)

// Where the client is, as the clientinfo processor finds its address in a geolocation
// database: attributes of the semantic conventions' geo namespace.
const (
	AttrGeoContinentCode  = "geo.continent.code"
	AttrGeoCountryISOCode = "geo.country.iso_code"
	AttrGeoRegionISOCode  = "geo.region.iso_code"
	AttrGeoLocalityName   = "geo.locality.name"
)

// Sessions: the attributes and events of the semantic conventions' session namespace.
// The summary the session processor adds to session.end is the project's (project.go).
const (
	AttrSessionID         = "session.id"
	AttrSessionPreviousID = "session.previous_id"
	EventSessionStart     = "session.start"
	EventSessionEnd       = "session.end"
)

// The user: attributes of the semantic conventions' user namespace. All but user.id are
// personal data that the receiver writes only when configured to.
const (
	AttrUserID       = "user.id"
	AttrUserEmail    = "user.email"
	AttrUserName     = "user.name"
	AttrUserFullName = "user.full_name"
	AttrUserRoles    = "user.roles"
	AttrUserHash     = "user.hash"
)

// The page: attributes of the semantic conventions' url namespace. url.template is the
// route the webvitals components derive from url.full.
const (
	AttrURLFull     = "url.full"
	AttrURLTemplate = "url.template"
)

// AttrHTTPRequestMethod marks an HTTP client span (the OTel fetch and XHR
// instrumentations', Faro's tracing): the session processor takes the first of a soft
// view for the view's trace.
const AttrHTTPRequestMethod = "http.request.method"

// Exceptions: the semantic conventions' exception event and its attributes.
const (
	EventException          = "exception"
	AttrExceptionType       = "exception.type"
	AttrExceptionMessage    = "exception.message"
	AttrExceptionStacktrace = "exception.stacktrace"
)

// Web vitals: the semantic conventions' browser.web_vital event, in the form that carries
// the measurement as attributes (the form every component writes and reads).
const (
	EventWebVital              = "browser.web_vital"
	AttrWebVitalName           = "browser.web_vital.name"
	AttrWebVitalValue          = "browser.web_vital.value"
	AttrWebVitalDelta          = "browser.web_vital.delta"
	AttrWebVitalID             = "browser.web_vital.id"
	AttrWebVitalRating         = "browser.web_vital.rating"
	AttrWebVitalNavigationType = "browser.web_vital.navigation_type"
)

// The older form of the browser.web_vital event carried the measurement in a map body
// with these keys; the receiver still reads it from OTLP logs.
const (
	WebVitalBodyName           = "name"
	WebVitalBodyValue          = "value"
	WebVitalBodyDelta          = "delta"
	WebVitalBodyID             = "id"
	WebVitalBodyRating         = "rating"
	WebVitalBodyNavigationType = "navigation_type"
)

// Names the semantic conventions have replaced, read from SDKs that still send them.
const (
	// AttrHTTPURL is the page in the HTTP conventions before url.full replaced it.
	AttrHTTPURL = "http.url"
	// AttrHTTPMethod is the request method before http.request.method replaced it.
	AttrHTTPMethod = "http.method"
	// AttrEventName is where log records named their event before the LogRecord's
	// EventName field.
	AttrEventName = "event.name"
)
