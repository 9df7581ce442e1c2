// Copyright The otelcol-rum Authors
// SPDX-License-Identifier: Apache-2.0

package rumreceiver

import (
	"encoding/json"
	"math"
	"mime"
	"net/http"
	"net/http/httptest"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestWriteAcceptedAsEncodingJSON: the answer written without encoding/json is the one it
// would write.
func TestWriteAcceptedAsEncodingJSON(t *testing.T) {
	for _, tt := range []struct {
		accepted int
		rejected []string
	}{
		{0, nil}, {1, nil}, {12345, nil}, {math.MaxInt, nil}, {math.MinInt, nil},
		{2, []string{"metrics[1]: unknown web vital name \"X\""}},
	} {
		rec := httptest.NewRecorder()
		writeAccepted(rec, tt.accepted, tt.rejected)
		want, err := json.Marshal(acceptedResponse(tt.accepted, tt.rejected))
		require.NoError(t, err)
		assert.Equal(t, http.StatusAccepted, rec.Code)
		assert.Equal(t, string(want), rec.Body.String())
		assert.Equal(t, []string{contentTypeJSON}, rec.Header().Values("Content-Type"))
	}
}

// TestCommonContentTypes: the media types looked up are those mime.ParseMediaType reads.
func TestCommonContentTypes(t *testing.T) {
	for header, want := range commonContentTypes {
		if header == "" {
			assert.Empty(t, want)
			continue
		}
		mt, _, err := mime.ParseMediaType(header)
		require.NoError(t, err)
		assert.Equal(t, mt, want, header)
	}
}
