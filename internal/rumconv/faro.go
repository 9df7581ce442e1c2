// Copyright The otelcol-rum Authors
// SPDX-License-Identifier: Apache-2.0

package rumconv // import "github.com/otelcol-rum/otelcol-rum/internal/rumconv"

// Events of the Grafana Faro web SDK, which the receiver passes on under Faro's own
// names and the processors read.
const (
	// EventFaroNavigation is Faro's page view, with the navigation timings and, in its
	// trace context, the backend trace that served the document.
	EventFaroNavigation = "faro.performance.navigation"
	// EventFaroUserAction is a user action (a click that led to work).
	EventFaroUserAction = "faro.user.action"
)

// Attributes of Faro's navigation event, passed on as Faro sent them. The timings are
// milliseconds, as strings.
const (
	AttrFaroNavigationID     = "faroNavigationId"
	AttrFaroNavDuration      = "duration"
	AttrFaroNavDNSLookup     = "dnsLookupTime"
	AttrFaroNavTCPHandshake  = "tcpHandshakeTime"
	AttrFaroNavTLS           = "tlsNegotiationTime"
	AttrFaroNavTTFB          = "ttfb"
	AttrFaroNavResponse      = "responseTime"
	AttrFaroNavDOMProcessing = "domProcessingTime"
)

// Attributes of Faro's user action event (faro.user.action), as Faro's UserAction sends
// them; the duration is milliseconds, as a string.
const (
	AttrFaroUserActionName     = "userActionName"
	AttrFaroUserActionDuration = "userActionDuration"
)
