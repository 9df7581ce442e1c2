// Copyright The otelcol-rum Authors
// SPDX-License-Identifier: Apache-2.0

package main

import (
	"os"
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// faroDir is the package whose readers this command writes.
const faroDir = "../.."

// TestGeneratedReadersAreCurrent fails while fast_gen.go is not what go generate would
// write for the current types.go: a field added to the types without regenerating.
func TestGeneratedReadersAreCurrent(t *testing.T) {
	src, err := os.ReadFile(filepath.Join(faroDir, typesFile))
	require.NoError(t, err)
	want, err := generate(typesFile, src)
	require.NoError(t, err)
	got, err := os.ReadFile(filepath.Join(faroDir, outFile))
	require.NoError(t, err)
	assert.Equal(t, string(want), string(got),
		"fast_gen.go is stale: run go generate ./receiver/rumreceiver/internal/faro/")
}

func TestSchemaFollowsEncodingJSON(t *testing.T) {
	s, err := parseSchema("types.go", []byte(`package p
type outer struct {
	Name    string            `+"`json:\"name,omitempty\"`"+`
	Plain   int64
	skipped string
	Ignored string            `+"`json:\"-\"`"+`
	Dash    string            `+"`json:\"-,\"`"+`
	Inner   *inner            `+"`json:\"inner\"`"+`
	List    []inner           `+"`json:\"list\"`"+`
	Values  map[string]float64 `+"`json:\"values\"`"+`
	Custom  Attrs             `+"`json:\"custom\"`"+`
	base
}
type inner struct {
	ID string `+"`json:\"id\"`"+`
}
type base struct {
	Time string `+"`json:\"time\"`"+`
}
`))
	require.NoError(t, err)
	require.Len(t, s.objects, 2, "base is only embedded: no reader of its own")
	outer := s.objects[0]
	assert.Equal(t, "outer", outer.name)
	var keys, statements []string
	for _, f := range outer.fields {
		keys = append(keys, f.key)
		statements = append(statements, f.statement())
	}
	assert.Equal(t, []string{"name", "Plain", "-", "inner", "list", "values", "custom", "time"}, keys)
	assert.Equal(t, []string{
		"v.Name = jf.String(it)",
		"v.Plain = jf.Int(it)",
		"v.Dash = jf.String(it)",
		"v.Inner = readPtr(it, readInner)",
		"v.List = readItems(it, readInner)",
		"v.Values = readFloatMap(it)",
		"v.Custom = readAttrs(it)",
		"v.base.Time = jf.String(it)",
	}, statements)
}

// TestRefusesWhatItWouldHaveToGuess: each of these would need encoding/json rules that the
// fast decoder does not copy, or a reader that does not exist.
func TestRefusesWhatItWouldHaveToGuess(t *testing.T) {
	for name, body := range map[string]string{
		"int field":          "type s struct { N int `json:\"n\"` }",
		"slice of strings":   "type s struct { L []string `json:\"l\"` }",
		"string option":      "type s struct { N int64 `json:\"n,string\"` }",
		"invalid key":        "type s struct { N string `json:\"a\\\\b\"` }",
		"repeated key":       "type s struct { A string `json:\"k\"`; B string `json:\"k\"` }",
		"key from embedding": "type s struct { A string `json:\"k\"`; e }\ntype e struct { B string `json:\"k\"` }",
		"embedded pointer":   "type s struct { *e }\ntype e struct { B string }",
		"embedded with name": "type s struct { e `json:\"e\"` }\ntype e struct { B string }",
		"embeds itself":      "type r struct { S s `json:\"s\"` }\ntype s struct { e }\ntype e struct { s }",
		"map of strings":     "type s struct { M map[string]string `json:\"m\"` }",
	} {
		t.Run(name, func(t *testing.T) {
			_, err := generate("types.go", []byte("package p\n"+body+"\n"))
			assert.Error(t, err)
		})
	}
}

func TestRefusesMoreKeysThanObjectTracks(t *testing.T) {
	src := "package p\ntype s struct {\n"
	for i := range maxKeys + 1 {
		src += "\tF" + string(rune('A'+i/26)) + string(rune('a'+i%26)) + " string\n"
	}
	src += "}\n"
	_, err := generate("types.go", []byte(src))
	require.ErrorContains(t, err, "at most 64")
}
