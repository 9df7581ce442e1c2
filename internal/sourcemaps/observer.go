// Copyright The otelcol-rum Authors
// SPDX-License-Identifier: Apache-2.0

package sourcemaps // import "github.com/otelcol-rum/otelcol-rum/internal/sourcemaps"

// Observer receives the Store's self-telemetry; the component that owns the Store turns it
// into its metrics. Methods are called from many goroutines at once and never with a lock
// of the Store held, so an implementation may do anything but block for long.
type Observer interface {
	// MapLoaded counts a map parsed and cached.
	MapLoaded(source Source)
	// LoadFailed counts a lookup that found no usable map, by reason. Failures that a
	// load found are remembered for negative_ttl and counted once per load; refusals
	// decided without a request are counted on every lookup.
	LoadFailed(reason Reason)
	// CacheLookup counts a lookup by what the caches held.
	CacheLookup(outcome Outcome)
	// CacheChanged reports a change of the cache of parsed maps: its estimated bytes and
	// its entries, as deltas (suited to an up-down counter: the sum over time is the size).
	CacheChanged(deltaBytes, deltaEntries int64)
	// FramesSymbolicated counts the frames Symbolicate looked up: resolved to original
	// source, and not (no map, no mapping, or still loading).
	FramesSymbolicated(resolved, unresolved int)
}

// NopObserver discards the telemetry.
type NopObserver struct{}

var _ Observer = NopObserver{}

// MapLoaded does nothing.
func (NopObserver) MapLoaded(Source) {}

// LoadFailed does nothing.
func (NopObserver) LoadFailed(Reason) {}

// CacheLookup does nothing.
func (NopObserver) CacheLookup(Outcome) {}

// CacheChanged does nothing.
func (NopObserver) CacheChanged(int64, int64) {}

// FramesSymbolicated does nothing.
func (NopObserver) FramesSymbolicated(int, int) {}
