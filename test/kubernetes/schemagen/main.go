// Copyright The otelcol-rum Authors
// SPDX-License-Identifier: Apache-2.0

// Command schemagen writes the JSON schemas that kubeconform validates the Kubernetes
// manifests of deploy/ with, from the OpenAPI v2 document of the Kubernetes API
// (api/openapi-spec/swagger.json of the k8s.io/kubernetes module). kubeconform fetches
// its schemas from GitHub by default, which the project's machines cannot reach; the
// module proxy can serve the document, so scripts/install-k8s-schemas.sh downloads the
// module and runs this to fill a schema directory in the cache.
//
// Usage: schemagen -spec swagger.json -out DIR
//
// DIR receives one file per resource kind, named as kubeconform looks them up
// (deployment-apps-v1.json), each standalone (the definitions it needs are inside it)
// and strict (objects refuse fields their schema does not list): point kubeconform at
// the parent of DIR with -strict, DIR being named v<version>-standalone-strict.
package main

import (
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"
)

func main() {
	if err := run(os.Args[1:], os.Stderr); err != nil {
		fmt.Fprintln(os.Stderr, "schemagen:", err)
		os.Exit(1)
	}
}

func run(args []string, stderr io.Writer) error {
	flags := flag.NewFlagSet("schemagen", flag.ContinueOnError)
	flags.SetOutput(stderr)
	spec := flags.String("spec", "", "path of the Kubernetes OpenAPI v2 document (swagger.json)")
	out := flags.String("out", "", "directory to write the schemas to (created if missing)")
	if err := flags.Parse(args); err != nil {
		return err
	}
	if *spec == "" || *out == "" {
		return errors.New("both -spec and -out are required")
	}

	definitions, err := readDefinitions(*spec)
	if err != nil {
		return err
	}
	files, err := convert(definitions)
	if err != nil {
		return err
	}
	if err := os.MkdirAll(*out, 0o755); err != nil {
		return err
	}
	for _, name := range sortedKeys(files) {
		if err := os.WriteFile(filepath.Join(*out, name), files[name], 0o600); err != nil {
			return err
		}
	}
	fmt.Fprintf(stderr, "schemagen: %d schemas written to %s\n", len(files), *out)
	return nil
}

// readDefinitions reads the "definitions" of an OpenAPI v2 document.
func readDefinitions(path string) (map[string]schema, error) {
	raw, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	var doc struct {
		Swagger     string            `json:"swagger"`
		Definitions map[string]schema `json:"definitions"`
	}
	if err := json.Unmarshal(raw, &doc); err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	if doc.Swagger != "2.0" {
		return nil, fmt.Errorf("%s: not an OpenAPI v2 document (swagger: %q)", path, doc.Swagger)
	}
	if len(doc.Definitions) == 0 {
		return nil, fmt.Errorf("%s: no definitions", path)
	}
	return doc.Definitions, nil
}
