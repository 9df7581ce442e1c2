// Copyright The otelcol-rum Authors
// SPDX-License-Identifier: Apache-2.0

package useragent

import (
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// headlessChrome is the User-Agent of the repository's SDK captures (Chromium driven
// by the capture tooling).
const headlessChrome = "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) HeadlessChrome/156.0.0.0 Safari/537.36"

// current is a User-Agent of each browser RUM sees most, as those browsers send it
// today, with what each must read as.
var current = []struct {
	name string
	ua   string
	want Agent
}{
	{"chrome windows", "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36",
		Agent{Name: "Chrome", Version: "131.0.0", OSName: "Windows", OSVersion: "10", DeviceType: "desktop"}},
	{"edge windows", "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36 Edg/131.0.0.0",
		Agent{Name: "Edge", Version: "131.0.0", OSName: "Windows", OSVersion: "10", DeviceType: "desktop"}},
	{"firefox windows", "Mozilla/5.0 (Windows NT 10.0; Win64; x64; rv:133.0) Gecko/20100101 Firefox/133.0",
		Agent{Name: "Firefox", Version: "133.0", OSName: "Windows", OSVersion: "10", DeviceType: "desktop"}},
	{"safari macos", "Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/18.1 Safari/605.1.15",
		Agent{Name: "Safari", Version: "18.1", OSName: "Mac OS X", OSVersion: "10.15.7", DeviceType: "desktop", DeviceModel: "Mac"}},
	{"safari iphone", "Mozilla/5.0 (iPhone; CPU iPhone OS 18_1 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/18.1 Mobile/15E148 Safari/604.1",
		Agent{Name: "Mobile Safari", Version: "18.1", OSName: "iOS", OSVersion: "18.1", DeviceType: "mobile", DeviceModel: "iPhone"}},
	{"safari ipados", "Mozilla/5.0 (iPad; CPU OS 18_1 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/18.1 Mobile/15E148 Safari/604.1",
		Agent{Name: "Mobile Safari", Version: "18.1", OSName: "iOS", OSVersion: "18.1", DeviceType: "tablet", DeviceModel: "iPad"}},
	{"chrome iphone", "Mozilla/5.0 (iPhone; CPU iPhone OS 18_1 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) CriOS/131.0.6778.73 Mobile/15E148 Safari/604.1",
		Agent{Name: "Chrome Mobile iOS", Version: "131.0.6778", OSName: "iOS", OSVersion: "18.1", DeviceType: "mobile", DeviceModel: "iPhone"}},
	{"samsung internet", "Mozilla/5.0 (Linux; Android 14; SAMSUNG SM-S918B) AppleWebKit/537.36 (KHTML, like Gecko) SamsungBrowser/26.0 Chrome/122.0.0.0 Mobile Safari/537.36",
		Agent{Name: "Samsung Internet", Version: "26.0", OSName: "Android", OSVersion: "14", DeviceType: "mobile", DeviceModel: "Samsung SM-S918B"}},
	{"chrome android phone, reduced", "Mozilla/5.0 (Linux; Android 10; K) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Mobile Safari/537.36",
		Agent{Name: "Chrome Mobile", Version: "131.0.0", OSName: "Android", OSVersion: "10", DeviceType: "mobile"}},
	{"chrome android tablet, reduced", "Mozilla/5.0 (Linux; Android 10; K) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36",
		Agent{Name: "Chrome", Version: "131.0.0", OSName: "Android", OSVersion: "10", DeviceType: "tablet"}},
	{"chrome android tablet, model", "Mozilla/5.0 (Linux; Android 13; SM-X710) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36",
		Agent{Name: "Chrome", Version: "131.0.0", OSName: "Android", OSVersion: "13", DeviceType: "tablet", DeviceModel: "SM-X710"}},
	{"chrome pixel", "Mozilla/5.0 (Linux; Android 14; Pixel 8) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Mobile Safari/537.36",
		Agent{Name: "Chrome Mobile", Version: "131.0.0", OSName: "Android", OSVersion: "14", DeviceType: "mobile", DeviceModel: "Pixel 8"}},
	{"firefox android tablet", "Mozilla/5.0 (Android 14; Tablet; rv:133.0) Gecko/133.0 Firefox/133.0",
		Agent{Name: "Firefox Mobile", Version: "133.0", OSName: "Android", OSVersion: "14", DeviceType: "tablet"}},
	{"kindle silk", "Mozilla/5.0 (Linux; Android 11; KFTRWI) AppleWebKit/537.36 (KHTML, like Gecko) Silk/131.1.1 like Chrome/131.0.6778.135 Safari/537.36",
		Agent{Name: "Amazon Silk", Version: "131.1.1", OSName: "Android", OSVersion: "11", DeviceType: "tablet", DeviceModel: "Kindle"}},
	{"firefox linux", "Mozilla/5.0 (X11; Ubuntu; Linux x86_64; rv:133.0) Gecko/20100101 Firefox/133.0",
		Agent{Name: "Firefox", Version: "133.0", OSName: "Ubuntu", DeviceType: "desktop"}},
	// Headless browsers are not flagged: synthetic monitoring and the project's own
	// tests drive real pages with them.
	{"headless chrome", headlessChrome,
		Agent{Name: "HeadlessChrome", Version: "156.0.0", OSName: "Linux", DeviceType: "desktop"}},
	{"googlebot", "Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)",
		Agent{Name: "Googlebot", Version: "2.1", OSName: "Other", DeviceType: "bot", Bot: true}},
	{"googlebot smartphone", "Mozilla/5.0 (Linux; Android 6.0.1; Nexus 5X Build/MMB29P) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.6778.204 Mobile Safari/537.36 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)",
		Agent{Name: "Googlebot", Version: "2.1", OSName: "Android", OSVersion: "6.0.1", DeviceType: "bot", Bot: true}},
	{"bingbot", "Mozilla/5.0 (compatible; bingbot/2.0; +http://www.bing.com/bingbot.htm)",
		Agent{Name: "bingbot", Version: "2.0", OSName: "Other", DeviceType: "bot", Bot: true}},
	{"not a user agent", "garbage",
		Agent{Name: "Other", OSName: "Other", DeviceType: "desktop"}},
	{"empty", "", Agent{}},
}

func TestParseCurrentBrowsers(t *testing.T) {
	p, err := NewParser(100)
	require.NoError(t, err)
	for _, tc := range current {
		t.Run(tc.name, func(t *testing.T) {
			assert.Equal(t, tc.want, p.Parse(tc.ua))
			assert.Equal(t, tc.want, p.Parse(tc.ua), "the cached result differs")
		})
	}
}

// A 10 KB string is parsed as its first MaxLength bytes, and only those are kept.
func TestParseLongUserAgent(t *testing.T) {
	p, err := NewParser(10)
	require.NoError(t, err)
	chrome := current[0].ua
	long := chrome + " " + strings.Repeat("x", 10<<10)
	assert.Equal(t, current[0].want, p.Parse(long))
	assert.Equal(t, 1, p.Len())
	for _, key := range p.cache.Keys() {
		assert.LessOrEqual(t, len(key), MaxLength)
	}
	// Two strings that differ only past the limit share one entry.
	p.Parse(long + "y")
	assert.Equal(t, 1, p.Len())
}

func TestTruncateKeepsCharactersWhole(t *testing.T) {
	s := strings.Repeat("a", MaxLength-1) + "é" + "tail"
	got := truncate(s)
	assert.Len(t, got, MaxLength-1)
	assert.True(t, utf8.ValidString(got))
	assert.Equal(t, "short", truncate("short"))
	exact := strings.Repeat("b", MaxLength)
	assert.Equal(t, exact, truncate(exact))
}

func TestCacheIsBounded(t *testing.T) {
	p, err := NewParser(3)
	require.NoError(t, err)
	for i := range 10 {
		p.Parse(current[i].ua)
	}
	assert.Equal(t, 3, p.Len())
	// The most recent results stay.
	for _, tc := range current[7:10] {
		assert.True(t, p.cache.Contains(tc.ua), tc.name)
	}
}

func TestCachedNeverParses(t *testing.T) {
	p, err := NewParser(10)
	require.NoError(t, err)
	chrome := current[0]
	_, ok := p.Cached(chrome.ua)
	assert.False(t, ok, "a string never parsed is not known")
	assert.Equal(t, 0, p.Len(), "asking does not parse")

	p.Parse(chrome.ua)
	got, ok := p.Cached(chrome.ua)
	assert.True(t, ok)
	assert.Equal(t, chrome.want, got)
	got, ok = p.Cached(chrome.ua + " " + strings.Repeat("x", 10<<10))
	assert.False(t, ok, "a longer string is another string when its cut differs")
	assert.Equal(t, Agent{}, got)

	got, ok = p.Cached("")
	assert.True(t, ok, "an empty string needs no parsing")
	assert.Equal(t, Agent{}, got)
}

func TestNewParserRefusesNoCache(t *testing.T) {
	for _, size := range []int{0, -1} {
		_, err := NewParser(size)
		assert.Error(t, err, size)
	}
}

func TestParseConcurrently(t *testing.T) {
	p, err := NewParser(4)
	require.NoError(t, err)
	done := make(chan struct{})
	for g := range 4 {
		go func() {
			defer func() { done <- struct{}{} }()
			for i := range 50 {
				tc := current[(g+i)%len(current)]
				assert.Equal(t, tc.want, p.Parse(tc.ua))
			}
		}()
	}
	for range 4 {
		<-done
	}
}
