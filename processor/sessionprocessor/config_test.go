// Copyright The otelcol-rum Authors
// SPDX-License-Identifier: Apache-2.0

package sessionprocessor

import (
	"path/filepath"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"go.opentelemetry.io/collector/component"
	"go.opentelemetry.io/collector/component/componenttest"
	"go.opentelemetry.io/collector/confmap/confmaptest"
	"go.opentelemetry.io/collector/confmap/xconfmap"
	"go.opentelemetry.io/collector/processor/processortest"

	"github.com/otelcol-rum/otelcol-rum/processor/sessionprocessor/internal/metadata"
)

func TestLoadConfig(t *testing.T) {
	cm, err := confmaptest.LoadConf(filepath.Join("testdata", "config.yaml"))
	require.NoError(t, err)
	cfg := createDefaultConfig()
	sub, err := cm.Sub(component.NewIDWithName(metadata.Type, "full").String())
	require.NoError(t, err)
	require.NoError(t, sub.Unmarshal(cfg))
	require.NoError(t, xconfmap.Validate(cfg))
	storage := component.MustNewID("file_storage")
	assert.Equal(t, &Config{
		InactivityTimeout: 30 * time.Minute, MaxDuration: 8 * time.Hour, MaxSessions: 5000,
		CheckInterval: 5 * time.Second, UnknownSessions: UnknownAssign, SamplingPercentage: 25,
		Storage: &storage, CheckpointInterval: 2 * time.Second, SnapshotInterval: 10 * time.Minute,
		PathLength: 5, InferSoftNavigations: false, ViewReorderWindow: 30 * time.Second,
		JoinWait: 3 * time.Second, MaxHeldVitals: 500,
		Frustration: FrustrationConfig{RageClicks: 3, RageWindow: 2 * time.Second, ErrorClickWindow: 500 * time.Millisecond, MaxReorder: time.Minute},
	}, cfg)
}

func TestValidateNamesTheKey(t *testing.T) {
	cases := map[string]struct {
		mutate func(*Config)
		want   string
	}{
		"inactivity":           {func(c *Config) { c.InactivityTimeout = 0 }, "invalid inactivity_timeout: must be positive"},
		"max":                  {func(c *Config) { c.MaxDuration = -1 }, "invalid max_duration: must be positive"},
		"max short":            {func(c *Config) { c.MaxDuration = time.Minute }, "invalid max_duration: must not be shorter than inactivity_timeout"},
		"sessions":             {func(c *Config) { c.MaxSessions = 0 }, "invalid max_sessions: must be positive"},
		"check":                {func(c *Config) { c.CheckInterval = 0 }, "invalid check_interval: must be positive"},
		"unknown":              {func(c *Config) { c.UnknownSessions = "guess" }, `invalid unknown_sessions: "guess" is neither "pass" nor "assign"`},
		"sampling":             {func(c *Config) { c.SamplingPercentage = 101 }, "invalid sampling_percentage: must be between 0 and 100"},
		"path":                 {func(c *Config) { c.PathLength = 51 }, "invalid path_length: must be between 0 and 50"},
		"reorder":              {func(c *Config) { c.ViewReorderWindow = -time.Second }, "invalid view_reorder_window: must not be negative"},
		"join wait":            {func(c *Config) { c.JoinWait = -time.Second }, "invalid join_wait: must not be negative"},
		"max held vitals":      {func(c *Config) { c.MaxHeldVitals = 0 }, "invalid max_held_vitals: must be positive"},
		"rage clicks":          {func(c *Config) { c.Frustration.RageClicks = 1 }, "invalid frustration::rage_clicks: must be between 2 and 8"},
		"rage window":          {func(c *Config) { c.Frustration.RageWindow = 0 }, "invalid frustration::rage_window: must be between 1ms and 1m0s"},
		"error window":         {func(c *Config) { c.Frustration.ErrorClickWindow = time.Hour }, "invalid frustration::error_click_window: must be between 1ms and 1m0s"},
		"max reorder":          {func(c *Config) { c.Frustration.MaxReorder = -1 }, "invalid frustration::max_reorder: must be between 0s and 720h0m0s"},
		"max reorder too long": {func(c *Config) { c.Frustration.MaxReorder = 721 * time.Hour }, "invalid frustration::max_reorder: must be between 0s and 720h0m0s"},
		"checkpoint":           {func(c *Config) { id := component.MustNewID("file_storage"); c.Storage = &id; c.CheckpointInterval = 0 }, "invalid checkpoint_interval: must be positive when storage is set"},
		"handover and storage": {
			func(c *Config) {
				st, ho := component.MustNewID("file_storage"), component.MustNewID("kafka_handover")
				c.Storage, c.Handover = &st, &ho
			},
			"invalid handover: must not be set together with storage",
		},
		"handover checkpoint": {
			func(c *Config) {
				id := component.MustNewID("kafka_handover")
				c.Handover = &id
				c.CheckpointInterval = 0
			},
			"invalid checkpoint_interval: must be positive when handover is set",
		},
		"snapshot": {
			func(c *Config) {
				id := component.MustNewID("file_storage")
				c.Storage = &id
				c.SnapshotInterval = 500 * time.Millisecond
			},
			"invalid snapshot_interval: must not be shorter than checkpoint_interval when storage is set",
		},
	}
	for name, tc := range cases {
		t.Run(name, func(t *testing.T) {
			cfg := createDefaultConfig().(*Config)
			require.NoError(t, cfg.Validate())
			tc.mutate(cfg)
			assert.ErrorContains(t, cfg.Validate(), tc.want)
		})
	}
}

func TestStartFailsOnMissingStorage(t *testing.T) {
	cfg := testConfig()
	id := component.MustNewID("file_storage")
	cfg.Storage = &id
	c, err := newSessionProcessor(cfg, processortest.NewNopSettings(metadata.Type))
	require.NoError(t, err)
	err = c.Start(t.Context(), componenttest.NewNopHost())
	assert.ErrorContains(t, err, `invalid storage: extension "file_storage" not found`)
}

func TestLoadHandoverConfig(t *testing.T) {
	cm, err := confmaptest.LoadConf(filepath.Join("testdata", "config.yaml"))
	require.NoError(t, err)
	cfg := createDefaultConfig().(*Config)
	sub, err := cm.Sub(component.NewIDWithName(metadata.Type, "tier").String())
	require.NoError(t, err)
	require.NoError(t, sub.Unmarshal(cfg))
	require.NoError(t, xconfmap.Validate(cfg))
	want := component.MustNewID("kafka_handover")
	assert.Equal(t, &want, cfg.Handover)
	assert.Nil(t, cfg.Storage)
	assert.Equal(t, 500*time.Millisecond, cfg.CheckpointInterval)
}
