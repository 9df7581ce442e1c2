// Copyright The otelcol-rum Authors
// SPDX-License-Identifier: Apache-2.0

package sessionprocessor // import "github.com/otelcol-rum/otelcol-rum/processor/sessionprocessor"

import (
	"errors"
	"fmt"
	"time"

	"go.opentelemetry.io/collector/component"

	"github.com/otelcol-rum/otelcol-rum/processor/sessionprocessor/internal/store"
)

// Defaults: the session rules every major RUM product uses (see docs/design.md, Sessions),
// and bounds that keep memory and storage work modest.
const (
	defaultInactivityTimeout  = 15 * time.Minute
	defaultMaxDuration        = 4 * time.Hour
	defaultMaxSessions        = 100_000
	defaultCheckInterval      = time.Second
	defaultCheckpointInterval = time.Second
	defaultSnapshotInterval   = 5 * time.Minute
	defaultSamplingPercentage = 100
	defaultPathLength         = 10
	defaultViewReorderWindow  = 10 * time.Second
	defaultInferSoftNav       = true
	defaultJoinWait           = 0
	defaultMaxHeldVitals      = 10_000
)

// What to do with data that carries no session id.
const (
	// UnknownPass forwards it untouched.
	UnknownPass = "pass"
	// UnknownAssign gives it a server-side session from a stable client key.
	UnknownAssign = "assign"
)

// Config is the configuration of the session processor.
type Config struct {
	// InactivityTimeout ends a session after this long without data. Default: 15m.
	InactivityTimeout time.Duration `mapstructure:"inactivity_timeout"`
	// MaxDuration ends a session this long after it started; it continues as a new session
	// whose session.previous_id names the old one. Default: 4h.
	MaxDuration time.Duration `mapstructure:"max_duration"`
	// MaxSessions bounds the open sessions; past it the least recently active one ends
	// with reason evicted. Default: 100000.
	MaxSessions int `mapstructure:"max_sessions"`
	// CheckInterval is how often timeouts are checked. Default: 1s.
	CheckInterval time.Duration `mapstructure:"check_interval"`
	// UnknownSessions says what to do with data that has no session.id: pass or assign.
	// Default: pass.
	UnknownSessions string `mapstructure:"unknown_sessions"`
	// SamplingPercentage of sessions kept, decided by a hash of the session id so that a
	// session is kept or dropped whole on every signal. Default: 100.
	SamplingPercentage float64 `mapstructure:"sampling_percentage"`
	// Storage names a storage extension (file_storage) that makes sessions survive a
	// restart. Without it, shutdown ends every open session. Default: none.
	Storage *component.ID `mapstructure:"storage"`
	// Handover names an extension that keeps the sessions of a session tier on Kafka
	// (kafka_handover): the sessions of records that came from a Kafka data partition
	// move with the partition to the collector that consumes it next, instead of ending.
	// It cannot be set together with Storage. Default: none.
	Handover *component.ID `mapstructure:"handover"`
	// CheckpointInterval is how often the sessions that changed are written to Storage or
	// to the Handover store (and once at shutdown): a crash loses the changes of at most
	// about this long. Default: 1s.
	CheckpointInterval time.Duration `mapstructure:"checkpoint_interval"`
	// SnapshotInterval is the longest time between two full snapshots of the sessions in
	// Storage while sessions change; a snapshot is also taken as soon as the changes
	// written since the last one outnumber both the open sessions and 5,000. It bounds
	// the changes read back at start. Default: 5m.
	SnapshotInterval time.Duration `mapstructure:"snapshot_interval"`
	// PathLength is how many of a session's first views make its session.path; they are
	// kept for the whole session, besides the latest 16 views. At most 50; 0 keeps no
	// path. Default: 10.
	PathLength int `mapstructure:"path_length"`
	// InferSoftNavigations takes a change of the URL path of url.full between records of
	// a session for a soft navigation, as long as the session has sent no
	// soft-navigation event of its own. Default: true.
	InferSoftNavigations bool `mapstructure:"infer_soft_navigations"`
	// ViewReorderWindow is how late, in the records' own time, a navigation may arrive and
	// still take its place among a session's views: a view's rum.view event waits until
	// the session's records are this far past the start of the next view. Default: 10s.
	ViewReorderWindow time.Duration `mapstructure:"view_reorder_window"`
	// JoinWait is how long a web vital whose page view has not been seen yet is held
	// back for it, then forwarded unjoined. 0 forwards it unjoined at once: a single
	// collector receives a session's page view before its vitals. Default: 0s.
	JoinWait time.Duration `mapstructure:"join_wait"`
	// MaxHeldVitals bounds the vitals held back by JoinWait (and those released but not
	// forwarded yet); past it the oldest held vital is forwarded unjoined. Default: 10000.
	MaxHeldVitals int `mapstructure:"max_held_vitals"`
	// Frustration holds the thresholds of rage and error clicks.
	Frustration FrustrationConfig `mapstructure:"frustration"`

	// prevent unkeyed literal initialization
	_ struct{}
}

