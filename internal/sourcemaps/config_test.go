// Copyright The otelcol-rum Authors
// SPDX-License-Identifier: Apache-2.0

package sourcemaps

import (
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"go.uber.org/zap"
)

func TestDefaultConfigIsValidAndOff(t *testing.T) {
	cfg := NewDefaultConfig()
	require.NoError(t, cfg.Validate())
	assert.Empty(t, cfg.Directory)
	assert.Empty(t, cfg.BaseURL)
	assert.False(t, cfg.Download.Enabled, "downloads are off by default")
}

func TestValidateNamesTheKey(t *testing.T) {
	for key, mutate := range map[string]func(*Config){
		"base_url":                   func(c *Config) { c.BaseURL = "ftp://artifacts/maps" },
		"fetch_timeout":              func(c *Config) { c.FetchTimeout = 0 },
		"max_map_size":               func(c *Config) { c.MaxMapSize = -1 },
		"max_concurrent_loads":       func(c *Config) { c.MaxConcurrentLoads = 0 },
		"download.allowed_origins":   func(c *Config) { c.Download.Enabled = true },
		"download.max_script_size":   func(c *Config) { c.Download.MaxScriptSize = 0 },
		"cache.max_bytes":            func(c *Config) { c.Cache.MaxBytes = 0 },
		"cache.ttl":                  func(c *Config) { c.Cache.TTL = -time.Second },
		"cache.negative_ttl":         func(c *Config) { c.Cache.NegativeTTL = 0 },
		"cache.negative_max_entries": func(c *Config) { c.Cache.NegativeMaxEntries = 0 },
	} {
		cfg := NewDefaultConfig()
		mutate(&cfg)
		err := cfg.Validate()
		require.Error(t, err, key)
		assert.Contains(t, err.Error(), "invalid "+key+":")
		_, err = NewStore(cfg, nil, zap.NewNop(), nil)
		assert.Error(t, err, "NewStore takes a valid configuration only")
	}
}

func TestValidateOrigins(t *testing.T) {
	for _, bad := range []string{
		"shop.example", "https://shop.example/app", "https://shop.example?x=1", "file:///var/www",
		"https://user@shop.example", "https://", "ftp://shop.example", "https://shop.example/#f",
	} {
		cfg := NewDefaultConfig()
		cfg.Download.Enabled = true
		cfg.Download.AllowedOrigins = []string{bad}
		err := cfg.Validate()
		require.Error(t, err, bad)
		assert.Contains(t, err.Error(), "invalid download.allowed_origins:")
	}
	cfg := NewDefaultConfig()
	cfg.Download.Enabled = true
	cfg.Download.AllowedOrigins = []string{"https://shop.example", "http://127.0.0.1:8080/", "https://CDN.Example:443"}
	cfg.BaseURL = "https://artifacts.internal/sourcemaps"
	require.NoError(t, cfg.Validate())
}

func TestOriginsCompareNormalized(t *testing.T) {
	l, err := newAllowList([]string{"https://Shop.Example", "http://127.0.0.1:8080"})
	require.NoError(t, err)
	for u, want := range map[string]bool{
		"https://shop.example/app.js":           true,
		"https://shop.example:443/app.js":       true,
		"HTTPS://SHOP.EXAMPLE/x":                true,
		"http://shop.example/app.js":            false, // another scheme
		"https://shop.example:8443/app.js":      false, // another port
		"https://shop.example.evil.test/app.js": false,
		"https://evil.test/shop.example/app.js": false,
		"http://127.0.0.1:8080/app.js":          true,
		"http://127.0.0.1/app.js":               false,
		"file:///etc/passwd":                    false,
		// The host is what counts, and credentials are never sent on a browser's say.
		"https://shop.example@evil.test/app.js":   false,
		"https://user:secret@shop.example/app.js": false,
		"https://evil.test@shop.example/app.js":   false,
		"https://shop.example./app.js":            false, // the same host to DNS, not to the list
		"https://shop.example:0443/app.js":        false,
		"https://shop.example:/app.js":            true, // an empty port is the default one
		"http://[::1]:8080/app.js":                false,
		"https:shop.example/app.js":               false,
	} {
		assert.Equal(t, want, l.allows(mustParse(t, u)), u)
	}
}
