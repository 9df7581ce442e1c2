// Copyright The otelcol-rum Authors
// SPDX-License-Identifier: Apache-2.0

package normalize // import "github.com/otelcol-rum/otelcol-rum/receiver/rumreceiver/internal/normalize"

import "strings"

// UserAgent is the little a RUM dashboard needs from a User-Agent string.
type UserAgent struct {
	Name     string
	Version  string
	Platform string
	Mobile   bool
}

// uaProducts are checked in order: Edge and Opera also say Chrome, Chrome also says
// Safari, so the most specific token comes first.
var uaProducts = []struct{ token, name string }{
	{"Edg/", "Edge"},
	{"OPR/", "Opera"},
	{"SamsungBrowser/", "Samsung Internet"},
	{"Firefox/", "Firefox"},
	{"FxiOS/", "Firefox"},
	{"CriOS/", "Chrome"},
	{"HeadlessChrome/", "HeadlessChrome"},
	{"Chrome/", "Chrome"},
	{"Version/", "Safari"},
}

var uaPlatforms = []struct{ token, name string }{
	{"Android", "Android"},
	{"iPhone", "iOS"},
	{"iPad", "iOS"},
	{"Windows", "Windows"},
	{"Mac OS X", "macOS"},
	{"CrOS", "Chrome OS"},
	{"Linux", "Linux"},
}

// ParseUserAgent recognises the common browsers. It is deliberately small: web-vitals
// beacons carry no browser fields of their own, and a full UA database is not worth its
// weight for a dimension that only needs the family.
func ParseUserAgent(ua string) UserAgent {
	var out UserAgent
	for _, p := range uaProducts {
		if i := strings.Index(ua, p.token); i >= 0 {
			out.Name = p.name
			rest := ua[i+len(p.token):]
			if j := strings.IndexAny(rest, " ;)"); j >= 0 {
				rest = rest[:j]
			}
			out.Version = rest
			break
		}
	}
	for _, p := range uaPlatforms {
		if strings.Contains(ua, p.token) {
			out.Platform = p.name
			break
		}
	}
	// "Mobi" is the token browsers use for phones; Android tablets leave it out.
	out.Mobile = strings.Contains(ua, "Mobi")
	return out
}
