// Copyright The otelcol-rum Authors
// SPDX-License-Identifier: Apache-2.0

package engine // import "github.com/otelcol-rum/otelcol-rum/internal/webvitals/engine"

import (
	"errors"
	"fmt"
	"time"

	"github.com/otelcol-rum/otelcol-rum/internal/webvitals/route"
)

// Defaults of the Apdex thresholds: a page that loads in half a second satisfies, as the
// issue asks; for LCP, the web-vitals "good" threshold.
const (
	defaultApdexLoadThreshold = 500 * time.Millisecond
	defaultApdexLCPThreshold  = 2500 * time.Millisecond
)

// ApdexConfig sets the target time T of the Apdex zones of page loads: a load is
// satisfied within T, tolerating within 4T, frustrated beyond (the Apdex specification's
// zones).
type ApdexConfig struct {
	// LoadThreshold is T for the page load duration (browser.page_load.duration).
	// Default: 500ms
	LoadThreshold time.Duration `mapstructure:"load_threshold"`
	// LCPThreshold is T for Largest Contentful Paint.
	// Default: 2500ms
	LCPThreshold time.Duration `mapstructure:"lcp_threshold"`
	// Routes set other thresholds for the routes that match a pattern (the syntax of
	// routes), tried in order against the series' url.template; the first that matches
	// wins.
	// Default: []
	Routes []ApdexRoute `mapstructure:"routes"`

	// prevent unkeyed literal initialization
	_ struct{}
}

// ApdexRoute is the thresholds of the routes that match Pattern; a threshold left out
// (zero) is the global one.
type ApdexRoute struct {
	Pattern       string        `mapstructure:"pattern"`
	LoadThreshold time.Duration `mapstructure:"load_threshold"`
	LCPThreshold  time.Duration `mapstructure:"lcp_threshold"`
}

func newDefaultApdexConfig() ApdexConfig {
	return ApdexConfig{LoadThreshold: defaultApdexLoadThreshold, LCPThreshold: defaultApdexLCPThreshold}
}

// check returns every invalid option, each error naming its key under apdex.
func (cfg *ApdexConfig) check() []error {
	var errs []error
	if cfg.LoadThreshold <= 0 {
		errs = append(errs, errors.New("invalid apdex.load_threshold: must be positive"))
	}
	if cfg.LCPThreshold <= 0 {
		errs = append(errs, errors.New("invalid apdex.lcp_threshold: must be positive"))
	}
	for i, r := range cfg.Routes {
		if _, err := route.ParsePattern(r.Pattern); err != nil {
			errs = append(errs, fmt.Errorf("invalid apdex.routes[%d].pattern: %w", i, err))
		}
		if r.LoadThreshold < 0 {
			errs = append(errs, fmt.Errorf("invalid apdex.routes[%d].load_threshold: must not be negative", i))
		}
		if r.LCPThreshold < 0 {
			errs = append(errs, fmt.Errorf("invalid apdex.routes[%d].lcp_threshold: must not be negative", i))
		}
	}
	return errs
}

// apdexThresholds chooses each route's thresholds, in milliseconds.
type apdexThresholds struct {
	load, lcp float64
	routes    []apdexRoute
}

type apdexRoute struct {
	pattern   route.Pattern
	load, lcp float64
}

func newApdexThresholds(cfg ApdexConfig) (*apdexThresholds, error) {
	t := &apdexThresholds{load: millis(cfg.LoadThreshold), lcp: millis(cfg.LCPThreshold)}
	for _, r := range cfg.Routes {
		p, err := route.ParsePattern(r.Pattern)
		if err != nil {
			return nil, err
		}
		ar := apdexRoute{pattern: p, load: t.load, lcp: t.lcp}
		if r.LoadThreshold > 0 {
			ar.load = millis(r.LoadThreshold)
		}
		if r.LCPThreshold > 0 {
			ar.lcp = millis(r.LCPThreshold)
		}
		t.routes = append(t.routes, ar)
	}
	return t, nil
}

// of returns the thresholds of a route template.
func (t *apdexThresholds) of(template string) (load, lcp float64) {
	for i := range t.routes {
		if t.routes[i].pattern.Matches(template) {
			return t.routes[i].load, t.routes[i].lcp
		}
	}
	return t.load, t.lcp
}

func millis(d time.Duration) float64 { return float64(d) / float64(time.Millisecond) }
