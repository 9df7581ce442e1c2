// Copyright The otelcol-rum Authors
// SPDX-License-Identifier: Apache-2.0

package rumreceiver // import "github.com/otelcol-rum/otelcol-rum/receiver/rumreceiver"

import (
	"net/url"
	"strings"
)

// queryValues finds the first value of each of keys in a raw query, as url.ParseQuery
// followed by Get would, without building a map of every parameter: a beacon's URL is read
// for a handful of keys on every request. values[i] is the value of keys[i], "" when absent.
// Like url.ParseQuery it skips a pair whose key holds a semicolon or whose key or value
// cannot be unescaped.
func queryValues(raw string, keys []string, values []string) {
	if strings.Count(raw, "&") >= queryScanMaxPairs {
		// url.ParseQuery has a limit on the number of pairs (GODEBUG urlmaxqueryparams)
		// beyond which it reads none: a query that long is left to it.
		q, _ := url.ParseQuery(raw)
		for i, k := range keys {
			values[i] = q.Get(k)
		}
		return
	}
	var seen uint64 // bit i: keys[i] had its first value; a beacon reads far fewer than 64 keys
	for found := 0; raw != "" && found < len(keys); {
		var pair string
		pair, raw, _ = strings.Cut(raw, "&")
		if pair == "" || strings.Contains(pair, ";") {
			continue
		}
		k, v, _ := strings.Cut(pair, "=")
		k, err := url.QueryUnescape(k)
		if err != nil {
			continue
		}
		i := indexOf(keys, k)
		if i < 0 || seen&(1<<i) != 0 {
			continue
		}
		if v, err = url.QueryUnescape(v); err != nil {
			continue
		}
		values[i] = v
		seen |= 1 << i
		found++
	}
}

// queryScanMaxPairs is far above a beacon's query and far below url.ParseQuery's limit.
const queryScanMaxPairs = 100

func indexOf(list []string, s string) int {
	for i, k := range list {
		if k == s {
			return i
		}
	}
	return -1
}
