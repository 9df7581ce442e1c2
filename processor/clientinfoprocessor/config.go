// Copyright The otelcol-rum Authors
// SPDX-License-Identifier: Apache-2.0

package clientinfoprocessor // import "github.com/otelcol-rum/otelcol-rum/processor/clientinfoprocessor"

import (
	"errors"
	"time"
)

// Defaults: a cache that holds the distinct browsers of a busy site's recent visitors
// (a result is about 200 bytes, so 10000 are about 2 MB); new strings parsed at a rate
// that costs at most about a sixth of a core (a parse takes about 0.8 ms, so 200 a
// second take about 160 ms of CPU; a site's new browsers arrive far slower once its
// cache is warm); and a database reload quick enough to follow a weekly update without
// a restart.
const (
	defaultUserAgentCacheSize            = 10_000
	defaultUserAgentMaxUncachedPerSecond = 200
	defaultGeoIPReload                   = time.Minute
)

// Config is the configuration of the clientinfo processor.
type Config struct {
	// UserAgent configures the parsing of User-Agent strings.
	UserAgent UserAgentConfig `mapstructure:"user_agent"`
	// DropBots drops the data of resources whose User-Agent is a crawler's, instead of
	// marking it user_agent.synthetic.type=bot.
	// Default: false
	DropBots bool `mapstructure:"drop_bots"`
	// GeoIP configures the geolocation of the client's address.
	GeoIP GeoIPConfig `mapstructure:"geoip"`
	// RecordClientAddress keeps client.address on the resource after its lookup. Without
	// it the address is removed wherever a database is configured, so that the location
	// is recorded and the address is not. Without a database the address is left as
	// the receiver wrote it.
	// Default: false
	RecordClientAddress bool `mapstructure:"record_client_address"`

	// prevent unkeyed literal initialization
	_ struct{}
}

// UserAgentConfig configures the parsing of User-Agent strings.
type UserAgentConfig struct {
	// CacheSize is how many parsed User-Agent strings are kept, the least recently used
	// going first. A parse costs about a millisecond, a cached one well under a
	// microsecond.
	// Default: 10000
	CacheSize int `mapstructure:"cache_size"`
	// MaxUncachedPerSecond bounds how many strings not in the cache are parsed per second
	// (a token bucket holding one second's worth), so that a flood of made-up
	// User-Agents cannot burn a core. Past it, a resource whose string is not cached is
	// left unparsed: it keeps user_agent.original and gets no browser, OS or device
	// attribute (nor the crawler flag), and is counted. Cached strings are never refused.
	// Default: 200
	MaxUncachedPerSecond int `mapstructure:"max_uncached_per_second"`
}

// GeoIPConfig says where the geolocation database is.
type GeoIPConfig struct {
	// Database is the path of an MMDB file (GeoLite2 City or Country, DB-IP, the
	// @ip-location-db databases). Empty: no geolocation. A missing or unreadable file is
	// logged once and locates nothing until a good file appears there.
	// Default: "" (no geolocation)
	Database string `mapstructure:"database"`
	// ReloadInterval is how often the file is checked for a change (size or
	// modification time); a changed file is read again without a restart.
	// Default: 1m
	ReloadInterval time.Duration `mapstructure:"reload_interval"`
}

// Validate checks the user_agent block; the collector prefixes its error with
// "user_agent: ". (The options at the top level are booleans: every value is valid.)
func (cfg *UserAgentConfig) Validate() error {
	if cfg.CacheSize <= 0 {
		return errors.New("invalid cache_size: must be positive")
	}
	if cfg.MaxUncachedPerSecond <= 0 {
		return errors.New("invalid max_uncached_per_second: must be positive")
	}
	return nil
}

// Validate checks the geoip block; the collector prefixes its error with "geoip: ". Any
// path is valid: a file that is not there yet is looked for again at every reload.
func (cfg *GeoIPConfig) Validate() error {
	if cfg.ReloadInterval <= 0 {
		return errors.New("invalid reload_interval: must be positive")
	}
	return nil
}
