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
