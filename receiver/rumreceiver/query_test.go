// Copyright The otelcol-rum Authors
// SPDX-License-Identifier: Apache-2.0

package rumreceiver

import (
	"net/url"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
)

func TestQueryValues(t *testing.T) {
	keys := vitalsQueryKeys[:]
	for _, raw := range []string{
		"",
		"session_id=s1",
		"session_id=s1&page_url=https%3A%2F%2Fshop.example%2Fcart%3Fa%3D1&app=shop&environment=prod&effective_type=4g",
		"session_id=&session_id=later",                // the first value wins, even empty
		"session_id=a+b&app=%FF",                      // + is a space; bytes need not be UTF-8
		"session_id=%zz&session_id=ok",                // a pair that cannot be unescaped is skipped
		"session_id=a;b&app=x",                        // so is one with a semicolon
		"&&session_id&app=x&",                         // empty pairs, a key without =
		"sess%69on_id=escaped-key",                    // keys are unescaped too
		"other=1&session_id=s&session_id=t&page_url=", // unknown keys are ignored
		strings.Repeat("x=1&", 200) + "session_id=long",
	} {
		want, _ := url.ParseQuery(raw)
		got := make([]string, len(keys))
		queryValues(raw, keys, got)
		for i, k := range keys {
			assert.Equal(t, want.Get(k), got[i], "%s in %q", k, raw)
		}
	}
}

// FuzzQueryValues holds queryValues to url.ParseQuery and Get.
func FuzzQueryValues(f *testing.F) {
	f.Add("session_id=s1&page_url=%2Fcart&app=shop")
	f.Add("session_id=&session_id=x;y&app=%zz&app=ok")
	f.Fuzz(func(t *testing.T, raw string) {
		keys := vitalsQueryKeys[:]
		want, _ := url.ParseQuery(raw)
		got := make([]string, len(keys))
		queryValues(raw, keys, got)
		for i, k := range keys {
			if want.Get(k) != got[i] {
				t.Fatalf("%s in %q: url.ParseQuery %q, queryValues %q", k, raw, want.Get(k), got[i])
			}
		}
	})
}
