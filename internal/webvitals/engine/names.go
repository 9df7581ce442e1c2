package engine // import "github.com/otelcol-rum/otelcol-rum/internal/webvitals/engine"

// Names of what the engine reads and writes: the rum receiver's normalized output and
// the semantic conventions (see docs/design.md, The normalized model and Web Vitals
// aggregation).
const (
	measurementPrefix = "browser.web_vital."
	measurementSuffix = ".measurement"
	eventWebVital     = "browser.web_vital"
	// eventFaroNavigation carries the navigation timing of a Faro page view.
	eventFaroNavigation = "faro.performance.navigation"
	attrNavigationID    = "rum.navigation.id"

	// Spans of @opentelemetry/instrumentation-document-load: documentLoad is the page
	// load, with the DOM milestones as span events; documentFetch, its child, holds the
	// network milestones of the document request.
	spanDocumentLoad  = "documentLoad"
	spanDocumentFetch = "documentFetch"

	attrService     = "service.name"
	attrEnvironment = "deployment.environment.name"
	attrBrowser     = "browser.name"
	attrMobile      = "browser.mobile"
	attrURLFull     = "url.full"
	attrHTTPURL     = "http.url" // older semantic conventions, still sent by some SDKs
	attrRoute       = "url.template"
	attrVitalName   = "browser.web_vital.name"
	attrVitalValue  = "browser.web_vital.value"
	attrVitalID     = "browser.web_vital.id"
	attrVitalRating = "browser.web_vital.rating"
)
