// Copyright The otelcol-rum Authors
// SPDX-License-Identifier: Apache-2.0

package normalize // import "github.com/otelcol-rum/otelcol-rum/receiver/rumreceiver/internal/normalize"

import (
	"cmp"

	"go.opentelemetry.io/collector/pdata/pcommon"

	"github.com/otelcol-rum/otelcol-rum/internal/rumconv"
	"github.com/otelcol-rum/otelcol-rum/receiver/rumreceiver/internal/faro"
)

// faroSessionEffectiveType is the Faro session attribute a page puts
// navigator.connection.effectiveType in.
const faroSessionEffectiveType = "effectiveType"

// faroResourceAttrs is how many attributes faroResource writes at most, to size the map once.
const faroResourceAttrs = 24

// defaultServiceName is used when neither the config nor the SDK names the app.
const defaultServiceName = "unknown_service:browser"

// faroResource fills the resource of a Faro payload: one app, session, user and browser.
// The attributes are gathered first and the map made at their number (usually about 14
// of the faroResourceAttrs possible; a pdata attribute is a 40-byte slot).
func (s *Source) faroResource(m *faro.Meta) func(pcommon.Map) {
	return func(attrs pcommon.Map) {
		var g gatherer
		g.str(rumconv.AttrServiceName, cmp.Or(s.AppName, m.App.Name, defaultServiceName))
		g.str(rumconv.AttrServiceVersion, m.App.Version)
		g.str(rumconv.AttrServiceNamespace, m.App.Namespace)
		g.str(rumconv.AttrDeploymentEnvironmentName, cmp.Or(m.App.Environment, s.AppEnvironment))
		g.str(rumconv.AttrTelemetrySDKName, m.SDK.Name)
		g.str(rumconv.AttrTelemetrySDKVersion, m.SDK.Version)
		g.str(rumconv.AttrTelemetrySDKLanguage, "webjs")
		g.str(rumconv.AttrBrowserName, m.Browser.Name)
		g.str(rumconv.AttrBrowserVersion, m.Browser.Version)
		if len(m.Browser.Brands) > 0 {
			g.add(gathered{key: rumconv.AttrBrowserBrands, kind: pcommon.ValueTypeSlice})
		}
		g.str(rumconv.AttrBrowserPlatform, m.Browser.OS)
		if m.Browser.Mobile != nil {
			g.add(gathered{key: rumconv.AttrBrowserMobile, kind: pcommon.ValueTypeBool, b: *m.Browser.Mobile})
		}
		g.str(rumconv.AttrBrowserLanguage, m.Browser.Language)
		g.str(rumconv.AttrUserAgentOriginal, cmp.Or(m.Browser.UserAgent, s.UserAgent))
		g.str(rumconv.AttrSessionID, m.Session.ID)
		if prev, ok := m.Session.Attributes.Get("previousSession"); ok {
			g.str(rumconv.AttrSessionPreviousID, prev)
		}
		// Faro does not report the connection; a page that wants it sets this session
		// attribute (see the receiver's README).
		sessionNetwork, _ := m.Session.Attributes.Get(faroSessionEffectiveType)
		g.str(rumconv.AttrRUMNetworkEffectiveType, effectiveType(sessionNetwork))
		s.gatherUser(&g, &m.User)
		g.str(rumconv.AttrClientAddress, s.ClientAddress)
		g.putInto(attrs, m.Browser.Brands)
	}
}

// gatherUser records user.id always and the other user fields only where the config
// allows: they are personal data.
func (s *Source) gatherUser(g *gatherer, u *faro.User) {
	g.str(rumconv.AttrUserID, u.ID)
	optional := []struct{ key, attr, value string }{
		{"email", rumconv.AttrUserEmail, u.Email},
		{"name", rumconv.AttrUserName, u.Username},
		{"full_name", rumconv.AttrUserFullName, u.FullName},
		{"roles", rumconv.AttrUserRoles, u.Roles},
		{"hash", rumconv.AttrUserHash, u.Hash},
	}
	for _, o := range optional {
		if s.UserAttributes[o.key] {
			g.str(o.attr, o.value)
		}
	}
}

// gathered is one resource attribute before it goes into its map: a string, a bool, or
// the browser's brands (a slice, given to putInto).
type gathered struct {
	key, value string
	kind       pcommon.ValueType
	b          bool
}

// gatherer holds the gathered attributes in place: a slice appended to through a
// pointer would take its array to the heap.
type gatherer struct {
	list [faroResourceAttrs]gathered
	n    int
}

// add gathers a; faroResourceAttrs is the most faroResource gathers.
func (g *gatherer) add(a gathered) {
	g.list[g.n] = a
	g.n++
}

// str gathers a string attribute unless it is empty (see pattrs.PutNonEmpty).
func (g *gatherer) str(key, value string) {
	if value != "" {
		g.add(gathered{key: key, value: value, kind: pcommon.ValueTypeStr})
	}
}

// putInto puts the attributes in the order gathered, the map sized once.
func (g *gatherer) putInto(attrs pcommon.Map, brands faro.Brands) {
	attrs.EnsureCapacity(attrs.Len() + g.n)
	for i := range g.n {
		switch a := &g.list[i]; a.kind {
		case pcommon.ValueTypeStr:
			attrs.PutStr(a.key, a.value)
		case pcommon.ValueTypeBool:
			attrs.PutBool(a.key, a.b)
		default:
			list := attrs.PutEmptySlice(a.key)
			list.EnsureCapacity(len(brands))
			for _, b := range brands {
				list.AppendEmpty().SetStr(b)
			}
		}
	}
}
