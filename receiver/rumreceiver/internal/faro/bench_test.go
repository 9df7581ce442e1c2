// Copyright The otelcol-rum Authors
// SPDX-License-Identifier: Apache-2.0

package faro

import (
	"os"
	"testing"

	jsoniter "github.com/json-iterator/go"
	"github.com/stretchr/testify/require"
)

// BenchmarkDecode compares the fast path (what Decode takes for a valid body) with the exact
// encoding/json path on the captures the receiver benchmarks use, so that a change of the
// fast decoder is measured on its own, without normalizing or HTTP. jsoniter-compatible is
// a one-decoder alternative that docs/benchmarks.md weighs against the fast path: jsoniter's
// reflection decoder configured like encoding/json (not encoding/json itself: its error
// messages differ, and agreeing on every body would need checking as the fast path's does).
func BenchmarkDecode(b *testing.B) {
	for _, name := range []string{"faro-01-collect.json", "faro-02-collect.json", "faro-04-collect.json", "faro-06-collect.json"} {
		body, err := os.ReadFile("../../testdata/sdk/" + name)
		require.NoError(b, err)
		b.Run(name+"/fast", func(b *testing.B) {
			b.SetBytes(int64(len(body)))
			b.ReportAllocs()
			for b.Loop() {
				if _, ok := decodeFast(body); !ok {
					b.Fatal("fast path declined")
				}
			}
		})
		b.Run(name+"/encoding-json", func(b *testing.B) {
			b.SetBytes(int64(len(body)))
			b.ReportAllocs()
			for b.Loop() {
				if _, err := decodeTyped(body); err != nil {
					b.Fatal(err)
				}
			}
		})
		b.Run(name+"/jsoniter-compatible", func(b *testing.B) {
			api := jsoniter.ConfigCompatibleWithStandardLibrary
			b.SetBytes(int64(len(body)))
			b.ReportAllocs()
			for b.Loop() {
				var t typed
				if err := api.Unmarshal(body, &t); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}
