// Copyright The otelcol-rum Authors
// SPDX-License-Identifier: Apache-2.0

package normalize

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"go.opentelemetry.io/collector/pdata/pcommon"

	"github.com/otelcol-rum/otelcol-rum/internal/rumconv"
)

// TestUpdateVitalAttributesWritesWhatPutWould: writing only what differs leaves the same
// attributes, in the same order, as writing them all, whatever form and types came in.
func TestUpdateVitalAttributesWritesWhatPutWould(t *testing.T) {
	v := Vital{Name: "lcp", Value: 1200.5, Delta: 1200.5, ID: "v6-1", Rating: "good", NavigationType: "navigate", NavigationID: "nav-1"}
	inputs := map[string]func(m pcommon.Map){
		"as sent by web-vitals": func(m pcommon.Map) {
			m.PutStr(rumconv.AttrWebVitalName, "lcp")
			m.PutDouble(rumconv.AttrWebVitalValue, 1200.5)
			m.PutDouble(rumconv.AttrWebVitalDelta, 1200.5)
			m.PutStr(rumconv.AttrWebVitalID, "v6-1")
			m.PutStr(rumconv.AttrWebVitalRating, "good")
			m.PutStr(rumconv.AttrWebVitalNavigationType, "navigate")
			m.PutStr(rumconv.AttrRUMNavigationID, "nav-1")
		},
		"upper-case name, int value, no delta, int id, other attributes": func(m pcommon.Map) {
			m.PutStr("url.full", "https://shop.example/")
			m.PutStr(rumconv.AttrWebVitalName, "LCP")
			m.PutInt(rumconv.AttrWebVitalValue, 1200)
			m.PutInt(rumconv.AttrWebVitalID, 1)
			m.PutStr(rumconv.AttrWebVitalRating, "good")
		},
		"another value": func(m pcommon.Map) {
			m.PutStr(rumconv.AttrWebVitalName, "lcp")
			m.PutDouble(rumconv.AttrWebVitalValue, 0)
		},
		"body form: no attributes of the vital": func(m pcommon.Map) {
			m.PutStr("event.name", "browser.web_vital")
		},
	}
	for name, fill := range inputs {
		t.Run(name, func(t *testing.T) {
			want, got := pcommon.NewMap(), pcommon.NewMap()
			fill(want)
			fill(got)
			putVitalAttributes(want, &v)
			updateVitalAttributes(got, &v)
			assert.Equal(t, keysInOrder(want), keysInOrder(got))
			assert.Equal(t, want.AsRaw(), got.AsRaw())
			for k, w := range want.All() {
				g, _ := got.Get(k)
				assert.Equal(t, w.Type(), g.Type(), k)
			}
		})
	}
}

func keysInOrder(m pcommon.Map) []string {
	var keys []string
	for k := range m.All() {
		keys = append(keys, k)
	}
	return keys
}
