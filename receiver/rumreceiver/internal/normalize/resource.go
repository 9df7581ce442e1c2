package normalize // import "github.com/otelcol-rum/otelcol-rum/receiver/rumreceiver/internal/normalize"

import (
	"go.opentelemetry.io/collector/pdata/pcommon"

	"github.com/otelcol-rum/otelcol-rum/receiver/rumreceiver/internal/faro"
)

// defaultServiceName is used when neither the config nor the SDK names the app.
const defaultServiceName = "unknown_service:browser"

// faroResource fills the resource of a Faro payload: one app, session, user and browser.
func (s *Source) faroResource(m *faro.Meta) func(pcommon.Map) {
	return func(attrs pcommon.Map) {
		attrs.PutStr(attrServiceName, firstNonEmpty(s.AppName, m.App.Name, defaultServiceName))
		putNonEmpty(attrs, attrServiceVersion, m.App.Version)
		putNonEmpty(attrs, attrServiceNamespace, m.App.Namespace)
		putNonEmpty(attrs, attrDeploymentEnv, firstNonEmpty(m.App.Environment, s.AppEnvironment))
		putNonEmpty(attrs, attrSDKName, m.SDK.Name)
		putNonEmpty(attrs, attrSDKVersion, m.SDK.Version)
		attrs.PutStr(attrSDKLanguage, "webjs")
		putNonEmpty(attrs, attrBrowserName, m.Browser.Name)
		putNonEmpty(attrs, attrBrowserVersion, m.Browser.Version)
		if len(m.Browser.Brands) > 0 {
			brands := attrs.PutEmptySlice(attrBrowserBrands)
			for _, b := range m.Browser.Brands {
				brands.AppendEmpty().SetStr(b)
			}
		}
		putNonEmpty(attrs, attrBrowserPlatform, m.Browser.OS)
		if m.Browser.Mobile != nil {
			attrs.PutBool(attrBrowserMobile, *m.Browser.Mobile)
		}
		putNonEmpty(attrs, attrBrowserLanguage, m.Browser.Language)
		putNonEmpty(attrs, attrUserAgent, firstNonEmpty(m.Browser.UserAgent, s.UserAgent))
		putNonEmpty(attrs, attrSessionID, m.Session.ID)
		if prev, ok := m.Session.Attributes.Get("previousSession"); ok {
			putNonEmpty(attrs, attrSessionPrevID, prev)
		}
		s.putUser(attrs, &m.User)
		putNonEmpty(attrs, attrClientAddress, s.ClientAddress)
	}
}

// putUser records user.id always and the other user fields only where the config allows:
// they are personal data.
func (s *Source) putUser(attrs pcommon.Map, u *faro.User) {
	putNonEmpty(attrs, attrUserID, u.ID)
	optional := []struct{ key, attr, value string }{
		{"email", attrUserEmail, u.Email},
		{"name", attrUserName, u.Username},
		{"full_name", attrUserFullName, u.FullName},
		{"roles", attrUserRoles, u.Roles},
		{"hash", attrUserHash, u.Hash},
	}
	for _, o := range optional {
		if s.UserAttributes[o.key] {
			putNonEmpty(attrs, o.attr, o.value)
		}
	}
}

func firstNonEmpty(values ...string) string {
	for _, v := range values {
		if v != "" {
			return v
		}
	}
	return ""
}
