package rumreceiver

import (
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestReadBodyTrustsContentLengthOnlyUpToTheLimit: Content-Length is what the client
// claims, not what it sends. confighttp bounds what is read (MaxBytesReader) but not the
// header, so sizing the buffer by the header alone let one request with a huge
// Content-Length and a tiny body make the collector allocate that much.
func TestReadBodyTrustsContentLengthOnlyUpToTheLimit(t *testing.T) {
	const limit = 1 << 20
	req := httptest.NewRequest(http.MethodPost, pathFaro, strings.NewReader(`{}`))
	req.ContentLength = 256 << 20
	body, err := readBody(req, limit)
	require.NoError(t, err)
	assert.Equal(t, `{}`, string(body))
	assert.LessOrEqual(t, cap(body), limit, "the buffer is sized by the limit, not by the header")
}

// TestReadBodyAtAndAroundContentLength: an exact, a short and a long Content-Length all
// read the whole body.
func TestReadBodyAtAndAroundContentLength(t *testing.T) {
	const body = `{"meta":{}}`
	for _, cl := range []int64{int64(len(body)), 3, 1000, -1} {
		req := httptest.NewRequest(http.MethodPost, pathFaro, strings.NewReader(body))
		req.ContentLength = cl
		got, err := readBody(req, 1<<20)
		require.NoError(t, err, "Content-Length %d", cl)
		assert.Equal(t, body, string(got), "Content-Length %d", cl)
	}
}
