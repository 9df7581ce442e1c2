// Copyright The otelcol-rum Authors
// SPDX-License-Identifier: Apache-2.0

package jserrorsprocessor // import "github.com/otelcol-rum/otelcol-rum/processor/jserrorsprocessor"

import (
	"errors"
	"fmt"
	"regexp"
	"time"

	"github.com/otelcol-rum/otelcol-rum/internal/dimensions"
	"github.com/otelcol-rum/otelcol-rum/internal/sourcemaps"
	"github.com/otelcol-rum/otelcol-rum/internal/webvitals/route"
)

// Defaults: a budget a request's latency can afford, a fingerprint deep enough to tell
// two bugs of one function apart, and the webvitals histograms' interval and route
// bounds, so that the counter and the page load histograms share their routes.
const (
	defaultTimeout             = 100 * time.Millisecond
	defaultLibraryPattern      = `node_modules|webpack/(bootstrap|runtime)|\bvendors?\b`
	defaultGroupFrames         = 5
	defaultEmitInterval        = 15 * time.Second
	defaultSeriesTTL           = time.Hour
	defaultMaxRoutesPerService = 200
	defaultOverflowRoute       = route.DefaultOverflow
	defaultMaxSeries           = 10_000
)

// Config is the configuration of the jserrors processor.
type Config struct {
	// Sourcemaps says where source maps come from (a local directory, an HTTP(S) base
	// URL, downloads from allowed origins) and how many are kept; sourcemaps.Config
	// documents each option. With no source, nothing is symbolicated, and errors are
	// still grouped and counted.
	// Default: sourcemaps.NewDefaultConfig() (no source)
	Sourcemaps sourcemaps.Config `mapstructure:"sourcemaps"`

	// Timeout is the most a batch waits for source maps. A map still loading when it runs
	// out keeps loading in the background, for the next error of that script; the error
	// goes on unsymbolicated, marked rum.exception.symbolication=timeout.
	// Default: 100ms
	Timeout time.Duration `mapstructure:"timeout"`
	// LibraryPattern is a regular expression (Go's RE2 syntax) matched anywhere in each
	// frame's file (the source file after symbolication, the script's URL otherwise): the
	// frames it matches are library code, left out of the error group's fingerprint so
	// that the group follows the application's code. Empty matches nothing.
	// Default: node_modules|webpack/(bootstrap|runtime)|\bvendors?\b
	LibraryPattern string `mapstructure:"library_pattern"`
	// GroupFrames is how many of the top application frames the error group's
	// fingerprint takes, besides the exception type and the masked message; 0 groups by
	// the type and the message alone.
	// Default: 5
	GroupFrames int `mapstructure:"group_frames"`

	// EmitInterval is how often the browser.errors counter is sent on, cumulative.
	// Default: 15s
	EmitInterval time.Duration `mapstructure:"emit_interval"`
	// SeriesTTL drops a series that counted nothing for that long, and forgets its
	// route. It may not be shorter than EmitInterval.
	// Default: 1h
	SeriesTTL time.Duration `mapstructure:"series_ttl"`
	// Routes are route patterns (/product/{id}, /docs/*) tried in order before automatic
	// templating of ids; the webvitals processor's routes, so that both name a page alike.
	// Default: [] (automatic templating only)
	Routes []string `mapstructure:"routes"`
	// MaxRoutesPerService bounds the distinct url.template values per service; routes
	// beyond it become OverflowRoute.
	// Default: 200
	MaxRoutesPerService int `mapstructure:"max_routes_per_service"`
	// OverflowRoute is the url.template of the routes beyond MaxRoutesPerService. It may
	// not start with "/", so that it is never mistaken for a route.
	// Default: {other}
	OverflowRoute string `mapstructure:"overflow_route"`
	// MaxSeries bounds the series of the counter; errors of further series are counted in
	// one series marked otel.metric.overflow=true.
	// Default: 10000
	MaxSeries int `mapstructure:"max_series"`
	// Dimensions are the resource attributes that become labels of the counter, each
	// with its limit of distinct values per service (values past it become "other"); the
	// webvitals components' option of the same name. A dimension may be written as its
	// name alone, with its default limit.
	// Default: user_agent.name (50), os.name (50), rum.device.type (10),
	// geo.country.iso_code (250)
	Dimensions []dimensions.Dimension `mapstructure:"dimensions"`

	// prevent unkeyed literal initialization
	_ struct{}
}

// Validate checks every option, each error naming its YAML key. The sourcemaps block has
// a Validate of its own, which the collector calls and whose errors it prefixes with
// "sourcemaps: ".
func (cfg *Config) Validate() error {
	var errs []error
	for _, d := range []struct {
		key   string
		value time.Duration
	}{
		{"timeout", cfg.Timeout},
		{"emit_interval", cfg.EmitInterval},
		{"series_ttl", cfg.SeriesTTL},
	} {
		if d.value <= 0 {
			errs = append(errs, fmt.Errorf("invalid %s: must be positive", d.key))
		}
	}
	if cfg.SeriesTTL > 0 && cfg.SeriesTTL < cfg.EmitInterval {
		errs = append(errs, errors.New("invalid series_ttl: must not be shorter than emit_interval"))
	}
	if _, err := regexp.Compile(cfg.LibraryPattern); err != nil {
		errs = append(errs, fmt.Errorf("invalid library_pattern: %w", err))
	}
	if cfg.GroupFrames < 0 {
		errs = append(errs, errors.New("invalid group_frames: must not be negative"))
	}
	if cfg.MaxSeries <= 0 {
		errs = append(errs, errors.New("invalid max_series: must be positive"))
	}
	errs = append(errs, route.CheckOptions(cfg.Routes, cfg.MaxRoutesPerService, cfg.OverflowRoute)...)
	errs = append(errs, dimensions.Check("dimensions", cfg.Dimensions)...)
	return errors.Join(errs...)
}
