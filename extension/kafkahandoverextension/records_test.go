// Copyright The otelcol-rum Authors
// SPDX-License-Identifier: Apache-2.0

package kafkahandoverextension

import (
	"slices"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"
	"github.com/twmb/franz-go/pkg/kgo"

	"github.com/otelcol-rum/otelcol-rum/extension/kafkahandoverextension/internal/marker"
	"github.com/otelcol-rum/otelcol-rum/internal/handover"
)

// FuzzPartitionView: whatever records a partition holds, reading it neither panics nor
// hands over a reserved key, the sessions come sorted, and a rollback names exactly the
// unconfirmed keys.
func FuzzPartitionView(f *testing.F) {
	claim, err := marker.Marker{Kind: marker.Claim, Owner: "a", Watermark: 3}.Encode()
	require.NoError(f, err)
	release, err := marker.Marker{Kind: marker.Release, Owner: "a", Watermark: 4}.Encode()
	require.NoError(f, err)
	// The input is a list of records: key and value separated by 0x1f, records by 0x1e; a
	// key "-" stands for none, a value "-" for a tombstone.
	join := func(records ...string) []byte { return []byte(strings.Join(records, "\x1e")) }
	f.Add(join("s1\x1fv1", marker.OwnershipKey+"\x1f"+string(claim), "s1\x1f-", "s2\x1fv2"))
	f.Add(join("s1\x1fv1", "-\x1fx", marker.RequestKey+"\x1fjunk", marker.OwnershipKey+"\x1f"+string(release)))
	f.Add(join(marker.ReservedPrefix+"x\x1fy", marker.OwnershipKey+"\x1f"))
	f.Fuzz(func(t *testing.T, data []byte) {
		v := newPartitionView()
		for i, raw := range strings.Split(string(data), "\x1e") {
			key, value, _ := strings.Cut(raw, "\x1f")
			r := &kgo.Record{Offset: int64(i)}
			if key != "-" {
				r.Key = []byte(key)
			}
			if value != "-" {
				r.Value = []byte(value)
			}
			v.apply(r)
		}
		sessions := v.checkpoints()
		require.True(t, slices.IsSortedFunc(sessions, func(a, b handover.Checkpoint) int { return strings.Compare(a.Key, b.Key) }))
		for _, s := range sessions {
			require.False(t, strings.HasPrefix(s.Key, marker.ReservedPrefix), "reserved key %q handed over", s.Key)
			require.NotNil(t, s.Value, "an ended session handed over")
		}
		undo := v.rollback()
		require.Len(t, undo, len(v.staged))
		for _, r := range undo {
			require.Contains(t, v.staged, string(r.Key))
			require.Equal(t, v.sessions[string(r.Key)], r.Value)
		}
	})
}
