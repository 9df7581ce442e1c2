// Copyright The otelcol-rum Authors
// SPDX-License-Identifier: Apache-2.0

package webvitalsprocessor

import (
	"testing"
	"time"

	"go.opentelemetry.io/collector/component"

	"github.com/otelcol-rum/otelcol-rum/internal/dimensions"
	"github.com/otelcol-rum/otelcol-rum/internal/webvitals/configtest"
	"github.com/otelcol-rum/otelcol-rum/internal/webvitals/engine"
	"github.com/otelcol-rum/otelcol-rum/processor/webvitalsprocessor/internal/metadata"
)

// TestLoadConfig: testdata/config.yaml sets every option.
func TestLoadConfig(t *testing.T) {
	configtest.AssertLoads(t, createDefaultConfig, map[component.ID]component.Config{
		component.NewID(metadata.Type): createDefaultConfig(),
		component.NewIDWithName(metadata.Type, "full"): &Config{
			AggregationConfig: engine.AggregationConfig{
				EmitInterval: 30 * time.Second, MeasurementHold: 5 * time.Second, SeriesTTL: 2 * time.Hour,
				Routes: []string{"/product/{id}", "/docs/*"}, MaxRoutesPerService: 50, OverflowRoute: "other",
				MaxPending: 1000, MaxRemembered: 5000, RememberFor: 10 * time.Minute,
				MaxSeries: 500, Dimensions: []dimensions.Dimension{
					{Name: "user_agent.name", MaxValues: 20}, {Name: "os.name", MaxValues: 50}, {Name: "geo.country.iso_code", MaxValues: 250},
				},
				Apdex: engine.ApdexConfig{LoadThreshold: 800 * time.Millisecond, LCPThreshold: 3 * time.Second, Routes: []engine.ApdexRoute{
					{Pattern: "/checkout/*", LoadThreshold: 1500 * time.Millisecond, LCPThreshold: 4 * time.Second},
					{Pattern: "/product/{id}", LoadThreshold: time.Second},
				}},
			},
			KeepMeasurements: true,
		},
	})
}

func TestValidateNamesTheKey(t *testing.T) {
	configtest.AssertValidateNamesTheKey(t, createDefaultConfig)
}

func TestREADMEDocumentsEveryOption(t *testing.T) {
	configtest.AssertREADMEOptions(t, "processors", metadata.Type, createDefaultConfig)
}
