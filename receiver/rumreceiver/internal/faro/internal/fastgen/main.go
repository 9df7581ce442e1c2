// Copyright The otelcol-rum Authors
// SPDX-License-Identifier: Apache-2.0

// Command fastgen writes the readers of the Faro fast decoder (fast_gen.go) from the wire
// types (types.go), so that the fast decoder and encoding/json read one schema: each reader
// knows exactly the keys that the json tags of its struct name, and reads each key into its
// field with the reader of the field's type.
//
// go generate runs it in receiver/rumreceiver/internal/faro; the test of this package
// fails while fast_gen.go differs from what it writes for the current types.go.
//
// It is strict on purpose: a field whose type has no reader, a json tag option that changes
// decoding (",string"), keys that collide through embedding, or anything else whose
// encoding/json rules the fast decoder does not copy is an error, not a guess.
package main // import "github.com/otelcol-rum/otelcol-rum/receiver/rumreceiver/internal/faro/internal/fastgen"

import (
	"log"
	"os"
)

// The files, in the directory go generate runs the command in (the faro package's).
const (
	typesFile = "types.go"
	outFile   = "fast_gen.go"
)

func main() {
	src, err := os.ReadFile(typesFile)
	if err != nil {
		log.Fatal(err)
	}
	code, err := generate(typesFile, src)
	if err != nil {
		log.Fatalf("%s: %v", typesFile, err)
	}
	// gosec's taint analysis sees text read from a file written to a file; both paths are
	// constants and the text is the generated code, so nothing reaches a path.
	if err := os.WriteFile(outFile, code, 0o600); err != nil { //nolint:gosec // G703, see above
		log.Fatal(err)
	}
}
