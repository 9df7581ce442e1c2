// Copyright The otelcol-rum Authors
// SPDX-License-Identifier: Apache-2.0

package jserrorsprocessor // import "github.com/otelcol-rum/otelcol-rum/processor/jserrorsprocessor"

import (
	"go.opentelemetry.io/collector/processor"

	"github.com/otelcol-rum/otelcol-rum/internal/errorgroup"
	"github.com/otelcol-rum/otelcol-rum/internal/sourcemaps"
)

// newParts builds what reads an exception in the collector: the source map store of the
// sourcemaps block, reporting to obs, and the grouper of library_pattern and
// group_frames.
func newParts(cfg *Config, set processor.Settings, obs sourcemaps.Observer) (parts, error) {
	g, err := errorgroup.New(cfg.LibraryPattern, cfg.GroupFrames)
	if err != nil {
		return parts{}, err
	}
	// nil: the store's own client, which keeps redirects on the request's origin.
	store, err := sourcemaps.NewStore(cfg.Sourcemaps, obs, set.Logger, nil)
	if err != nil {
		return parts{}, err
	}
	return parts{symbolicator: store, grouper: g, close: store.Close}, nil
}
