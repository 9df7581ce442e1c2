// Copyright The otelcol-rum Authors
// SPDX-License-Identifier: Apache-2.0

package main

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"sort"
	"strings"
)

// refPrefix is how the OpenAPI v2 document points at one of its definitions. The
// schemas written here keep the same form: each carries the definitions it reaches
// under its own "definitions", so a reference resolves inside the file.
const refPrefix = "#/definitions/"

// quantityDefinition is resource.Quantity. The document types it as a string, but the
// API server also takes a bare number (`cpu: 2`), as kubectl users write it.
const quantityDefinition = "io.k8s.apimachinery.pkg.api.resource.Quantity"

// schema is one JSON schema object as decoded from the document.
type schema = map[string]any

// groupVersionKind is one entry of a definition's x-kubernetes-group-version-kind: the
// resources a manifest can name with apiVersion and kind.
type groupVersionKind struct {
	Group   string `json:"group"`
	Version string `json:"version"`
	Kind    string `json:"kind"`
}

// fileName is where kubeconform looks for the schema of a kind in a local schema
// directory: the kind in lower case, then the first label of the group (or the version
// alone for the core group) and the version, e.g. deployment-apps-v1.json,
// service-v1.json, horizontalpodautoscaler-autoscaling-v2.json.
func (g groupVersionKind) fileName() string {
	suffix := "-" + strings.ToLower(g.Version)
	if g.Group != "" {
		first, _, _ := strings.Cut(g.Group, ".")
		suffix = "-" + strings.ToLower(first) + suffix
	}
	return strings.ToLower(g.Kind) + suffix + ".json"
}

// convert returns one standalone strict schema per resource kind of the document's
// definitions, keyed by file name. Strict: every object schema that lists its
// properties refuses the others, so a misspelt or misplaced field fails validation
// instead of passing unnoticed.
func convert(definitions map[string]schema) (map[string][]byte, error) {
	strict := make(map[string]schema, len(definitions))
	for name, def := range definitions {
		strict[name] = strictSchema(name, def)
	}

	files := map[string][]byte{}
	owner := map[string]string{}
	for _, name := range sortedKeys(definitions) {
		gvks, err := resourceKinds(definitions[name])
		if err != nil {
			return nil, fmt.Errorf("definition %s: %w", name, err)
		}
		if len(gvks) == 0 {
			continue
		}
		doc, err := standalone(name, strict)
		if err != nil {
			return nil, err
		}
		body, err := json.Marshal(doc)
		if err != nil {
			return nil, fmt.Errorf("definition %s: %w", name, err)
		}
		for _, gvk := range gvks {
			file := gvk.fileName()
			// Two definitions mapping to one file would make the result depend on which
			// came last; identical bodies (the same definition listed twice) are fine.
			if prev, taken := files[file]; taken && !bytes.Equal(prev, body) {
				return nil, fmt.Errorf("%s: both %s and %s map to it", file, owner[file], name)
			}
			files[file] = body
			owner[file] = name
		}
	}
	if len(files) == 0 {
		return nil, errors.New("no definition names a resource kind (x-kubernetes-group-version-kind)")
	}
	return files, nil
}

// resourceKinds reads a definition's x-kubernetes-group-version-kind, if any.
func resourceKinds(def schema) ([]groupVersionKind, error) {
	raw, ok := def["x-kubernetes-group-version-kind"]
	if !ok {
		return nil, nil
	}
	encoded, err := json.Marshal(raw)
	if err != nil {
		return nil, err
	}
	var gvks []groupVersionKind
	if err := json.Unmarshal(encoded, &gvks); err != nil {
		return nil, fmt.Errorf("x-kubernetes-group-version-kind: %w", err)
	}
	for _, g := range gvks {
		if g.Kind == "" || g.Version == "" {
			return nil, fmt.Errorf("x-kubernetes-group-version-kind without kind or version: %+v", g)
		}
	}
	return gvks, nil
}

// standalone is the schema of definition root with every definition it reaches,
// directly or not, under "definitions".
func standalone(root string, strict map[string]schema) (schema, error) {
	reached := map[string]bool{}
	queue := []string{root}
	for len(queue) > 0 {
		name := queue[0]
		queue = queue[1:]
		def, ok := strict[name]
		if !ok {
			return nil, fmt.Errorf("definition %s refers to %s, which the document lacks", root, name)
		}
		for _, ref := range references(def) {
			if !reached[ref] {
				reached[ref] = true
				queue = append(queue, ref)
			}
		}
	}

	doc := copySchema(strict[root])
	if len(reached) > 0 {
		defs := make(schema, len(reached))
		for name := range reached {
			defs[name] = strict[name]
		}
		doc["definitions"] = defs
	}
	return doc, nil
}

// references lists the definitions a schema points at, nested schemas included.
func references(s any) []string {
	var refs []string
	var walk func(any)
	walk = func(v any) {
		switch t := v.(type) {
		case map[string]any:
			if ref, ok := t["$ref"].(string); ok {
				refs = append(refs, strings.TrimPrefix(ref, refPrefix))
			}
			for _, child := range t {
				walk(child)
			}
		case []any:
			for _, child := range t {
				walk(child)
			}
		}
	}
	walk(s)
	return refs
}

// strictSchema rewrites one definition for validation: descriptions dropped (kubeconform
// never shows them, and they are most of the bytes), closed objects, and the types the
// API server reads more liberally than the document says.
func strictSchema(name string, def schema) schema {
	if name == quantityDefinition {
		return schema{"type": []any{"string", "number"}}
	}
	return rewrite(def).(schema)
}

// rewrite applies the strict rules to a schema and everything nested in it. The keys of
// a "properties" map are field names, not schema keywords, so a field called
// "description" or "format" (JSONSchemaProps has both) is kept.
func rewrite(v any) any {
	s, ok := v.(map[string]any)
	if !ok {
		return v
	}
	out := make(schema, len(s)+1)
	for key, child := range s {
		switch key {
		case "description":
			continue
		case "properties":
			props, isMap := child.(map[string]any)
			if !isMap {
				out[key] = child
				continue
			}
			rewritten := make(schema, len(props))
			for field, fieldSchema := range props {
				rewritten[field] = rewrite(fieldSchema)
			}
			out[key] = rewritten
		case "items", "additionalProperties":
			out[key] = rewrite(child)
		default:
			out[key] = child
		}
	}
	// IntOrString (ports, maxUnavailable, ...): the document says string with a format
	// that JSON Schema does not know; the API takes either.
	if out["format"] == "int-or-string" {
		out["type"] = []any{"integer", "string"}
		delete(out, "format")
	}
	if _, listed := out["properties"]; listed {
		if _, set := out["additionalProperties"]; !set {
			out["additionalProperties"] = false
		}
	}
	return out
}

// copySchema copies the top level of a schema, so that adding "definitions" to a
// root leaves the shared definition untouched.
func copySchema(s schema) schema {
	out := make(schema, len(s)+1)
	for k, v := range s {
		out[k] = v
	}
	return out
}

func sortedKeys[V any](m map[string]V) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}
