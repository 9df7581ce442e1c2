// Copyright The otelcol-rum Authors
// SPDX-License-Identifier: Apache-2.0

package harness

import (
	"testing"

	"github.com/stretchr/testify/assert"
)

// TestFreePortNeverHandsOutAPortTwice: the kernel picks a free port for each listen on
// :0, and a port just closed is free again, so two calls can return the same one; a test
// that gives both to one collector sees it fail to start (address already in use).
func TestFreePortNeverHandsOutAPortTwice(t *testing.T) {
	seen := map[int]int{}
	for i := range 500 {
		port := FreePort(t)
		if first, ok := seen[port]; ok {
			assert.Failf(t, "port handed out twice", "port %d at calls %d and %d", port, first, i)
		}
		seen[port] = i
	}
}
