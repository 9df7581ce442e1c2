// Copyright The otelcol-rum Authors
// SPDX-License-Identifier: Apache-2.0

package frustration // import "github.com/otelcol-rum/otelcol-rum/processor/sessionprocessor/internal/frustration"

import (
	"errors"
	"fmt"
	"time"
)

// The defaults: issue 13's thresholds, which are also those of Datadog's and Splunk's
// browser agents (see the package documentation).
const (
	DefaultRageClicks       = 4
	DefaultRageWindow       = time.Second
	DefaultErrorClickWindow = time.Second
	// DefaultMaxReorder is generous on purpose: the OTel web SDK exports spans on a 5 s
	// timer and logs on their own, and retries come later still.
	DefaultMaxReorder = 30 * time.Second
)

// The limits of the thresholds. A run keeps MaxRageClicks clicks, so a rage click cannot
// need more; windows are at most MaxWindow, so that the run's clicks fit in 16-bit
// millisecond offsets (and a "burst" of a minute is no burst anyway).
const (
	MinRageClicks = 2
	MaxRageClicks = runKept
	MaxWindow     = time.Minute
)

// Config holds the thresholds of the detector. Methods given a Config that fails
// Validate clamp each value into its range instead of failing.
type Config struct {
	// RageClicks is how many clicks on one target within RageWindow make a rage click,
	// between MinRageClicks and MaxRageClicks. Default: 4.
	RageClicks int
	// RageWindow is the sliding window of a rage click, from a millisecond to MaxWindow.
	// Default: 1s.
	RageWindow time.Duration
	// ErrorClickWindow is how long after a click or action an exception makes it an
	// error click, from a millisecond to MaxWindow. Default: 1s.
	ErrorClickWindow time.Duration
	// MaxReorder is how much older than the newest event of the session an event may be
	// and still count; older ones are ignored. Zero takes events in time order only; at
	// most MaxReorderLimit. Default: 30s.
	MaxReorder time.Duration
}

// Defaults returns the default thresholds.
func Defaults() Config {
	return Config{
		RageClicks:       DefaultRageClicks,
		RageWindow:       DefaultRageWindow,
		ErrorClickWindow: DefaultErrorClickWindow,
		MaxReorder:       DefaultMaxReorder,
	}
}

// Validate checks every field. Errors name the keys the session processor's
// configuration is expected to use for them.
func (c *Config) Validate() error {
	var errs []error
	if c.RageClicks < MinRageClicks || c.RageClicks > MaxRageClicks {
		errs = append(errs, fmt.Errorf("invalid rage_clicks: must be between %d and %d", MinRageClicks, MaxRageClicks))
	}
	if c.RageWindow < time.Millisecond || c.RageWindow > MaxWindow {
		errs = append(errs, fmt.Errorf("invalid rage_window: must be between 1ms and %s", MaxWindow))
	}
	if c.ErrorClickWindow < time.Millisecond || c.ErrorClickWindow > MaxWindow {
		errs = append(errs, fmt.Errorf("invalid error_click_window: must be between 1ms and %s", MaxWindow))
	}
	if c.MaxReorder < 0 || c.MaxReorder > MaxReorderLimit {
		errs = append(errs, fmt.Errorf("invalid max_reorder: must be between 0s and %s", MaxReorderLimit))
	}
	return errors.Join(errs...)
}

func (c *Config) rageClicks() int {
	return min(max(c.RageClicks, MinRageClicks), MaxRageClicks)
}

// rageWindowMS is the rage window in milliseconds, the unit of a run's clicks.
func (c *Config) rageWindowMS() int64 {
	return int64(min(max(c.RageWindow, time.Millisecond), MaxWindow) / time.Millisecond)
}

func (c *Config) errorWindow() int64 {
	return int64(min(max(c.ErrorClickWindow, time.Millisecond), MaxWindow))
}

// MaxReorderLimit bounds MaxReorder, far beyond what any SDK's batching needs: the state
// keeps the run's time as 32-bit milliseconds before its newest click or action, exact
// while every event it takes lies within about 49 days of the newest. A Config that was
// not validated is taken as if MaxReorder were at most this.
const MaxReorderLimit = 30 * 24 * time.Hour

func (c *Config) maxReorder() int64 { return int64(min(max(c.MaxReorder, 0), MaxReorderLimit)) }
