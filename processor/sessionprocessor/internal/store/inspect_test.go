// Copyright The otelcol-rum Authors
// SPDX-License-Identifier: Apache-2.0

package store

import "maps"

// What the tests read of a store, straight from its fields, so that they can check the
// snapshot and change walks against it.

// openRecords returns a copy of every open session, least recently active first.
func (st *Store) openRecords() []Record {
	out := make([]Record, 0, st.open)
	for i := st.recency.first; i != 0; i = st.sessions.at(i).links[byRecency].next {
		out = append(out, st.record(i, true))
	}
	return out
}

// tombstoneCopy returns a copy of the tombstones, by key.
func (st *Store) tombstoneCopy() map[string]Tombstone { return maps.Clone(st.tombstones) }
