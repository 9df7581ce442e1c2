// Copyright The otelcol-rum Authors
// SPDX-License-Identifier: Apache-2.0

package route

import "hash/maphash"

// What the tests read of a templater's state.

// routeCount returns how many routes service has been admitted.
func (t *Templater) routeCount(service string) int {
	sh := &t.services[maphash.String(t.seed, service)%shards]
	sh.mu.RLock()
	defer sh.mu.RUnlock()
	return len(sh.m[service])
}

// serviceCount returns how many services are tracked.
func (t *Templater) serviceCount() int { return int(t.tracked.Load()) }
