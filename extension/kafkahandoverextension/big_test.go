// Copyright The otelcol-rum Authors
// SPDX-License-Identifier: Apache-2.0

package kafkahandoverextension

import (
	"testing"

	"github.com/stretchr/testify/assert"
)

// TestWriteOfManySessions: one Write larger than franz-go's record buffer (10,000) and
// than a produce batch goes through, and the next owner gets every session.
func TestWriteOfManySessions(t *testing.T) {
	c := newTestCluster(t)
	a := startInstance(t, testConfig(c))
	a.acquire(t, 0)
	sessions := benchCheckpoints(25000)
	a.write(t, 0, 1, sessions...)
	a.release(t, 0, 1)
	claim := startInstance(t, testConfig(c)).acquire(t, 0)
	assert.Equal(t, sessions, claim.Sessions)
}
