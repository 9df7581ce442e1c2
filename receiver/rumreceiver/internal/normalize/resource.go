package normalize // import "github.com/otelcol-rum/otelcol-rum/receiver/rumreceiver/internal/normalize"

import (
	"cmp"

	"go.opentelemetry.io/collector/pdata/pcommon"

	"github.com/otelcol-rum/otelcol-rum/internal/pattrs"
	"github.com/otelcol-rum/otelcol-rum/receiver/rumreceiver/internal/faro"
)

// defaultServiceName is used when neither the config nor the SDK names the app.
const defaultServiceName = "unknown_service:browser"

// faroResource fills the resource of a Faro payload: one app, session, user and browser.
func (s *Source) faroResource(m *faro.Meta) func(pcommon.Map) {
	return func(attrs pcommon.Map) {
		attrs.PutStr(attrServiceName, cmp.Or(s.AppName, m.App.Name, defaultServiceName))
		pattrs.PutNonEmpty(attrs, attrServiceVersion, m.App.Version)
		pattrs.PutNonEmpty(attrs, attrServiceNamespace, m.App.Namespace)
		pattrs.PutNonEmpty(attrs, attrDeploymentEnv, cmp.Or(m.App.Environment, s.AppEnvironment))
		pattrs.PutNonEmpty(attrs, attrSDKName, m.SDK.Name)
		pattrs.PutNonEmpty(attrs, attrSDKVersion, m.SDK.Version)
		attrs.PutStr(attrSDKLanguage, "webjs")
		pattrs.PutNonEmpty(attrs, attrBrowserName, m.Browser.Name)
		pattrs.PutNonEmpty(attrs, attrBrowserVersion, m.Browser.Version)
		if len(m.Browser.Brands) > 0 {
			brands := attrs.PutEmptySlice(attrBrowserBrands)
			for _, b := range m.Browser.Brands {
				brands.AppendEmpty().SetStr(b)
			}
		}
		pattrs.PutNonEmpty(attrs, attrBrowserPlatform, m.Browser.OS)
		if m.Browser.Mobile != nil {
			attrs.PutBool(attrBrowserMobile, *m.Browser.Mobile)
		}
		pattrs.PutNonEmpty(attrs, attrBrowserLanguage, m.Browser.Language)
		pattrs.PutNonEmpty(attrs, attrUserAgent, cmp.Or(m.Browser.UserAgent, s.UserAgent))
		pattrs.PutNonEmpty(attrs, attrSessionID, m.Session.ID)
		if prev, ok := m.Session.Attributes.Get("previousSession"); ok {
			pattrs.PutNonEmpty(attrs, attrSessionPrevID, prev)
		}
		s.putUser(attrs, &m.User)
		pattrs.PutNonEmpty(attrs, attrClientAddress, s.ClientAddress)
	}
}

// putUser records user.id always and the other user fields only where the config allows:
// they are personal data.
func (s *Source) putUser(attrs pcommon.Map, u *faro.User) {
	pattrs.PutNonEmpty(attrs, attrUserID, u.ID)
	optional := []struct{ key, attr, value string }{
		{"email", attrUserEmail, u.Email},
		{"name", attrUserName, u.Username},
		{"full_name", attrUserFullName, u.FullName},
		{"roles", attrUserRoles, u.Roles},
		{"hash", attrUserHash, u.Hash},
	}
	for _, o := range optional {
		if s.UserAttributes[o.key] {
			pattrs.PutNonEmpty(attrs, o.attr, o.value)
		}
	}
}
