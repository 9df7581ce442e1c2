// Copyright The otelcol-rum Authors
// SPDX-License-Identifier: Apache-2.0

package clientinfoprocessor

import (
	"testing"
	"time"

	"go.opentelemetry.io/collector/component"

	"github.com/otelcol-rum/otelcol-rum/internal/webvitals/configtest"
	"github.com/otelcol-rum/otelcol-rum/processor/clientinfoprocessor/internal/metadata"
)

// TestLoadConfig: testdata/config.yaml sets every option.
func TestLoadConfig(t *testing.T) {
	configtest.AssertLoads(t, createDefaultConfig, map[component.ID]component.Config{
		component.NewID(metadata.Type): createDefaultConfig(),
		component.NewIDWithName(metadata.Type, "full"): &Config{
			UserAgent: UserAgentConfig{CacheSize: 500, MaxUncachedPerSecond: 50},
			DropBots:  true,
			GeoIP: GeoIPConfig{
				Database:       "/var/lib/otelcol-rum/geoip/GeoLite2-City.mmdb",
				ReloadInterval: 10 * time.Minute,
			},
			RecordClientAddress: true,
		},
	})
}

// TestValidateNamesTheKey: each refused value is reported once, naming its YAML key.
func TestValidateNamesTheKey(t *testing.T) {
	configtest.AssertRefusals(t, createDefaultConfig, []configtest.Refusal{
		{Name: "cache_size", Options: map[string]any{"user_agent": map[string]any{"cache_size": 0}}, Err: "user_agent: invalid cache_size: must be positive"},
		{Name: "max_uncached_per_second", Options: map[string]any{"user_agent": map[string]any{"max_uncached_per_second": 0}}, Err: "user_agent: invalid max_uncached_per_second: must be positive"},
		{Name: "reload_interval", Options: map[string]any{"geoip": map[string]any{"reload_interval": "0s"}}, Err: "geoip: invalid reload_interval: must be positive"},
	})
}

func TestREADMEDocumentsEveryOption(t *testing.T) {
	configtest.AssertREADMEOptions(t, "processors", metadata.Type, createDefaultConfig)
}
