// Copyright The otelcol-rum Authors
// SPDX-License-Identifier: Apache-2.0

//go:build faults

package fault

import "fmt"

// humanBytes formats a size in KiB or MiB for the logs.
func humanBytes(b int64) string {
	if b >= 1<<20 {
		return fmt.Sprintf("%.1f MiB", float64(b)/(1<<20))
	}
	return fmt.Sprintf("%.1f KiB", float64(b)/(1<<10))
}
