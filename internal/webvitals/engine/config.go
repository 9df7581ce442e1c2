package engine // import "github.com/otelcol-rum/otelcol-rum/internal/webvitals/engine"

import (
	"errors"
	"fmt"
	"time"

	"github.com/otelcol-rum/otelcol-rum/internal/webvitals/route"
)

// Defaults: a scrape-friendly interval, a hold long enough for web-vitals' update reports
// of one page, and bounds that keep series and memory modest.
const (
	defaultEmitInterval        = 15 * time.Second
	defaultMeasurementHold     = 10 * time.Second
	defaultSeriesTTL           = time.Hour
	defaultMaxRoutesPerService = 200
	defaultOverflowRoute       = "{other}"
	defaultMaxPending          = 100_000
	defaultMaxRemembered       = 200_000
	defaultRememberFor         = 30 * time.Minute
)

// Config is the configuration of the webvitals processor and connector: they differ only
// in where measurements come from, not in how they are aggregated.
type Config struct {
	// EmitInterval is how often the histograms are sent on.
	EmitInterval time.Duration `mapstructure:"emit_interval"`
	// MeasurementHold is how long a measurement waits for updates under the same id
	// (web-vitals reports CLS and INP again as they grow) before its final value counts.
	MeasurementHold time.Duration `mapstructure:"measurement_hold"`
	// SeriesTTL drops series that received nothing for that long.
	SeriesTTL time.Duration `mapstructure:"series_ttl"`
	// Routes are route patterns (/product/{id}, /docs/*) tried in order before automatic
	// templating of ids.
	Routes []string `mapstructure:"routes"`
	// MaxRoutesPerService bounds the distinct url.template values per service; the rest
	// are folded into OverflowRoute.
	MaxRoutesPerService int    `mapstructure:"max_routes_per_service"`
	OverflowRoute       string `mapstructure:"overflow_route"`
	// KeepMeasurements forwards the raw per-measurement points as well (processor only:
	// the connector never changes the pipelines it reads).
	KeepMeasurements bool `mapstructure:"keep_measurements"`
	// MaxPending bounds the measurements waiting out their hold.
	MaxPending int `mapstructure:"max_pending"`
	// MaxRemembered and RememberFor bound the ids kept to ignore late repeats.
	MaxRemembered int           `mapstructure:"max_remembered"`
	RememberFor   time.Duration `mapstructure:"remember_for"`

	// prevent unkeyed literal initialization
	_ struct{}
}

// DefaultConfig returns the defaults of both components.
func DefaultConfig() *Config {
	return &Config{
		EmitInterval:        defaultEmitInterval,
		MeasurementHold:     defaultMeasurementHold,
		SeriesTTL:           defaultSeriesTTL,
		MaxRoutesPerService: defaultMaxRoutesPerService,
		OverflowRoute:       defaultOverflowRoute,
		MaxPending:          defaultMaxPending,
		MaxRemembered:       defaultMaxRemembered,
		RememberFor:         defaultRememberFor,
	}
}

// Validate checks the configuration.
func (cfg *Config) Validate() error {
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
	for i, p := range cfg.Routes {
		if _, err := route.ParsePattern(p); err != nil {
			errs = append(errs, fmt.Errorf("invalid routes[%d]: %w", i, err))
		}
	}
	return errors.Join(errs...)
}
