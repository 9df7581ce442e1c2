// Copyright The otelcol-rum Authors
// SPDX-License-Identifier: Apache-2.0

package rumconv // import "github.com/otelcol-rum/otelcol-rum/internal/rumconv"

// The browser's name and version: resource attributes of the project's, in the namespace
// the conventions use for the browser's other facts. The conventions' browser namespace
// has neither; the nearest are user_agent.name and user_agent.version.
const (
	AttrBrowserName    = "browser.name"
	AttrBrowserVersion = "browser.version"
)

// The client's device type and network: resource attributes of the project's, which the
// clientinfo processor writes. The conventions have no device type; the AS is the
// network (autonomous system) the client's address belongs to, where the geolocation
// database knows it.
const (
	AttrRUMDeviceType     = "rum.device.type"
	AttrRUMClientASNumber = "rum.client.as.number"
	AttrRUMClientASOrg    = "rum.client.as.organization"
	DeviceDesktop         = "desktop"
	DeviceMobile          = "mobile"
	DeviceTablet          = "tablet"
	DeviceBot             = "bot"
)

// The browser's estimate of its connection's quality, from the Network Information API's
// navigator.connection.effectiveType (slow-2g, 2g, 3g, 4g): a resource attribute of the
// project's, which the page supplies since no SDK reports it. Not the conventions'
// network.connection.subtype: that one enumerates the radio technology (gprs, lte, nr…),
// whereas effectiveType is measured round-trip time and bandwidth mapped onto cellular
// generations, whatever the link really is (a slow Wi-Fi reports 3g).
const (
	AttrRUMNetworkEffectiveType = "rum.network.effective_type"
)

// rum.*: record attributes of the project's, for facts the conventions have no name for.
const (
	// AttrRUMNavigationID names the page view a record belongs to, whatever the SDK
	// called it: Faro's faroNavigationId on a navigation event and navigation_entry_id on
	// a vital. The session processor joins a vital to its page view's trace on it.
	AttrRUMNavigationID = "rum.navigation.id"
	// AttrRUMTimestampCorrected flags a record whose client time was too far in the
	// future or the past and was replaced by the receive time; AttrRUMTimestampOriginal
	// keeps the client's time.
	AttrRUMTimestampCorrected = "rum.timestamp.corrected"
	AttrRUMTimestampOriginal  = "rum.timestamp.original"
)

// The summary of a session on its session.end event: attributes of the project's, in the
// conventions' session namespace, which the conventions' event leaves open to extension.
const (
	AttrSessionEndReason   = "session.end_reason"
	AttrSessionDuration    = "session.duration"
	AttrSessionPageViews   = "session.page_views"
	AttrSessionErrors      = "session.errors"
	AttrSessionUserActions = "session.user_actions"
	AttrSessionSpans       = "session.spans"
	AttrSessionBounce      = "session.bounce"
	AttrSessionEntryPage   = "session.entry_page"
	AttrSessionExitPage    = "session.exit_page"
)

// The values of rum.frustration.type on the session processor's rum.frustration events:
// the kinds of frustration it detects in a session's clicks, actions and exceptions (see
// processor/sessionprocessor/internal/frustration).
const (
	FrustrationRage  = "rage"
	FrustrationError = "error"
	FrustrationDead  = "dead"
)

// faro.*: what the receiver writes for Faro items that no convention covers, under
// Faro's name for them.
const (
	AttrFaroEventDomain     = "faro.event.domain"
	AttrFaroActionID        = "faro.action.id"
	AttrFaroActionName      = "faro.action.name"
	AttrFaroActionParentID  = "faro.action.parent_id"
	AttrFaroMeasurementType = "faro.measurement.type"
	// EventFaroMeasurement is a Faro measurement other than a web vital (which becomes a
	// browser.web_vital event).
	EventFaroMeasurement = "faro.measurement"
)

// Readable errors: what the jserrors processor writes on exception log records and
// exception span events. The project's names, in a rum.exception namespace next to the
// conventions' exception.* attributes they describe.
const (
	// AttrRUMErrorGroup is the error group: 16 hex digits that two occurrences of one bug
	// share across sessions and builds (the exception type, the masked message and the
	// top in-app frames after symbolication).
	AttrRUMErrorGroup = "rum.error.group"
	// AttrRUMExceptionStacktraceMinified keeps exception.stacktrace as received, when the
	// symbolicated trace replaced it.
	AttrRUMExceptionStacktraceMinified = "rum.exception.stacktrace.minified"
	// AttrRUMExceptionSymbolication says how the symbolication went: one of the
	// Symbolication* values.
	AttrRUMExceptionSymbolication = "rum.exception.symbolication"
	// AttrRUMExceptionContextLine is the original source line of the top resolved frame,
	// from the source map's sourcesContent.
	AttrRUMExceptionContextLine = "rum.exception.context_line"
)

// The values of rum.exception.symbolication.
const (
	// SymbolicationSymbolicated: every frame that names a script was resolved.
	SymbolicationSymbolicated = "symbolicated"
	// SymbolicationPartial: some frames were resolved, others not.
	SymbolicationPartial = "partial"
	// SymbolicationUnresolved: no frame was resolved (no map, or no mapping).
	SymbolicationUnresolved = "unresolved"
	// SymbolicationTimeout: no frame was resolved because maps were still loading when
	// the time budget ran out; the next error of the same scripts finds them loaded.
	SymbolicationTimeout = "timeout"
	// SymbolicationNotAttempted: no stack trace, or no frame that names a script.
	SymbolicationNotAttempted = "not_attempted"
)

