// Copyright The otelcol-rum Authors
// SPDX-License-Identifier: Apache-2.0

package journeysprocessor // import "github.com/otelcol-rum/otelcol-rum/processor/journeysprocessor"

import (
	"errors"
	"fmt"
	"time"

	"github.com/otelcol-rum/otelcol-rum/internal/dimensions"
	"github.com/otelcol-rum/otelcol-rum/internal/webvitals/route"
)

// Defaults: the webvitals and jserrors components' interval and route bounds, so that
// the metrics of the three share their routes; a few hundred transitions and a hundred
// action names per app, more than an app's navigation graph and its named actions.
const (
	defaultEmitInterval             = 15 * time.Second
	defaultSeriesTTL                = time.Hour
	defaultMaxRoutesPerService      = 200
	defaultOverflowRoute            = route.DefaultOverflow
	defaultMaxTransitionsPerService = 500
	defaultMaxActionNamesPerService = 100
	defaultMaxSeries                = 10_000
)

// Config is the configuration of the journeys processor.
type Config struct {
	// EmitInterval is how often the metrics are sent on, cumulative.
	// Default: 15s
	EmitInterval time.Duration `mapstructure:"emit_interval"`
	// SeriesTTL drops a series that counted nothing for that long, and forgets its route,
	// transition or action name. It may not be shorter than EmitInterval.
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
	// OverflowRoute is the url.template of the routes beyond MaxRoutesPerService, and the
	// label of the transitions and action names beyond their limits. It may not start
	// with "/", so that it is never mistaken for a route.
	// Default: {other}
	OverflowRoute string `mapstructure:"overflow_route"`
	// MaxTransitionsPerService bounds the distinct (from, to) pairs of
	// browser.view.transitions per service: the first ones seen are kept, the rest
	// counted as (OverflowRoute, OverflowRoute) until a kept one expires.
	// Default: 500
	MaxTransitionsPerService int `mapstructure:"max_transitions_per_service"`
	// MaxActionNamesPerService bounds the distinct action names of
	// browser.action.duration per service; further names become OverflowRoute.
	// Default: 100
	MaxActionNamesPerService int `mapstructure:"max_action_names_per_service"`
	// MaxSeries bounds the series of all the metrics together; what would make a further
	// series is counted in its metric's series marked otel.metric.overflow=true.
	// Default: 10000
	MaxSeries int `mapstructure:"max_series"`
	// Dimensions are the resource attributes that become labels of every metric, each
	// with its limit of distinct values per service (values past it become "other"); the
	// webvitals components' option of the same name. A dimension may be written as its
	// name alone, with its default limit.
	// Default: user_agent.name (50), os.name (50), rum.device.type (10),
	// geo.country.iso_code (250)
	Dimensions []dimensions.Dimension `mapstructure:"dimensions"`

	// prevent unkeyed literal initialization
	_ struct{}
}

// Validate checks every option, each error naming its YAML key.
func (cfg *Config) Validate() error {
	var errs []error
	for _, d := range []struct {
		key   string
		value time.Duration
	}{
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
	for _, n := range []struct {
		key   string
		value int
	}{
		{"max_transitions_per_service", cfg.MaxTransitionsPerService},
		{"max_action_names_per_service", cfg.MaxActionNamesPerService},
		{"max_series", cfg.MaxSeries},
	} {
		if n.value <= 0 {
			errs = append(errs, fmt.Errorf("invalid %s: must be positive", n.key))
		}
	}
	errs = append(errs, route.CheckOptions(cfg.Routes, cfg.MaxRoutesPerService, cfg.OverflowRoute)...)
	errs = append(errs, dimensions.Check("dimensions", cfg.Dimensions)...)
	return errors.Join(errs...)
}
