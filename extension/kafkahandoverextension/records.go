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
// value of every session key that a claim or release confirmed, and the latest claim or
// release. It lives as long as one Acquire; its maps are as large as the partition's open
// sessions.
//
// Checkpoints count only once a claim or release follows them: Write produces a
// partition's checkpoints and then the claim with their watermark, and an owner that
// crashed between the two left checkpoints holding changes of records above the
// watermark of its latest claim. Taken, they would have the next owner count those
// records twice; they stay staged until a claim or release confirms them.
type partitionView struct {
	sessions map[string][]byte
	// staged are checkpoints after the latest claim or release, a nil value for an ended
	// session.
	staged map[string][]byte
	// ownership is the latest claim or release, nil when there is none.
	ownership *marker.Marker
	// skipped counts records left out, by reason.
	skipped map[string]int
}

func newPartitionView() *partitionView {
	return &partitionView{sessions: map[string][]byte{}, staged: map[string][]byte{}, skipped: map[string]int{}}
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
		v.confirm()
		return true
	case key == marker.RequestKey:
		// Requests matter to the owner's tail, not to who acquires.
		if _, err := marker.Decode(r.Value); err != nil {
			v.skipped[reasonUndecodableMarker]++
		}
	case strings.HasPrefix(key, marker.ReservedPrefix):
		v.skipped[reasonUnknownReservedKey]++
	default:
		v.staged[key] = r.Value
	}
	return false
}

// confirm makes the staged checkpoints the partition's.
func (v *partitionView) confirm() {
	for key, value := range v.staged {
		if value == nil {
			delete(v.sessions, key)
		} else {
			v.sessions[key] = value
		}
	}
	clear(v.staged)
}

// rollback returns, for every unconfirmed checkpoint, the confirmed value of its key (a
// tombstone when there is none), sorted by key. Written before a new claim, they undo the
// unconfirmed ones, which the claim would otherwise confirm for the next reader.
func (v *partitionView) rollback() []*kgo.Record {
	keys := make([]string, 0, len(v.staged))
	for k := range v.staged {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	out := make([]*kgo.Record, len(keys))
	for i, k := range keys {
		out[i] = &kgo.Record{Key: []byte(k), Value: v.sessions[k]}
	}
	return out
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
