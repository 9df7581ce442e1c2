// Copyright The otelcol-rum Authors
// SPDX-License-Identifier: Apache-2.0

package rumconv // import "github.com/otelcol-rum/otelcol-rum/internal/rumconv"

// The client's dimensions that the clientinfo processor writes on the resource and the
// metric components take as labels by default (internal/dimensions). user_agent.name,
// os.name and geo.country.iso_code are the semantic conventions' names; rum.device.type
// is the project's, since the conventions have no device class.
const (
	AttrUserAgentName     = "user_agent.name"
	AttrOSName            = "os.name"
	AttrRUMDeviceType     = "rum.device.type"
	AttrGeoCountryISOCode = "geo.country.iso_code"
)
