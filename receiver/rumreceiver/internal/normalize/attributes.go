// Package normalize turns decoded browser payloads into OpenTelemetry data that follows
// the semantic conventions (see docs/design.md, The normalized model), so that nothing
// after the receiver needs to know a wire format.
package normalize // import "github.com/otelcol-rum/otelcol-rum/receiver/rumreceiver/internal/normalize"

// Attribute and event names written by the receiver. Semantic-convention names where one
// exists; rum.* for the few facts the conventions have no name for.
const (
	attrServiceName      = "service.name"
	attrServiceVersion   = "service.version"
	attrServiceNamespace = "service.namespace"
	attrDeploymentEnv    = "deployment.environment.name"
	attrSDKName          = "telemetry.sdk.name"
	attrSDKVersion       = "telemetry.sdk.version"
	attrSDKLanguage      = "telemetry.sdk.language"
	attrBrowserName      = "browser.name"
	attrBrowserVersion   = "browser.version"
	attrBrowserBrands    = "browser.brands"
	attrBrowserPlatform  = "browser.platform"
	attrBrowserMobile    = "browser.mobile"
	attrBrowserLanguage  = "browser.language"
	attrUserAgent        = "user_agent.original"
	attrSessionID        = "session.id"
	attrSessionPrevID    = "session.previous_id"
	attrUserID           = "user.id"
	attrUserEmail        = "user.email"
	attrUserName         = "user.name"
	attrUserFullName     = "user.full_name"
	attrUserRoles        = "user.roles"
	attrUserHash         = "user.hash"
	attrClientAddress    = "client.address"

	attrURLFull          = "url.full"
	attrExceptionType    = "exception.type"
	attrExceptionMessage = "exception.message"
	attrExceptionStack   = "exception.stacktrace"

	attrVitalName           = "browser.web_vital.name"
	attrVitalValue          = "browser.web_vital.value"
	attrVitalDelta          = "browser.web_vital.delta"
	attrVitalID             = "browser.web_vital.id"
	attrVitalRating         = "browser.web_vital.rating"
	attrVitalNavigationType = "browser.web_vital.navigation_type"

	// AttrNavigationID names the page view a record belongs to: Faro's faroNavigationId
	// on the navigation event and navigation_entry_id on a vital. Later processors join
	// on it, whatever the SDK called it.
	AttrNavigationID = "rum.navigation.id"
	// attrTimestampCorrected flags a record whose client time was too far in the future or
	// the past.
	attrTimestampCorrected = "rum.timestamp.corrected"
	attrTimestampOriginal  = "rum.timestamp.original"

	attrFaroEventDomain     = "faro.event.domain"
	attrFaroActionID        = "faro.action.id"
	attrFaroActionName      = "faro.action.name"
	attrFaroActionParentID  = "faro.action.parent_id"
	attrFaroMeasurementType = "faro.measurement.type"

	// EventWebVital is the semantic-convention event name of a web vital.
	EventWebVital           = "browser.web_vital"
	eventException          = "exception"
	eventFaroMeasurement    = "faro.measurement"
	eventFaroNavigation     = "faro.performance.navigation"
	faroNavigationIDAttr    = "faroNavigationId"
	faroMeasurementWebVital = "web-vitals"
	faroUnknown             = "unknown" // Faro's placeholder for an id it does not know yet
	faroAnonymousFunction   = "?"       // Faro's function name for an anonymous frame

	// ScopeName is the instrumentation scope of the records the receiver creates.
	ScopeName = "github.com/otelcol-rum/otelcol-rum/receiver/rumreceiver"
)
