// Copyright The otelcol-rum Authors
// SPDX-License-Identifier: Apache-2.0

package normalize // import "github.com/otelcol-rum/otelcol-rum/receiver/rumreceiver/internal/normalize"

import "strings"

// effectiveTypes are the values the Network Information API defines for
// navigator.connection.effectiveType. Only these are kept: the value becomes a metric
// dimension, and a page must not be able to widen it with anything it likes. The map
// hands back its own copy, so the attribute never pins the request body in memory.
var effectiveTypes = map[string]string{
	"slow-2g": "slow-2g",
	"2g":      "2g",
	"3g":      "3g",
	"4g":      "4g",
}

// effectiveType is the page's connection quality as rum.network.effective_type records
// it, or "" for no value or one the API does not define.
func effectiveType(s string) string {
	if len(s) > len("slow-2g") {
		return ""
	}
	return effectiveTypes[strings.ToLower(s)]
}
