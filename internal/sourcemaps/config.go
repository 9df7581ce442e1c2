// Copyright The otelcol-rum Authors
// SPDX-License-Identifier: Apache-2.0

package sourcemaps // import "github.com/otelcol-rum/otelcol-rum/internal/sourcemaps"

import (
	"errors"
	"fmt"
	"net/url"
	"time"
)

// Defaults: sizes that fit the maps of large single-page apps (tens of MB of source map
// are common), times that keep a missing map from being asked for on every error while a
// freshly deployed one is found within a minute, and a cache that holds a few dozen
// releases' maps in a modest share of a collector's memory.
const (
	defaultFetchTimeout       = 5 * time.Second
	defaultMaxMapSize         = 32 << 20
	defaultMaxScriptSize      = 8 << 20
	defaultMaxConcurrentLoads = 4
	defaultCacheMaxBytes      = 256 << 20
	defaultCacheTTL           = time.Hour
	defaultNegativeTTL        = time.Minute
	defaultNegativeMaxEntries = 10_000
)

// Config says where source maps come from and how many are kept. It is the `sourcemaps`
// block of the components that symbolicate; every source is optional, and with none the
// Store finds nothing.
type Config struct {
	// Directory is a local directory laid out as
	// <directory>/<service.name>/<service.version>/<bundle URL path>.map: the map of
	// https://shop.example/dist/app.3f2c1.js of release 1.4.0 of app shop is
	// shop/1.4.0/dist/app.3f2c1.js.map. A CI step copies dist/*.map there at deploy time.
	// Default: "" (not used)
	Directory string `mapstructure:"directory"`
	// BaseURL is an HTTP(S) URL laid out like Directory (a private artifact store): the
	// map above is <base_url>/shop/1.4.0/dist/app.3f2c1.js.map. It is trusted as the
	// configuration is; redirects to another origin are still refused.
	// Default: "" (not used)
	BaseURL string `mapstructure:"base_url"`
	// Download fetches maps from the scripts' own origins.
	Download DownloadConfig `mapstructure:"download"`
	// FetchTimeout bounds one load from BaseURL or by download, all its requests
	// together. Loads run outside the pipeline, so it bounds work, not the delay of data.
	// Default: 5s
	FetchTimeout time.Duration `mapstructure:"fetch_timeout"`
	// MaxMapSize is the largest map read, in bytes, from any source; a larger one is a
	// failure (too_large).
	// Default: 33554432 (32 MiB)
	MaxMapSize int64 `mapstructure:"max_map_size"`
	// MaxConcurrentLoads bounds the maps read and parsed at once. A lookup that would
	// start one more waits for a free slot until its deadline.
	// Default: 4
	MaxConcurrentLoads int `mapstructure:"max_concurrent_loads"`
	// Cache bounds the parsed maps and the failures kept.
	Cache CacheConfig `mapstructure:"cache"`

	// prevent unkeyed literal initialization
	_ struct{}
}

// DownloadConfig enables downloads from the scripts' origins. A browser chooses the
// script URLs of its stack traces, so only origins listed here are ever contacted.
type DownloadConfig struct {
	// Enabled turns downloads on.
	// Default: false
	Enabled bool `mapstructure:"enabled"`
	// AllowedOrigins are the origins (scheme://host[:port], no path) whose scripts and
	// maps may be downloaded: a script's, and the map's when its sourceMappingURL names
	// another origin. Listed origins are reached whatever address they resolve to,
	// private ones included; nothing else is, nor a URL with user information.
	// Default: [] (required when enabled)
	AllowedOrigins []string `mapstructure:"allowed_origins"`
	// MaxScriptSize is the largest script read, in bytes, to find its sourceMappingURL
	// comment. The map itself is bounded by max_map_size.
	// Default: 8388608 (8 MiB)
	MaxScriptSize int64 `mapstructure:"max_script_size"`

	// prevent unkeyed literal initialization
	_ struct{}
}

