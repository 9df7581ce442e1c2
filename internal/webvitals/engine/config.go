// Copyright The otelcol-rum Authors
// SPDX-License-Identifier: Apache-2.0

package engine // import "github.com/otelcol-rum/otelcol-rum/internal/webvitals/engine"

import (
	"errors"
	"fmt"
	"time"

	"github.com/otelcol-rum/otelcol-rum/internal/dimensions"
	"github.com/otelcol-rum/otelcol-rum/internal/webvitals/route"
)

// Defaults: a scrape-friendly interval, a hold long enough for web-vitals' update reports
// of one page, and bounds that keep series and memory modest.
const (
	defaultEmitInterval        = 15 * time.Second
	defaultMeasurementHold     = 10 * time.Second
	defaultSeriesTTL           = time.Hour
	defaultMaxRoutesPerService = 200
	defaultOverflowRoute       = route.DefaultOverflow
	defaultMaxPending          = 100_000
	defaultMaxRemembered       = 200_000
	defaultRememberFor         = 30 * time.Minute
	// defaultMaxSeries leaves room for every vital and timing (12) over the default
	// routes with a few dimension values each; each histogram series is ~20 series in
	// Prometheus (its buckets, sum and count).
	defaultMaxSeries = 10_000
)

// AggregationConfig holds the options of the aggregation, which the webvitals processor
// and the webvitals connector share: they differ in where measurements come from, not in
// how they are counted. It is not a component configuration: each component declares its
// own Config and squashes this struct into it (as the collector's scraping receivers
// squash scraperhelper.ControllerConfig), so both read these keys with these defaults
// while each accepts only its own options. The engine takes it as it is (Settings).
type AggregationConfig struct {
	// EmitInterval is how often the histograms are sent on. They are cumulative: each
	// emission carries everything counted so far.
	// Default: 15s
	EmitInterval time.Duration `mapstructure:"emit_interval"`
	// MeasurementHold is how long a measurement waits for updates under the same id
	// (web-vitals reports CLS and INP again as they grow) before its final value counts.
	// Default: 10s
	MeasurementHold time.Duration `mapstructure:"measurement_hold"`
	// SeriesTTL drops a series that received nothing for that long, and forgets its route.
	// It may not be shorter than EmitInterval.
	// Default: 1h
	SeriesTTL time.Duration `mapstructure:"series_ttl"`
	// Routes are route patterns (/product/{id}, /docs/*) tried in order before automatic
	// templating of ids.
	// Default: [] (automatic templating only)
	Routes []string `mapstructure:"routes"`
	// MaxRoutesPerService bounds the distinct url.template values per service; new routes
	// beyond it are folded into OverflowRoute.
	// Default: 200
	MaxRoutesPerService int `mapstructure:"max_routes_per_service"`
	// OverflowRoute is the url.template of the routes beyond MaxRoutesPerService. It may
	// not start with "/", so that it is never mistaken for a route.
	// Default: {other}
	OverflowRoute string `mapstructure:"overflow_route"`
	// MaxPending bounds the measurements waiting out their hold; past it the oldest is
	// counted early.
	// Default: 100000
	MaxPending int `mapstructure:"max_pending"`
	// MaxRemembered bounds the counted ids remembered to ignore late repeats.
	// Default: 200000
	MaxRemembered int `mapstructure:"max_remembered"`
	// RememberFor is how long a counted id is remembered.
	// Default: 30m
	RememberFor time.Duration `mapstructure:"remember_for"`
	// Dimensions are the resource attributes that become labels of the histograms, each
	// with its limit of distinct values per service (values past it become "other"). A
	// dimension may be written as its name alone, with its default limit.
	// Default: user_agent.name (50), os.name (50), rum.device.type (10),
	// geo.country.iso_code (250)
	Dimensions []dimensions.Dimension `mapstructure:"dimensions"`
	// MaxSeries bounds the histogram series; measurements of further series are counted
	// in one series per vital marked otel.metric.overflow=true.
	// Default: 10000
	MaxSeries int `mapstructure:"max_series"`
	// Apdex sets the target times of the browser.apdex counter of page loads, from the
	// page load duration and from LCP; ApdexConfig documents each option.
	// Default: load_threshold 500ms, lcp_threshold 2500ms, no routes
	Apdex ApdexConfig `mapstructure:"apdex"`

	// prevent unkeyed literal initialization
	_ struct{}
}

// NewDefaultAggregationConfig returns the defaults of both components.
func NewDefaultAggregationConfig() AggregationConfig {
	return AggregationConfig{
		EmitInterval:        defaultEmitInterval,
		MeasurementHold:     defaultMeasurementHold,
		SeriesTTL:           defaultSeriesTTL,
		MaxRoutesPerService: defaultMaxRoutesPerService,
		OverflowRoute:       defaultOverflowRoute,
		MaxPending:          defaultMaxPending,
		MaxRemembered:       defaultMaxRemembered,
		RememberFor:         defaultRememberFor,
		Dimensions:          dimensions.Defaults(),
		MaxSeries:           defaultMaxSeries,
		Apdex:               newDefaultApdexConfig(),
	}
}

// Check returns every invalid option, each error naming its YAML key. The components'
// Validate call it. It is not called Validate on purpose: a Validate method would be
// promoted through the squashed field, and the collector's validation, which calls
// Validate on the config and then on each of its fields, would report every error twice,
// the second time under "aggregationconfig", which is no YAML key.
func (cfg *AggregationConfig) Check() error {
	var errs []error
	positive := []struct {
		key string
		d   time.Duration
	}{
		{"emit_interval", cfg.EmitInterval},
		{"measurement_hold", cfg.MeasurementHold},
		{"series_ttl", cfg.SeriesTTL},
		{"remember_for", cfg.RememberFor},
	}
	for _, p := range positive {
		if p.d <= 0 {
			errs = append(errs, errors.New("invalid "+p.key+": must be positive"))
		}
	}
	if cfg.SeriesTTL > 0 && cfg.SeriesTTL < cfg.EmitInterval {
		errs = append(errs, errors.New("invalid series_ttl: must not be shorter than emit_interval"))
	}
	if cfg.MaxRoutesPerService <= 0 {
		errs = append(errs, errors.New("invalid max_routes_per_service: must be positive"))
	}
	if cfg.OverflowRoute == "" {
		errs = append(errs, errors.New("invalid overflow_route: must not be empty"))
	} else if err := route.CheckOverflow(cfg.OverflowRoute); err != nil {
		errs = append(errs, fmt.Errorf("invalid overflow_route: %w", err))
	}
	if cfg.MaxPending <= 0 {
		errs = append(errs, errors.New("invalid max_pending: must be positive"))
	}
	if cfg.MaxRemembered <= 0 {
		errs = append(errs, errors.New("invalid max_remembered: must be positive"))
	}
	if cfg.MaxSeries <= 0 {
		errs = append(errs, errors.New("invalid max_series: must be positive"))
	}
	errs = append(errs, dimensions.Check("dimensions", cfg.Dimensions)...)
	errs = append(errs, cfg.Apdex.check()...)
	for i, p := range cfg.Routes {
		if _, err := route.ParsePattern(p); err != nil {
			errs = append(errs, fmt.Errorf("invalid routes[%d]: %w", i, err))
		}
	}
	return errors.Join(errs...)
}
