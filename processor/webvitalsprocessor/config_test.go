package webvitalsprocessor

import (
	"path/filepath"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"go.opentelemetry.io/collector/component"
	"go.opentelemetry.io/collector/confmap/confmaptest"
	"go.opentelemetry.io/collector/confmap/xconfmap"

	"github.com/otelcol-rum/otelcol-rum/processor/webvitalsprocessor/internal/metadata"
)

func TestLoadConfig(t *testing.T) {
	cm, err := confmaptest.LoadConf(filepath.Join("testdata", "config.yaml"))
	require.NoError(t, err)
	cfg := createDefaultConfig()
	sub, err := cm.Sub(component.NewIDWithName(metadata.Type, "full").String())
	require.NoError(t, err)
	require.NoError(t, sub.Unmarshal(cfg))
	require.NoError(t, xconfmap.Validate(cfg))
	assert.Equal(t, &Config{
		EmitInterval: 30 * time.Second, MeasurementHold: 5 * time.Second, SeriesTTL: 2 * time.Hour,
		Routes: []string{"/product/{id}", "/docs/*"}, MaxRoutesPerService: 50, OverflowRoute: "other",
		KeepMeasurements: true, MaxPending: 1000, MaxRemembered: 5000, RememberFor: 10 * time.Minute,
	}, cfg)
}
