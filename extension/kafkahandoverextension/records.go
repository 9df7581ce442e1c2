// Copyright The otelcol-rum Authors
// SPDX-License-Identifier: Apache-2.0

package kafkahandoverextension // import "github.com/otelcol-rum/otelcol-rum/extension/kafkahandoverextension"

import (
	"slices"
	"strings"

	"github.com/twmb/franz-go/pkg/kgo"

	"github.com/otelcol-rum/otelcol-rum/extension/kafkahandoverextension/internal/marker"
	"github.com/otelcol-rum/otelcol-rum/internal/handover"
)

// partitionView is what Acquire learns from reading a checkpoint partition: the latest
// value of every session key and the latest claim or release. It lives as long as one
// Acquire; the sessions map is as large as the partition's open sessions.
type partitionView struct {
	sessions map[string][]byte
	// ownership is the latest claim or release, nil when there is none.
	ownership *marker.Marker
	// skipped counts records left out, by reason.
	skipped map[string]int
}

func newPartitionView() *partitionView {
	return &partitionView{sessions: map[string][]byte{}, skipped: map[string]int{}}
}

// apply takes one record of the partition in offset order and says whether it was a
// claim or a release.
func (v *partitionView) apply(r *kgo.Record) (ownershipChanged bool) {
	key := string(r.Key)
	switch {
	case r.Key == nil:
		v.skipped[reasonNoKey]++
	case key == marker.OwnershipKey:
		m, err := marker.Decode(r.Value)
		if err != nil || m.Kind == marker.Request {
			v.skipped[reasonUndecodableMarker]++
			return false
		}
		v.ownership = &m
		return true
	case key == marker.RequestKey:
		// Requests matter to the owner's tail, not to who acquires.
		if _, err := marker.Decode(r.Value); err != nil {
			v.skipped[reasonUndecodableMarker]++
		}
	case strings.HasPrefix(key, marker.ReservedPrefix):
		v.skipped[reasonUnknownReservedKey]++
	case r.Value == nil:
		delete(v.sessions, key)
	default:
		v.sessions[key] = r.Value
	}
	return false
}

// watermark is the latest claim's or release's, -1 for a partition never owned.
func (v *partitionView) watermark() int64 {
	if v.ownership == nil {
		return -1
	}
	return v.ownership.Watermark
}

// checkpoints returns the open sessions sorted by key, so that a restore is repeatable.
func (v *partitionView) checkpoints() []handover.Checkpoint {
	keys := make([]string, 0, len(v.sessions))
	for k := range v.sessions {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	out := make([]handover.Checkpoint, len(keys))
	for i, k := range keys {
		out[i] = handover.Checkpoint{Key: k, Value: v.sessions[k]}
	}
	return out
}
