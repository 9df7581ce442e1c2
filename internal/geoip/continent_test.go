// Copyright The otelcol-rum Authors
// SPDX-License-Identifier: Apache-2.0

package geoip

import (
	"bufio"
	"os"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"go.opentelemetry.io/otel/attribute"
	semconv "go.opentelemetry.io/otel/semconv/v1.41.0"
)

func TestContinentOf(t *testing.T) {
	for country, continent := range map[string]string{
		"US": "NA", "MX": "NA", "PA": "NA", "JM": "NA", "GL": "NA",
		"BR": "SA", "AR": "SA", "GF": "SA",
		"GB": "EU", "DE": "EU", "RU": "EU", "CY": "EU", "XK": "EU",
		"JP": "AS", "IN": "AS", "TR": "AS", "GE": "AS", "IL": "AS",
		"EG": "AF", "ZA": "AF", "NG": "AF", "RE": "AF",
		"AU": "OC", "NZ": "OC", "FJ": "OC", "UM": "OC",
		"AQ": "AN", "TF": "AN",
		// Not countries: region codes some databases use, lower case, nothing.
		"EU": "", "AP": "", "us": "", "": "", "ZZ": "",
	} {
		assert.Equal(t, continent, continentOf(country), country)
	}
}

// TestContinentCodesAreTheConventions: the table's continents are the values the
// semantic conventions allow for geo.continent.code.
func TestContinentCodesAreTheConventions(t *testing.T) {
	allowed := map[string]bool{}
	for _, kv := range []attribute.KeyValue{
		semconv.GeoContinentCodeAf, semconv.GeoContinentCodeAn, semconv.GeoContinentCodeAs,
		semconv.GeoContinentCodeEu, semconv.GeoContinentCodeNa, semconv.GeoContinentCodeOc,
		semconv.GeoContinentCodeSa,
	} {
		allowed[kv.Value.AsString()] = true
	}
	for continent := range countriesByContinent {
		assert.True(t, allowed[continent], continent)
	}
	assert.Len(t, countriesByContinent, len(allowed))
}

// TestNoCountryOnTwoContinents: the table lists each code once.
func TestNoCountryOnTwoContinents(t *testing.T) {
	listed := 0
	for _, countries := range countriesByContinent {
		listed += len(strings.Fields(countries))
	}
	assert.Len(t, continentByCountry, listed)
}

// TestEveryISO3166CountryHasAContinent checks the table against the list of ISO 3166-1
// codes that the time zone database ships, where the system has it.
func TestEveryISO3166CountryHasAContinent(t *testing.T) {
	f, err := os.Open("/usr/share/zoneinfo/iso3166.tab")
	if err != nil {
		t.Skipf("no ISO 3166 list on this system: %v", err)
	}
	defer f.Close()
	codes := 0
	scanner := bufio.NewScanner(f)
	for scanner.Scan() {
		line := scanner.Text()
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		code, _, _ := strings.Cut(line, "\t")
		codes++
		assert.NotEmpty(t, continentOf(code), "no continent for %s", line)
	}
	require.NoError(t, scanner.Err())
	assert.Greater(t, codes, 240, "the list should hold every ISO 3166-1 code")
	// Everything it lists, plus Kosovo.
	assert.Len(t, continentByCountry, codes+1)
}
