// Copyright The otelcol-rum Authors
// SPDX-License-Identifier: Apache-2.0

package useragent

import (
	"strings"
	"testing"

	"github.com/otelcol-rum/otelcol-rum/internal/rumconv"
)

// FuzzParse: any string parses, without a panic, to a device type of the four (none
// for an empty string), a bot exactly when the type says so, and the same result twice.
func FuzzParse(f *testing.F) {
	for _, tc := range current {
		f.Add(tc.ua)
	}
	f.Add(strings.Repeat("Mozilla/5.0 (", 200))
	f.Add(strings.Repeat("\xff", MaxLength+3))
	p, err := NewParser(64)
	if err != nil {
		f.Fatal(err)
	}
	types := map[string]bool{rumconv.DeviceDesktop: true, rumconv.DeviceMobile: true, rumconv.DeviceTablet: true, rumconv.DeviceBot: true}
	f.Fuzz(func(t *testing.T, ua string) {
		a := p.Parse(ua)
		if ua == "" {
			if a != (Agent{}) {
				t.Fatalf("empty string parsed to %+v", a)
			}
			return
		}
		if !types[a.DeviceType] {
			t.Fatalf("device type %q", a.DeviceType)
		}
		if a.Bot != (a.DeviceType == rumconv.DeviceBot) {
			t.Fatalf("bot %v with device type %q", a.Bot, a.DeviceType)
		}
		if again := p.Parse(ua); again != a {
			t.Fatalf("parsed %+v, then %+v", a, again)
		}
	})
}
