// Copyright The otelcol-rum Authors
// SPDX-License-Identifier: Apache-2.0

package dimensions

import (
	"fmt"
	"strings"
	"testing"
	"time"
	"unicode/utf8"

	"github.com/stretchr/testify/assert"
	"go.opentelemetry.io/collector/pdata/pcommon"
)

func resource(kv ...string) pcommon.Map {
	m := pcommon.NewMap()
	for i := 0; i < len(kv); i += 2 {
		m.PutStr(kv[i], kv[i+1])
	}
	return m
}

var twoDims = []Dimension{{Name: "user_agent.name", MaxValues: 2}, {Name: "geo.country.iso_code", MaxValues: 3}}

func TestValuesPastMaxValuesFoldIntoOther(t *testing.T) {
	l := NewLimiter(twoDims, time.Hour)
	got := func(service, browser string) string {
		return l.Apply(service, resource("user_agent.name", browser, "geo.country.iso_code", "BR"), 0)[0]
	}
	assert.Equal(t, "Chrome", got("shop", "Chrome"))
	assert.Equal(t, "Firefox", got("shop", "Firefox"))
	assert.Equal(t, "other", got("shop", "Opera"), "a third browser is past max_values")
	assert.Equal(t, "Chrome", got("shop", "Chrome"), "a known value stays")
	assert.Equal(t, "Opera", got("blog", "Opera"), "each service has its own values")
	assert.Equal(t, Stats{Folded: 1}, l.Stats())
}

func TestAbsentAttributeGivesNoValue(t *testing.T) {
	l := NewLimiter(twoDims, time.Hour)
	assert.Equal(t, Values{"", "BR"}, l.Apply("shop", resource("geo.country.iso_code", "BR"), 0))
	assert.Equal(t, Values{}, l.Apply("shop", resource("os.name", "iOS"), 0))
	for range 10 {
		l.Apply("shop", resource(), 0)
	}
	assert.Equal(t, Values{"Safari", "BR"}, l.Apply("shop", resource("user_agent.name", "Safari", "geo.country.iso_code", "BR"), 0), "absence takes no place")
}

func TestNonStringValuesAreTheirText(t *testing.T) {
	l := NewLimiter([]Dimension{{Name: "browser.mobile", MaxValues: 2}}, time.Hour)
	res := pcommon.NewMap()
	res.PutBool("browser.mobile", true)
	assert.Equal(t, "true", l.Apply("shop", res, 0)[0])
}

func TestUnseenValuesAreForgottenAfterTheTTL(t *testing.T) {
	l := NewLimiter(twoDims, time.Minute)
	l.Apply("shop", resource("user_agent.name", "Chrome"), 0)
	l.Apply("shop", resource("user_agent.name", "Firefox"), int64(30*time.Second))
	l.Expire(int64(time.Minute))
	assert.Equal(t, "other", l.Apply("shop", resource("user_agent.name", "Opera"), int64(time.Minute))[0], "Firefox was seen within the TTL")
	l.Expire(int64(61 * time.Second))
	assert.Equal(t, "Opera", l.Apply("shop", resource("user_agent.name", "Opera"), int64(61*time.Second))[0], "Chrome's place is free again")
	l.Expire(int64(time.Hour))
	assert.Empty(t, l.services, "a service without values is forgotten")
}

func TestLongValuesAreClipped(t *testing.T) {
	l := NewLimiter(twoDims, time.Hour)
	long := strings.Repeat("x", MaxValueLen-1) + "é" + strings.Repeat("y", 1<<20)
	v := l.Apply("shop", resource("user_agent.name", long), 0)
	assert.Equal(t, strings.Repeat("x", MaxValueLen-1), v[0])
	assert.True(t, utf8.ValidString(v[0]))
	assert.Equal(t, v[0], l.Apply("shop", resource("user_agent.name", long+"other tail"), 0)[0], "one value, one place")
}

func TestPutWritesTheNonEmptyValues(t *testing.T) {
	l := NewLimiter(twoDims, time.Hour)
	m := pcommon.NewMap()
	l.Put(m, &Values{"Chrome", ""})
	assert.Equal(t, map[string]any{"user_agent.name": "Chrome"}, m.AsRaw())
	assert.Equal(t, []string{"user_agent.name", "geo.country.iso_code"}, l.Names())
}

func TestCompare(t *testing.T) {
	assert.Equal(t, 0, Compare(&Values{"a", "b"}, &Values{"a", "b"}))
	assert.Equal(t, -1, Compare(&Values{"a", "b"}, &Values{"a", "c"}))
	assert.Equal(t, 1, Compare(&Values{"b"}, &Values{"a", "z"}))
}

// TestKnownValuesCostNoAllocation: the hot path (a resource whose values are admitted)
// allocates nothing.
func TestKnownValuesCostNoAllocation(t *testing.T) {
	l := NewLimiter(Defaults(), time.Hour)
	res := resource("user_agent.name", "Chrome", "os.name", "Android", "rum.device.type", "mobile", "geo.country.iso_code", "BR")
	l.Apply("shop", res, 0)
	assert.Zero(t, testing.AllocsPerRun(100, func() { l.Apply("shop", res, 1) }))
}

func BenchmarkApply(b *testing.B) {
	l := NewLimiter(Defaults(), time.Hour)
	resources := make([]pcommon.Map, 64)
	for i := range resources {
		resources[i] = resource("service.name", "shop", "user_agent.name", fmt.Sprint("Browser ", i%8), "os.name", fmt.Sprint("OS ", i%5),
			"rum.device.type", "mobile", "geo.country.iso_code", fmt.Sprint("C", i))
	}
	b.ReportAllocs()
	i := 0
	for b.Loop() {
		l.Apply("shop", resources[i%len(resources)], int64(i))
		i++
	}
}
