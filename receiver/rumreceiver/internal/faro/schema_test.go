// Copyright The otelcol-rum Authors
// SPDX-License-Identifier: Apache-2.0

package faro

import (
	"encoding/json"
	"fmt"
	"reflect"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"
)

// TestFastPathReadsEveryField walks the wire types by reflection, so that a field added
// to types.go is in the payload it builds, sets every field, and checks that the fast path
// takes the payload, decodes it as encoding/json does, and leaves no field empty. A field
// the fast decoder does not know fails here, not only under the fuzzer.
func TestFastPathReadsEveryField(t *testing.T) {
	f := &filler{t: t}
	body, err := json.Marshal(f.value(reflect.TypeFor[typed]()))
	require.NoError(t, err)

	fast, ok := decodeFast(body)
	require.True(t, ok, "fast path declined %s", body)
	exact, err := decodeTyped(body)
	require.NoError(t, err)
	for _, path := range emptyFields(reflect.ValueOf(exact), "typed") {
		t.Errorf("%s: the payload does not set it, encoding/json left it empty: %s", path, body)
	}
	for _, path := range emptyFields(reflect.ValueOf(fast), "typed") {
		t.Errorf("%s: the fast path left it empty (is fast_gen.go generated from the current types.go?)", path)
	}
	requireSameTyped(t, exact, fast)
}

// samples are JSON values for the types that decode themselves: what their UnmarshalJSON
// reads, which reflection cannot build.
var samples = map[reflect.Type]string{
	reflect.TypeFor[Attrs]():  `{"b":"x","a":7,"o":{"k":[1]}}`,
	reflect.TypeFor[Brands](): `[{"brand":"Chromium","version":"156"},{"brand":"Edge"}]`,
	reflect.TypeFor[Traces](): `{"resourceSpans":[{"scopeSpans":[{"spans":[{"name":"s"}]}]}]}`,
}

var unmarshaler = reflect.TypeFor[json.Unmarshaler]()

// filler builds a JSON value of a type with every field set, each to a value of its own.
type filler struct {
	t testing.TB
	n int
}

func (f *filler) value(typ reflect.Type) any {
	if reflect.PointerTo(typ).Implements(unmarshaler) {
		s, ok := samples[typ]
		if !ok {
			f.t.Fatalf("%v decodes itself: add a JSON sample for it to samples", typ)
		}
		return json.RawMessage(s)
	}
	f.n++
	switch typ.Kind() {
	case reflect.Struct:
		obj := map[string]any{}
		f.fields(typ, obj)
		return obj
	case reflect.Pointer:
		return f.value(typ.Elem())
	case reflect.Slice:
		return []any{f.value(typ.Elem()), f.value(typ.Elem())}
	case reflect.Map:
		return map[string]any{fmt.Sprint("k", f.n): f.value(typ.Elem())}
	case reflect.String:
		return fmt.Sprint("s", f.n)
	case reflect.Int64:
		return f.n
	case reflect.Float64:
		return float64(f.n) + 0.5
	case reflect.Bool:
		return true
	}
	f.t.Fatalf("no JSON value for %v", typ)
	return nil
}

// fields sets the keys of a struct's fields in obj, as encoding/json names them.
func (f *filler) fields(typ reflect.Type, obj map[string]any) {
	for i := range typ.NumField() {
		sf := typ.Field(i)
		key, skip := jsonKey(sf)
		switch {
		case skip:
		case sf.Anonymous && key == "":
			f.fields(sf.Type, obj)
		default:
			obj[key] = f.value(sf.Type)
		}
	}
}

// jsonKey is the key of a struct field and whether encoding/json skips it.
func jsonKey(sf reflect.StructField) (key string, skip bool) {
	tag := sf.Tag.Get("json")
	if tag == "-" || (!sf.IsExported() && !sf.Anonymous) {
		return "", true
	}
	key, _, _ = strings.Cut(tag, ",")
	if key == "" && !sf.Anonymous {
		key = sf.Name
	}
	return key, false
}

// emptyFields lists the fields under v, by path, that hold their zero value.
func emptyFields(v reflect.Value, path string) []string {
	if v.IsZero() {
		return []string{path}
	}
	switch v.Kind() {
	case reflect.Pointer:
		return emptyFields(v.Elem(), path)
	case reflect.Slice, reflect.Struct:
		if _, custom := samples[v.Type()]; custom {
			return nil
		}
	}
	switch v.Kind() {
	case reflect.Slice:
		var out []string
		for i := range v.Len() {
			out = append(out, emptyFields(v.Index(i), fmt.Sprintf("%s[%d]", path, i))...)
		}
		return out
	case reflect.Struct:
		var out []string
		for i := range v.NumField() {
			sf := v.Type().Field(i)
			if _, skip := jsonKey(sf); !skip {
				out = append(out, emptyFields(v.Field(i), path+"."+sf.Name)...)
			}
		}
		return out
	}
	return nil
}
