// Copyright The otelcol-rum Authors
// SPDX-License-Identifier: Apache-2.0

package aggregate

// remembered is the number of remembered counted ids.
func (t *idTable) remembered() int {
	n := 0
	for _, m := range []map[uint64]pendingRef{t.cur, t.prev} {
		for _, r := range m {
			if !t.pending(r) {
				n++
			}
		}
	}
	return n
}
