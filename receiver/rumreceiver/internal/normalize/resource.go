// Copyright The otelcol-rum Authors
// SPDX-License-Identifier: Apache-2.0

package normalize // import "github.com/otelcol-rum/otelcol-rum/receiver/rumreceiver/internal/normalize"

import (
	"cmp"

	"go.opentelemetry.io/collector/pdata/pcommon"

	"github.com/otelcol-rum/otelcol-rum/internal/pattrs"
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
func (s *Source) faroResource(m *faro.Meta) func(pcommon.Map) {
	return func(attrs pcommon.Map) {
		attrs.EnsureCapacity(faroResourceAttrs)
		attrs.PutStr(rumconv.AttrServiceName, cmp.Or(s.AppName, m.App.Name, defaultServiceName))
		pattrs.PutNonEmpty(attrs, rumconv.AttrServiceVersion, m.App.Version)
		pattrs.PutNonEmpty(attrs, rumconv.AttrServiceNamespace, m.App.Namespace)
		pattrs.PutNonEmpty(attrs, rumconv.AttrDeploymentEnvironmentName, cmp.Or(m.App.Environment, s.AppEnvironment))
		pattrs.PutNonEmpty(attrs, rumconv.AttrTelemetrySDKName, m.SDK.Name)
		pattrs.PutNonEmpty(attrs, rumconv.AttrTelemetrySDKVersion, m.SDK.Version)
		attrs.PutStr(rumconv.AttrTelemetrySDKLanguage, "webjs")
		pattrs.PutNonEmpty(attrs, rumconv.AttrBrowserName, m.Browser.Name)
		pattrs.PutNonEmpty(attrs, rumconv.AttrBrowserVersion, m.Browser.Version)
		if len(m.Browser.Brands) > 0 {
			brands := attrs.PutEmptySlice(rumconv.AttrBrowserBrands)
			for _, b := range m.Browser.Brands {
				brands.AppendEmpty().SetStr(b)
			}
		}
		pattrs.PutNonEmpty(attrs, rumconv.AttrBrowserPlatform, m.Browser.OS)
		if m.Browser.Mobile != nil {
			attrs.PutBool(rumconv.AttrBrowserMobile, *m.Browser.Mobile)
		}
		pattrs.PutNonEmpty(attrs, rumconv.AttrBrowserLanguage, m.Browser.Language)
		pattrs.PutNonEmpty(attrs, rumconv.AttrUserAgentOriginal, cmp.Or(m.Browser.UserAgent, s.UserAgent))
		pattrs.PutNonEmpty(attrs, rumconv.AttrSessionID, m.Session.ID)
		if prev, ok := m.Session.Attributes.Get("previousSession"); ok {
			pattrs.PutNonEmpty(attrs, rumconv.AttrSessionPreviousID, prev)
		}
		// Faro does not report the connection; a page that wants it sets this session
		// attribute (see the receiver's README).
		sessionNetwork, _ := m.Session.Attributes.Get(faroSessionEffectiveType)
		pattrs.PutNonEmpty(attrs, rumconv.AttrRUMNetworkEffectiveType, effectiveType(sessionNetwork))
		s.putUser(attrs, &m.User)
		pattrs.PutNonEmpty(attrs, rumconv.AttrClientAddress, s.ClientAddress)
	}
}

// putUser records user.id always and the other user fields only where the config allows:
// they are personal data.
func (s *Source) putUser(attrs pcommon.Map, u *faro.User) {
	pattrs.PutNonEmpty(attrs, rumconv.AttrUserID, u.ID)
	optional := []struct{ key, attr, value string }{
		{"email", rumconv.AttrUserEmail, u.Email},
		{"name", rumconv.AttrUserName, u.Username},
		{"full_name", rumconv.AttrUserFullName, u.FullName},
		{"roles", rumconv.AttrUserRoles, u.Roles},
		{"hash", rumconv.AttrUserHash, u.Hash},
	}
	for _, o := range optional {
		if s.UserAttributes[o.key] {
			pattrs.PutNonEmpty(attrs, o.attr, o.value)
		}
	}
}