// Views and journeys (issue 13): the events the session processor emits for each page
// view, hard or soft, and for each frustration signal, and what the journeys processor
// writes on them. The project's names, in the rum namespace.
const (
	// EventRUMView is a page view that ended: a hard navigation (a document load) or a
	// soft one (a route change of a single-page app).
	EventRUMView = "rum.view"
	// EventRUMFrustration is one frustration signal (a rage, error or dead click).
	EventRUMFrustration = "rum.frustration"

	AttrRUMViewIndex       = "rum.view.index"
	AttrRUMViewNavigation  = "rum.view.navigation"
	AttrRUMViewPreviousURL = "rum.view.previous_url"
	AttrRUMViewExit        = "rum.view.exit"
	// The values of rum.view.navigation.
	ViewNavigationHard = "hard"
	ViewNavigationSoft = "soft"
	// AttrRUMViewFrom is the route template of rum.view.previous_url, written by the
	// journeys processor next to url.template: the two ends of a transition.
	AttrRUMViewFrom = "rum.view.from"

	AttrRUMFrustrationType = "rum.frustration.type"
	// AttrRUMActionName is the name of a user action on the action duration histogram:
	// Faro's userActionName, or the event type of an OTel user-interaction span.
	AttrRUMActionName = "rum.action.name"

	// AttrSessionViews is the session summary's count of views, hard and soft; older
	// summaries have session.page_views only.
	AttrSessionViews = "session.views"
)

// Apdex (issue 13): the zone of a page load and what it was measured from, on the
// browser.apdex counter. The zones are the Apdex specification's.
const (
	AttrRUMApdexSource  = "rum.apdex.source"
	AttrRUMApdexZone    = "rum.apdex.zone"
	ApdexSourceLoad     = "load"
	ApdexSourceLCP      = "lcp"
	ApdexZoneSatisfied  = "satisfied"
	ApdexZoneTolerating = "tolerating"
	ApdexZoneFrustrated = "frustrated"
)

// Views of single-page apps (package J of issue 13), besides the names above: the
// rest of the rum.view event, what the session processor writes on the records it files
// under a view, and the summary's soft views and path.
const (
	// AttrRUMViewNavigationType is push, replace, traverse or reload, where the SDK says.
	AttrRUMViewNavigationType = "rum.view.navigation_type"
	// AttrRUMViewDuration is in milliseconds, from the view's start to the next view's.
	AttrRUMViewDuration = "rum.view.duration"
	AttrRUMViewErrors   = "rum.view.errors"
	AttrRUMViewActions  = "rum.view.actions"
	// AttrRUMPageURLOriginal keeps a record's url.full when the processor replaced it
	// with the URL of the view the record happened in.
	AttrRUMPageURLOriginal = "rum.page.url.original"
	// The summary's soft views, and the paths (without query) of its first path_length
	// views.
	AttrSessionSoftViews = "session.soft_views"
	AttrSessionPath      = "session.path"
)

// Frustration signals in the session processor (package N of issue 13), besides the names
// above: the rest of the rum.frustration event, the summary's flag and count, and what the
// processor reads of the SDKs' clicks.
const (
	// AttrRUMFrustrationClicks is a rage click's count of clicks so far.
	AttrRUMFrustrationClicks = "rum.frustration.clicks"
	// AttrRUMActionTarget is what was clicked, where known: Faro's action name, the OTel
	// span's target XPath or element; cut to a bounded length.
	AttrRUMActionTarget     = "rum.action.target"
	AttrSessionFrustrated   = "session.frustrated"
	AttrSessionFrustrations = "session.frustrations"
	// AttrFaroUserActionTrigger is the DOM event that started a Faro user action
	// (pointerdown, keydown) or faroApiCall.
	AttrFaroUserActionTrigger = "userActionTrigger"
	// AttrUserInteractionTargetElement is the tag name of the element an OTel
	// user-interaction span's event targeted.
	AttrUserInteractionTargetElement = "target_element"
)

// Client metadata (issue 15): not an attribute of the data but a key of
// client.Info.Metadata, the context a component hands to the next one.
const (
	// MetadataSessionKey is the session of the data of one call: its session.id, or for
	// data without one the key the session processor would assign it (package
	// internal/sessionkey). The rum receiver writes it with session_metadata enabled, one
	// call per session; the kafka exporter makes it the record key and a record header,
	// and the kafka receiver gives it back as client metadata on the session tier.
	MetadataSessionKey = "rum.session.key"
)

// SDKNameWebVitals is the telemetry.sdk.name the rum receiver gives the resource of a
// web-vitals beacon: the library that measured it, since a beacon names no SDK of its own.
const SDKNameWebVitals = "web-vitals"

// AttrRUMCollectorInstance names, on the resource of the metrics a session-tier collector
// aggregates, the collector that wrote them: several collectors count the same series
// names, each over its own partitions, and a cumulative series must have one writer. Set
// by configuration (deploy/config/session.yaml), from the pod's name.
const AttrRUMCollectorInstance = "rum.collector.instance"
