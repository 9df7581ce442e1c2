// Copyright The otelcol-rum Authors
// SPDX-License-Identifier: Apache-2.0

package dimensions // import "github.com/otelcol-rum/otelcol-rum/internal/dimensions"

import (
	"fmt"

	"go.opentelemetry.io/collector/confmap"

	"github.com/otelcol-rum/otelcol-rum/internal/rumconv"
)

// Max is the most dimensions a component takes: series keys hold their values in an
// array of this size, so that a key is a comparable value that costs no allocation.
const Max = 8

// Value limits of the default dimensions. A browser family and an OS family have a long
// tail of rare names (ua-parser knows hundreds): 50 covers every one a dashboard shows.
// The device type has four values. The country limit is above the 249 ISO 3166 codes, so
// that no country is folded.
const (
	DefaultMaxValues      = 50
	defaultMaxBrowsers    = 50
	defaultMaxOSes        = 50
	defaultMaxDeviceTypes = 10
	defaultMaxCountries   = 250
)

// maxValuesKey is the YAML key of Dimension.MaxValues.
const maxValuesKey = "max_values"

// Dimension is one resource attribute taken as a label.
type Dimension struct {
	// Name is the resource attribute; its label has the same name.
	Name string `mapstructure:"name"`
	// MaxValues bounds its distinct values per service; further values become Other.
	// Default: 50 (10 for rum.device.type, 250 for geo.country.iso_code)
	MaxValues int `mapstructure:"max_values"`

	// prevent unkeyed literal initialization
	_ struct{}
}

// Defaults are the dimensions the components take unless configured otherwise: browser
// family, OS family, device type and country, as the clientinfo processor writes them.
func Defaults() []Dimension {
	return []Dimension{
		{Name: rumconv.AttrUserAgentName, MaxValues: defaultMaxBrowsers},
		{Name: rumconv.AttrOSName, MaxValues: defaultMaxOSes},
		{Name: rumconv.AttrRUMDeviceType, MaxValues: defaultMaxDeviceTypes},
		{Name: rumconv.AttrGeoCountryISOCode, MaxValues: defaultMaxCountries},
	}
}

// defaultMaxValues is the limit of a dimension configured without max_values.
func defaultMaxValues(name string) int {
	for _, d := range Defaults() {
		if d.Name == name {
			return d.MaxValues
		}
	}
	return DefaultMaxValues
}

// UnmarshalText takes a dimension written as its name alone, with the default limit.
func (d *Dimension) UnmarshalText(text []byte) error {
	d.Name = string(text)
	d.MaxValues = defaultMaxValues(d.Name)
	return nil
}

// Unmarshal takes a dimension written as a map; without max_values, it gets the default
// limit of its name.
func (d *Dimension) Unmarshal(conf *confmap.Conf) error {
	if err := conf.Unmarshal(d); err != nil {
		return err
	}
	if !conf.IsSet(maxValuesKey) {
		d.MaxValues = defaultMaxValues(d.Name)
	}
	return nil
}

// Check returns an error for each invalid dimension, naming its YAML key under key
// (dimensions): invalid dimensions[1].max_values: must be positive.
func Check(key string, dims []Dimension) []error {
	var errs []error
	if len(dims) > Max {
		errs = append(errs, fmt.Errorf("invalid %s: at most %d dimensions", key, Max))
	}
	seen := map[string]bool{}
	for i, d := range dims {
		switch {
		case d.Name == "":
			errs = append(errs, fmt.Errorf("invalid %s[%d].name: must not be empty", key, i))
		case seen[d.Name]:
			errs = append(errs, fmt.Errorf("invalid %s[%d].name: %q is listed twice", key, i, d.Name))
		case reserved[d.Name]:
			errs = append(errs, fmt.Errorf("invalid %s[%d].name: %q is a label the component writes itself", key, i, d.Name))
		}
		seen[d.Name] = true
		if d.MaxValues <= 0 {
			errs = append(errs, fmt.Errorf("invalid %s[%d].%s: must be positive", key, i, maxValuesKey))
		}
	}
	return errs
}

// reserved are the labels the components write themselves; a dimension of the same name
// would give a point two values for one key.
var reserved = map[string]bool{
	rumconv.AttrServiceName: true, rumconv.AttrDeploymentEnvironmentName: true,
	rumconv.AttrURLTemplate: true, rumconv.AttrOTelMetricOverflow: true,
	rumconv.AttrServiceVersion: true, rumconv.AttrRUMErrorGroup: true, rumconv.AttrExceptionType: true,
	rumconv.AttrWebVitalName: true, rumconv.AttrWebVitalRating: true,
}
