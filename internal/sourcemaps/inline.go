// Copyright The otelcol-rum Authors
// SPDX-License-Identifier: Apache-2.0

package sourcemaps // import "github.com/otelcol-rum/otelcol-rum/internal/sourcemaps"

import (
	"bytes"
	"encoding/base64"
	"errors"
	"strings"
)

// The comment that links a script to its map, and its older spelling.
const mappingURLMarker = "sourceMappingURL="

var errNotJSONDataURL = errors.New("a data: URL that is not base64 application/json")

// sourceMappingURL returns the URL of the last sourceMappingURL comment of a script
// ("//# sourceMappingURL=<url>", or "//@" as older tools wrote it), as browsers take the
// last one.
func sourceMappingURL(script []byte) (string, bool) {
	for end := len(script); end > 0; {
		i := bytes.LastIndex(script[:end], []byte(mappingURLMarker))
		if i < 0 {
			return "", false
		}
		end = i
		j := i
		for j > 0 && (script[j-1] == ' ' || script[j-1] == '\t') {
			j--
		}
		if j < 3 || script[j-3] != '/' || script[j-2] != '/' || script[j-1] != '#' && script[j-1] != '@' {
			continue
		}
		ref := script[i+len(mappingURLMarker):]
		if k := bytes.IndexAny(ref, " \t\r\n"); k >= 0 {
			ref = ref[:k]
		}
		if len(ref) > 0 {
			return string(ref), true
		}
	}
	return "", false
}

// isDataURL tells an inline map from a URL to fetch.
func isDataURL(ref string) bool {
	return len(ref) >= 5 && strings.EqualFold(ref[:5], "data:")
}

// decodeInlineMap decodes data:application/json[;charset=...];base64,<map>, the only
// data: URL accepted: any other is refused, as is anything past maxSize.
func decodeInlineMap(ref string, maxSize int64) ([]byte, Reason, error) {
	meta, payload, ok := strings.Cut(ref[len("data:"):], ",")
	params := strings.Split(meta, ";")
	if !ok || !strings.EqualFold(params[0], "application/json") || !strings.EqualFold(params[len(params)-1], "base64") {
		return nil, ReasonRefused, errNotJSONDataURL
	}
	if int64(base64.StdEncoding.DecodedLen(len(payload))) > maxSize+2 {
		return nil, ReasonTooLarge, errTooLarge
	}
	b, err := base64.StdEncoding.DecodeString(payload)
	if err != nil {
		return nil, ReasonInvalid, err
	}
	if int64(len(b)) > maxSize {
		return nil, ReasonTooLarge, errTooLarge
	}
	return b, "", nil
}
