// Copyright The otelcol-rum Authors
// SPDX-License-Identifier: Apache-2.0

package normalize

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/otelcol-rum/otelcol-rum/receiver/rumreceiver/internal/faro"
)

// TestFaroResourceWithEveryAttribute: a payload that sets every field the resource is made
// of, with every user field allowed, fits the gatherer (faroResourceAttrs), and the map
// is made at its size.
func TestFaroResourceWithEveryAttribute(t *testing.T) {
	mobile := true
	p := &faro.Payload{Meta: faro.Meta{
		SDK:  faro.SDK{Name: "faro-web", Version: "2"},
		App:  faro.App{Name: "app", Namespace: "ns", Version: "1", Environment: "prod"},
		User: faro.User{ID: "u", Email: "e", Username: "n", FullName: "f", Roles: "r", Hash: "h"},
		Session: faro.Session{ID: "s", Attributes: faro.Attrs{
			{Key: "effectiveType", Value: "4g"}, {Key: "previousSession", Value: "p"},
		}},
		Browser: faro.Browser{
			Name: "Chrome", Version: "156", OS: "Linux", Mobile: &mobile, UserAgent: "UA",
			Language: "en", Brands: faro.Brands{"Chromium 156", "Edge"},
		},
	}, Logs: []faro.Log{{Message: "m"}}}
	src := fuzzSource()
	src.ClientAddress = "192.0.2.1"
	src.UserAttributes = map[string]bool{"email": true, "name": true, "full_name": true, "roles": true, "hash": true}
	res := FromFaro(p, src, "test")
	require.Equal(t, 1, res.Logs.LogRecordCount())
	attrs := res.Logs.ResourceLogs().At(0).Resource().Attributes()
	assert.Equal(t, faroResourceAttrs, attrs.Len(), "every attribute faroResource can write")
	brands, ok := attrs.Get("browser.brands")
	require.True(t, ok)
	assert.Equal(t, []any{"Chromium 156", "Edge"}, brands.Slice().AsRaw())
	isMobile, ok := attrs.Get("browser.mobile")
	require.True(t, ok)
	assert.True(t, isMobile.Bool())
}