// CacheConfig bounds what the Store keeps.
type CacheConfig struct {
	// MaxBytes bounds the estimated memory of the parsed maps kept; the least recently
	// used are dropped past it. A map whose estimate exceeds it alone is a failure
	// (too_large).
	// Default: 268435456 (256 MiB)
	MaxBytes int64 `mapstructure:"max_bytes"`
	// TTL is how long a parsed map is kept; after it the map is loaded again, so that a
	// map replaced under the same release is seen.
	// Default: 1h
	TTL time.Duration `mapstructure:"ttl"`
	// NegativeTTL is how long a failure (not found, timeout, refused, too large, invalid)
	// is remembered, so that a missing map is not asked for on every error.
	// Default: 1m
	NegativeTTL time.Duration `mapstructure:"negative_ttl"`
	// NegativeMaxEntries bounds the failures remembered; the oldest is forgotten past it.
	// Default: 10000
	NegativeMaxEntries int `mapstructure:"negative_max_entries"`

	// prevent unkeyed literal initialization
	_ struct{}
}

// NewDefaultConfig returns the defaults: no source configured, downloads off.
func NewDefaultConfig() Config {
	return Config{
		FetchTimeout:       defaultFetchTimeout,
		MaxMapSize:         defaultMaxMapSize,
		MaxConcurrentLoads: defaultMaxConcurrentLoads,
		Download:           DownloadConfig{MaxScriptSize: defaultMaxScriptSize},
		Cache: CacheConfig{
			MaxBytes:           defaultCacheMaxBytes,
			TTL:                defaultCacheTTL,
			NegativeTTL:        defaultNegativeTTL,
			NegativeMaxEntries: defaultNegativeMaxEntries,
		},
	}
}

// Validate checks every option; each error names its key within the block. It is the
// only Validate of the block (the nested structs have none), so that the collector,
// which validates nested structs on its own, reports each error once.
func (cfg *Config) Validate() error {
	var errs []error
	if cfg.BaseURL != "" {
		if err := checkBaseURL(cfg.BaseURL); err != nil {
			errs = append(errs, fmt.Errorf("invalid base_url: %w", err))
		}
	}
	if cfg.FetchTimeout <= 0 {
		errs = append(errs, errors.New("invalid fetch_timeout: must be positive"))
	}
	if cfg.MaxMapSize <= 0 {
		errs = append(errs, errors.New("invalid max_map_size: must be positive"))
	}
	if cfg.MaxConcurrentLoads <= 0 {
		errs = append(errs, errors.New("invalid max_concurrent_loads: must be positive"))
	}
	if cfg.Download.Enabled && len(cfg.Download.AllowedOrigins) == 0 {
		errs = append(errs, errors.New("invalid download.allowed_origins: must not be empty when download.enabled is true"))
	}
	for _, o := range cfg.Download.AllowedOrigins {
		if _, err := parseOrigin(o); err != nil {
			errs = append(errs, fmt.Errorf("invalid download.allowed_origins: %q: %w", o, err))
		}
	}
	if cfg.Download.MaxScriptSize <= 0 {
		errs = append(errs, errors.New("invalid download.max_script_size: must be positive"))
	}
	if cfg.Cache.MaxBytes <= 0 {
		errs = append(errs, errors.New("invalid cache.max_bytes: must be positive"))
	}
	if cfg.Cache.TTL <= 0 {
		errs = append(errs, errors.New("invalid cache.ttl: must be positive"))
	}
	if cfg.Cache.NegativeTTL <= 0 {
		errs = append(errs, errors.New("invalid cache.negative_ttl: must be positive"))
	}
	if cfg.Cache.NegativeMaxEntries <= 0 {
		errs = append(errs, errors.New("invalid cache.negative_max_entries: must be positive"))
	}
	return errors.Join(errs...)
}

// checkBaseURL accepts an absolute http(s) URL without query or fragment: the map's path
// is appended to it.
func checkBaseURL(s string) error {
	u, err := url.Parse(s)
	if err != nil {
		return err
	}
	if u.Scheme != "http" && u.Scheme != "https" {
		return errors.New("must be an http or https URL")
	}
	if u.Host == "" {
		return errors.New("must name a host")
	}
	if u.RawQuery != "" || u.Fragment != "" {
		return errors.New("must have no query or fragment")
	}
	return nil
}