// Validate checks the configuration.
func (cfg *Config) Validate() error {
	var errs []error
	if cfg.InactivityTimeout <= 0 {
		errs = append(errs, errors.New("invalid inactivity_timeout: must be positive"))
	}
	if cfg.MaxDuration <= 0 {
		errs = append(errs, errors.New("invalid max_duration: must be positive"))
	} else if cfg.MaxDuration < cfg.InactivityTimeout {
		errs = append(errs, errors.New("invalid max_duration: must not be shorter than inactivity_timeout"))
	}
	if cfg.MaxSessions <= 0 {
		errs = append(errs, errors.New("invalid max_sessions: must be positive"))
	}
	if cfg.CheckInterval <= 0 {
		errs = append(errs, errors.New("invalid check_interval: must be positive"))
	}
	if cfg.UnknownSessions != UnknownPass && cfg.UnknownSessions != UnknownAssign {
		errs = append(errs, fmt.Errorf("invalid unknown_sessions: %q is neither %q nor %q", cfg.UnknownSessions, UnknownPass, UnknownAssign))
	}
	if cfg.SamplingPercentage < 0 || cfg.SamplingPercentage > 100 {
		errs = append(errs, errors.New("invalid sampling_percentage: must be between 0 and 100"))
	}
	if cfg.Storage != nil && cfg.CheckpointInterval <= 0 {
		errs = append(errs, errors.New("invalid checkpoint_interval: must be positive when storage is set"))
	}
	if cfg.Handover != nil && cfg.Storage != nil {
		errs = append(errs, errors.New("invalid handover: must not be set together with storage (sessions live either in the hand-over store or in storage)"))
	}
	if cfg.Handover != nil && cfg.CheckpointInterval <= 0 {
		errs = append(errs, errors.New("invalid checkpoint_interval: must be positive when handover is set"))
	}
	if cfg.Storage != nil && cfg.SnapshotInterval < cfg.CheckpointInterval {
		errs = append(errs, errors.New("invalid snapshot_interval: must not be shorter than checkpoint_interval when storage is set"))
	}
	if cfg.PathLength < 0 || cfg.PathLength > store.MaxPathLength {
		errs = append(errs, fmt.Errorf("invalid path_length: must be between 0 and %d", store.MaxPathLength))
	}
	if cfg.ViewReorderWindow < 0 {
		errs = append(errs, errors.New("invalid view_reorder_window: must not be negative"))
	}
	if cfg.JoinWait < 0 {
		errs = append(errs, errors.New("invalid join_wait: must not be negative"))
	}
	if cfg.MaxHeldVitals <= 0 {
		errs = append(errs, errors.New("invalid max_held_vitals: must be positive"))
	}
	if err := cfg.Frustration.validate(); err != nil {
		errs = append(errs, err)
	}
	return errors.Join(errs...)
}
