// Copyright The otelcol-rum Authors
// SPDX-License-Identifier: Apache-2.0

package sessionprocessor // import "github.com/otelcol-rum/otelcol-rum/processor/sessionprocessor"

import (
	"encoding/json"
	"errors"
	"fmt"
	"strconv"
)

// Keys of the saved state in the storage client of this processor ID. See README.md
// (Restarts) for the layout and the order of writes.
const (
	// manifestKey names the snapshot that holds the state and the first write-ahead
	// segment after it.
	manifestKey = "manifest"
	// legacyCheckpointKey is where the first releases saved every session as one value.
	legacyCheckpointKey = "sessions"

	manifestVersion = 1
	// maxManifestChunks bounds what a manifest may claim, so that a damaged one cannot
	// send the restore through billions of reads: 1 << 20 chunks of 5,000 sessions is
	// far beyond any max_sessions that fits in memory.
	maxManifestChunks = 1 << 20
)

func segmentKey(seq uint64) string { return "wal/" + strconv.FormatUint(seq, 10) }

func chunkKey(gen uint64, i int) string {
	return "snap/" + strconv.FormatUint(gen, 10) + "/" + strconv.Itoa(i)
}

// manifest is the entry point of the saved state: the state is the snapshot of
// Generation (Chunks values, chunkKey(Generation, 0..Chunks-1)) followed by the
// write-ahead segments from WALFrom on, up to the first one missing.
type manifest struct {
	Version    int    `json:"version"`
	Generation uint64 `json:"generation"`
	Chunks     int    `json:"chunks"`
	// Sessions in the snapshot, to count those lost if a chunk cannot be read.
	Sessions int    `json:"sessions"`
	WALFrom  uint64 `json:"wal_from"`
	// Previous is the snapshot this one replaced: its chunks and the segments from its
	// WALFrom up to this one's are deleted after this manifest is written, and again at
	// the next start in case the collector stopped first.
	Previous *snapshotRef `json:"previous,omitempty"`
}

type snapshotRef struct {
	Generation uint64 `json:"generation"`
	Chunks     int    `json:"chunks"`
	WALFrom    uint64 `json:"wal_from"`
}

// initialManifest is the state before any snapshot: no chunks, segments from 1.
func initialManifest() manifest {
	return manifest{Version: manifestVersion, WALFrom: 1}
}

func (m *manifest) encode() ([]byte, error) { return json.Marshal(m) }

func decodeManifest(data []byte) (manifest, error) {
	var m manifest
	if err := json.Unmarshal(data, &m); err != nil {
		return manifest{}, fmt.Errorf("unreadable session manifest: %w", err)
	}
	if m.Version != manifestVersion {
		return manifest{}, fmt.Errorf("session manifest version %d is not %d", m.Version, manifestVersion)
	}
	if err := m.validate(); err != nil {
		return manifest{}, fmt.Errorf("invalid session manifest: %w", err)
	}
	return m, nil
}

func (m *manifest) validate() error {
	refs := []snapshotRef{{Generation: m.Generation, Chunks: m.Chunks, WALFrom: m.WALFrom}}
	if m.Previous != nil {
		refs = append(refs, *m.Previous)
		if m.Previous.Generation >= m.Generation || m.Previous.WALFrom > m.WALFrom {
			return errors.New("previous snapshot is not older")
		}
	}
	for _, r := range refs {
		if r.Chunks < 0 || r.Chunks > maxManifestChunks {
			return fmt.Errorf("%d chunks", r.Chunks)
		}
		if r.WALFrom == 0 {
			return errors.New("segments start at 0")
		}
	}
	if m.Sessions < 0 {
		return fmt.Errorf("%d sessions", m.Sessions)
	}
	return nil
}
