// Copyright The otelcol-rum Authors
// SPDX-License-Identifier: Apache-2.0

package main

import (
	"bytes"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func convertFixture(t *testing.T) map[string]schema {
	t.Helper()
	definitions, err := readDefinitions(filepath.Join("testdata", "swagger.json"))
	require.NoError(t, err)
	files, err := convert(definitions)
	require.NoError(t, err)
	out := make(map[string]schema, len(files))
	for name, body := range files {
		var s schema
		require.NoError(t, json.Unmarshal(body, &s), name)
		out[name] = s
	}
	return out
}

func TestFileNamesAreKubeconformsLookup(t *testing.T) {
	files := convertFixture(t)
	// Only definitions that name a resource kind become files; the core group has no
	// group label in the name.
	assert.ElementsMatch(t, []string{"widget-apps-v1.json", "gadget-v1.json"}, sortedKeys(files))

	for _, tc := range []struct {
		gvk  groupVersionKind
		want string
	}{
		{groupVersionKind{Group: "autoscaling", Version: "v2", Kind: "HorizontalPodAutoscaler"}, "horizontalpodautoscaler-autoscaling-v2.json"},
		{groupVersionKind{Group: "rbac.authorization.k8s.io", Version: "v1", Kind: "Role"}, "role-rbac-v1.json"},
		{groupVersionKind{Version: "v1", Kind: "ConfigMap"}, "configmap-v1.json"},
	} {
		assert.Equal(t, tc.want, tc.gvk.fileName())
	}
}

func TestSchemasAreStandalone(t *testing.T) {
	widget := convertFixture(t)["widget-apps-v1.json"]
	defs, ok := widget["definitions"].(map[string]any)
	require.True(t, ok, "the widget's schema carries its definitions")
	// Everything it reaches, through properties, items and a self-reference, and
	// nothing it does not.
	assert.ElementsMatch(t, []string{
		"io.k8s.api.apps.v1.WidgetSpec",
		"io.k8s.api.apps.v1.Part",
		"io.k8s.apimachinery.pkg.util.intstr.IntOrString",
		"io.k8s.apimachinery.pkg.api.resource.Quantity",
		"io.k8s.apimachinery.pkg.runtime.RawExtension",
	}, sortedKeys(defs))
	for _, ref := range references(widget) {
		assert.Contains(t, defs, ref, "every reference resolves inside the file")
	}

	gadget := convertFixture(t)["gadget-v1.json"]
	assert.NotContains(t, gadget, "definitions", "a schema without references needs none")
}

func TestSchemasAreStrict(t *testing.T) {
	widget := convertFixture(t)["widget-apps-v1.json"]
	defs := widget["definitions"].(map[string]any)

	assert.Equal(t, false, widget["additionalProperties"], "the resource refuses unknown fields")
	spec := defs["io.k8s.api.apps.v1.WidgetSpec"].(map[string]any)
	assert.Equal(t, false, spec["additionalProperties"], "nested objects refuse unknown fields")
	assert.Equal(t, []any{"spec"}, widget["required"], "required fields are kept")

	// A map keeps its value schema, and an object without listed properties stays open.
	labels := spec["properties"].(map[string]any)["labels"].(map[string]any)
	assert.Equal(t, map[string]any{"type": "string"}, labels["additionalProperties"])
	raw := defs["io.k8s.apimachinery.pkg.runtime.RawExtension"].(map[string]any)
	assert.NotContains(t, raw, "additionalProperties")

	assert.Equal(t, []any{"integer", "string"}, defs["io.k8s.apimachinery.pkg.util.intstr.IntOrString"].(map[string]any)["type"])
	assert.Equal(t, []any{"string", "number"}, defs["io.k8s.apimachinery.pkg.api.resource.Quantity"].(map[string]any)["type"])

	// Descriptions go, but a field that happens to be called "description" stays.
	part := defs["io.k8s.api.apps.v1.Part"].(map[string]any)
	assert.Contains(t, part["properties"], "description")
	body, err := json.Marshal(widget)
	require.NoError(t, err)
	assert.NotContains(t, string(body), "a resource of a named group")
	assert.NotContains(t, string(body), "a field named description")
}

func TestConvertRefusesBrokenDocuments(t *testing.T) {
	base := func() map[string]schema {
		definitions, err := readDefinitions(filepath.Join("testdata", "swagger.json"))
		require.NoError(t, err)
		return definitions
	}

	missing := base()
	delete(missing, "io.k8s.api.apps.v1.Part")
	_, err := convert(missing)
	require.ErrorContains(t, err, "refers to io.k8s.api.apps.v1.Part, which the document lacks")

	clash := base()
	clash["io.k8s.api.apps.v1beta9.Widget"] = schema{
		"type":                            "object",
		"properties":                      map[string]any{"other": map[string]any{"type": "string"}},
		"x-kubernetes-group-version-kind": []any{map[string]any{"group": "apps", "kind": "Widget", "version": "v1"}},
	}
	_, err = convert(clash)
	require.ErrorContains(t, err, "widget-apps-v1.json: both")

	noKinds := map[string]schema{"a": {"type": "string"}}
	_, err = convert(noKinds)
	require.ErrorContains(t, err, "no definition names a resource kind")
}

func TestRunWritesOneFilePerKind(t *testing.T) {
	out := filepath.Join(t.TempDir(), "v1.0.0-standalone-strict")
	var log bytes.Buffer
	require.NoError(t, run([]string{"-spec", filepath.Join("testdata", "swagger.json"), "-out", out}, &log))
	entries, err := os.ReadDir(out)
	require.NoError(t, err)
	names := make([]string, 0, len(entries))
	for _, e := range entries {
		names = append(names, e.Name())
	}
	assert.ElementsMatch(t, []string{"gadget-v1.json", "widget-apps-v1.json"}, names)
	assert.Contains(t, log.String(), "2 schemas written")

	require.ErrorContains(t, run([]string{"-out", out}, &log), "both -spec and -out are required")

	notV2 := filepath.Join(t.TempDir(), "v3.json")
	require.NoError(t, os.WriteFile(notV2, []byte(`{"openapi":"3.0.0","components":{}}`), 0o600))
	err = run([]string{"-spec", notV2, "-out", out}, &log)
	require.Error(t, err)
	assert.True(t, strings.Contains(err.Error(), "not an OpenAPI v2 document"), err.Error())
}
