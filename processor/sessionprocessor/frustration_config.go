// Copyright The otelcol-rum Authors
// SPDX-License-Identifier: Apache-2.0

package sessionprocessor // import "github.com/otelcol-rum/otelcol-rum/processor/sessionprocessor"

import (
	"errors"
	"strings"
	"time"

	"github.com/otelcol-rum/otelcol-rum/processor/sessionprocessor/internal/frustration"
)

// FrustrationConfig holds the thresholds of the frustration signals (rage and error
// clicks) found in each session's clicks, user actions and errors.
type FrustrationConfig struct {
	// RageClicks is how many clicks on one target within RageWindow make a rage click,
	// from 2 to 8. Default: 4.
	RageClicks int `mapstructure:"rage_clicks"`
	// RageWindow is the sliding window of a rage click, from 1ms to 1m. Default: 1s.
	RageWindow time.Duration `mapstructure:"rage_window"`
	// ErrorClickWindow is how long after a click or user action an error makes it an
	// error click, from 1ms to 1m. Default: 1s.
	ErrorClickWindow time.Duration `mapstructure:"error_click_window"`
	// MaxReorder is how much older, in record time, than the newest click, action or
	// error of its session an input may be and still count; older ones are ignored
	// (counted by processor_session_frustration_ignored_inputs). From 0 to 720h.
	// Default: 30s.
	MaxReorder time.Duration `mapstructure:"max_reorder"`

	// prevent unkeyed literal initialization
	_ struct{}
}

func defaultFrustrationConfig() FrustrationConfig {
	d := frustration.Defaults()
	return FrustrationConfig{RageClicks: d.RageClicks, RageWindow: d.RageWindow, ErrorClickWindow: d.ErrorClickWindow, MaxReorder: d.MaxReorder}
}

// detector is the configuration as the detector takes it.
func (c *FrustrationConfig) detector() frustration.Config {
	return frustration.Config{RageClicks: c.RageClicks, RageWindow: c.RageWindow, ErrorClickWindow: c.ErrorClickWindow, MaxReorder: c.MaxReorder}
}

// validate checks the thresholds with the detector's own rules, naming the keys as they
// are written under frustration::. It is no Validate method on purpose: the
// configuration's Validate reports it, once.
func (c *FrustrationConfig) validate() error {
	d := c.detector()
	err := d.Validate()
	if err == nil {
		return nil
	}
	var errs []error
	if joined, ok := err.(interface{ Unwrap() []error }); ok {
		errs = joined.Unwrap()
	} else {
		errs = []error{err}
	}
	out := make([]error, len(errs))
	for i, e := range errs {
		out[i] = errors.New(strings.Replace(e.Error(), "invalid ", "invalid frustration::", 1))
	}
	return errors.Join(out...)
}
