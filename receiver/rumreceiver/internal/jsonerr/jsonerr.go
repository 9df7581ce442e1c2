// Package jsonerr turns encoding/json errors into messages a front-end developer can act
// on: where the JSON broke, or which field had the wrong type.
package jsonerr // import "github.com/otelcol-rum/otelcol-rum/receiver/rumreceiver/internal/jsonerr"

import (
	"encoding/json"
	"errors"
	"fmt"
)

// Describe rewrites syntax and type errors; other errors pass unchanged.
func Describe(err error) error {
	var syn *json.SyntaxError
	var typ *json.UnmarshalTypeError
	switch {
	case errors.As(err, &syn):
		return fmt.Errorf("malformed JSON at byte %d: %v", syn.Offset, syn)
	case errors.As(err, &typ):
		field := typ.Field
		if field == "" {
			field = "value"
		}
		return fmt.Errorf("%s: expected %s, got JSON %s", field, typ.Type, typ.Value)
	}
	return err
}
