// Copyright The otelcol-rum Authors
// SPDX-License-Identifier: Apache-2.0

// Package jsonerr turns encoding/json errors into messages a front-end developer can act
// on: where the JSON broke, or which field had the wrong type.
package jsonerr // import "github.com/otelcol-rum/otelcol-rum/receiver/rumreceiver/internal/jsonerr"

import (
	"encoding/json"
	"errors"
	"fmt"
	"reflect"
)

// Describe rewrites syntax and type errors; other errors pass unchanged.
func Describe(err error) error {
	var syn *json.SyntaxError
	var typ *json.UnmarshalTypeError
	switch {
	case errors.As(err, &syn):
		return fmt.Errorf("malformed JSON at byte %d: %w", syn.Offset, syn)
	case errors.As(err, &typ):
		field := typ.Field
		if field == "" {
			field = "value"
		}
		return fmt.Errorf("%s: expected %s, got %s", field, jsonKind(typ.Type), typ.Value)
	}
	return err
}

// jsonKind names a Go type as the JSON it would decode from.
func jsonKind(t reflect.Type) string {
	if t == nil {
		return "a value"
	}
	switch t.Kind() {
	case reflect.Struct, reflect.Map:
		return "object"
	case reflect.Slice, reflect.Array:
		return "array"
	case reflect.String:
		return "string"
	case reflect.Bool:
		return "boolean"
	case reflect.Float32, reflect.Float64, reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64,
		reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64:
		return "number"
	case reflect.Pointer:
		return jsonKind(t.Elem())
	}
	return t.String()
}
