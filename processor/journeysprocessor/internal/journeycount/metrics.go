// Copyright The otelcol-rum Authors
// SPDX-License-Identifier: Apache-2.0

package journeycount // import "github.com/otelcol-rum/otelcol-rum/processor/journeysprocessor/internal/journeycount"

import "github.com/otelcol-rum/otelcol-rum/internal/rumconv"

// Kind is one of the metrics the counter keeps.
type Kind uint8

// The metrics, in the order they are emitted.
const (
	Views Kind = iota
	Transitions
	Entries
	Exits
	Frustrations
	SessionViews
	SessionDuration
	ActionDuration
	numKinds
)

// metric describes how a Kind is emitted. Labels are the attribute keys of Key.A and
// Key.B ("" for none); routeLabels says which of them hold a route template, so that a
// route is forgotten only when no series of any metric names it.
type metric struct {
	name, unit, description string
	labels                  [2]string
	routeLabels             [2]bool
	// bounds are the explicit bucket bounds of a histogram; nil for a counter.
	bounds []float64
}

// Bucket bounds. A session's views: single views (bounces) to deep journeys. A session's
// duration in seconds: from a glance to an afternoon (the session processor ends a
// session after at most its max_duration, 4h by default). A user action in milliseconds:
// the RAIL budget of 100 ms for a response up to actions that wait for slow requests.
var (
	sessionViewsBounds    = []float64{1, 2, 3, 4, 5, 6, 8, 10, 15, 20, 30, 50, 100}
	sessionDurationBounds = []float64{5, 10, 30, 60, 120, 300, 600, 900, 1800, 3600, 7200, 14400}
	actionDurationBounds  = []float64{25, 50, 100, 200, 300, 500, 750, 1000, 1500, 2000, 3000, 5000, 10000, 30000}
)

var metrics = [numKinds]metric{
	Views: {
		name: rumconv.MetricBrowserViews, unit: "{view}", description: "Page views, hard (document loads) and soft (route changes of single-page apps).",
		labels: [2]string{rumconv.AttrURLTemplate, rumconv.AttrRUMViewNavigation}, routeLabels: [2]bool{true, false},
	},
	Transitions: {
		name: rumconv.MetricBrowserViewTransitions, unit: "{transition}", description: "Moves from one route to the next within a session.",
		labels: [2]string{rumconv.AttrRUMViewFrom, rumconv.AttrURLTemplate}, routeLabels: [2]bool{true, true},
	},
	Entries: {
		name: rumconv.MetricBrowserViewEntries, unit: "{session}", description: "Sessions that entered the app on the route.",
		labels: [2]string{rumconv.AttrURLTemplate, ""}, routeLabels: [2]bool{true, false},
	},
	Exits: {
		name: rumconv.MetricBrowserViewExits, unit: "{session}", description: "Sessions whose last view was on the route.",
		labels: [2]string{rumconv.AttrURLTemplate, ""}, routeLabels: [2]bool{true, false},
	},
	Frustrations: {
		name: rumconv.MetricBrowserFrustrations, unit: "{signal}", description: "Frustration signals (rage, error and dead clicks) by route.",
		labels: [2]string{rumconv.AttrURLTemplate, rumconv.AttrRUMFrustrationType}, routeLabels: [2]bool{true, false},
	},
	SessionViews: {
		name: rumconv.MetricBrowserSessionViews, unit: "{view}", description: "Views per ended session, hard and soft.",
		bounds: sessionViewsBounds,
	},
	SessionDuration: {
		name: rumconv.MetricBrowserSessionDuration, unit: "s", description: "Duration of ended sessions, first to last activity.",
		bounds: sessionDurationBounds,
	},
	ActionDuration: {
		name: rumconv.MetricBrowserActionDuration, unit: "ms", description: "Duration of user actions, until the work they started settled.",
		labels: [2]string{rumconv.AttrRUMActionName, rumconv.AttrURLTemplate}, routeLabels: [2]bool{false, true},
		bounds: actionDurationBounds,
	},
}

// String is the metric's name.
func (k Kind) String() string { return metrics[k].name }
