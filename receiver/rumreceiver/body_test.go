// Copyright The otelcol-rum Authors
// SPDX-License-Identifier: Apache-2.0

package rumreceiver

import (
	"bufio"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestBodyBufferGrowsWithWhatArrives: Content-Length is what the client claims, not what
// it sends; a claim of 256 MiB followed by two bytes must cost two bytes' worth of buffer.
func TestBodyBufferGrowsWithWhatArrives(t *testing.T) {
	req := httptest.NewRequest(http.MethodPost, pathFaro, strings.NewReader(`{}`))
	req.ContentLength = 256 << 20
	body, err := readBody(req)
	require.NoError(t, err)
	assert.Equal(t, `{}`, string(body))
	assert.LessOrEqual(t, cap(body), initialBodyBuffer, "the buffer is not sized by the header")
}

// TestBodyReadWholeWhateverItsLength: an exact, a short, a long and no Content-Length,
// and bodies that need the buffer to grow, all read the whole body.
func TestBodyReadWholeWhateverItsLength(t *testing.T) {
	for _, size := range []int{11, initialBodyBuffer, initialBodyBuffer + 1, 5*initialBodyBuffer + 7} {
		body := strings.Repeat("x", size)
		for _, cl := range []int64{int64(size), 3, 1 << 20, -1} {
			req := httptest.NewRequest(http.MethodPost, pathFaro, strings.NewReader(body))
			req.ContentLength = cl
			got, err := readBody(req)
			require.NoError(t, err, "size %d, Content-Length %d", size, cl)
			assert.Equal(t, body, string(got), "size %d, Content-Length %d", size, cl)
		}
	}
}

// TestBodyLongerThanDeclaredGrowsByDoubling: a gzip body is read decompressed, so it
// passes its declared (compressed) length; from there the buffer must double, not creep
// up a byte at a time (a million copies for a megabyte).
func TestBodyLongerThanDeclaredGrowsByDoubling(t *testing.T) {
	body := strings.Repeat("x", 1<<20)
	allocsWith := func(declared int64) float64 {
		return testing.AllocsPerRun(3, func() {
			req := httptest.NewRequest(http.MethodPost, pathFaro, strings.NewReader(body))
			req.ContentLength = declared
			got, err := readBody(req)
			require.NoError(t, err)
			require.Len(t, got, len(body))
		})
	}
	undeclared := allocsWith(-1)
	// Doubling costs a handful of allocations either way; a byte at a time, a million.
	assert.LessOrEqual(t, allocsWith(1000), 2*undeclared, "past the declared length the buffer doubles, as without one")
}

// slowPost opens a raw connection and sends the request line and headers of a POST that
// declares contentLength bytes, then the first bytes of its body; the caller trickles the
// rest. It returns the connection and a reader of the answer.
func slowPost(t *testing.T, addr, path string, contentLength int, first string) (net.Conn, *bufio.Reader) {
	t.Helper()
	conn, err := net.Dial("tcp", addr)
	require.NoError(t, err)
	t.Cleanup(func() { conn.Close() })
	_, err = fmt.Fprintf(conn, "POST %s HTTP/1.1\r\nHost: %s\r\nContent-Type: text/plain\r\nContent-Length: %d\r\n\r\n%s", path, addr, contentLength, first)
	require.NoError(t, err)
	return conn, bufio.NewReader(conn)
}

func readStatus(t *testing.T, br *bufio.Reader) (*http.Response, time.Time) {
	t.Helper()
	resp, err := http.ReadResponse(br, nil)
	require.NoError(t, err)
	t.Cleanup(func() { resp.Body.Close() })
	return resp, time.Now()
}

func withMinBodyRate(rate float64, grace time.Duration) harnessOption {
	return withConfig(func(c *Config) {
		c.MinBodyRate = MinBodyRateConfig{BytesPerSecond: rate, GracePeriod: grace}
	})
}

// TestStalledBodyIsCutOffAfterTheGracePeriod: a client that declares a body and stops
// sending gets 408 once the grace period is over, the connection is closed, and the
// refusal is counted.
func TestStalledBodyIsCutOffAfterTheGracePeriod(t *testing.T) {
	const grace = 300 * time.Millisecond
	h := startHarness(t, withMinBodyRate(1000, grace))
	start := time.Now()
	_, br := slowPost(t, h.addr(), "/vitals", 1<<20, `{"name":"LCP"`)
	resp, at := readStatus(t, br)
	assert.Equal(t, http.StatusRequestTimeout, resp.StatusCode)
	assert.GreaterOrEqual(t, at.Sub(start), grace, "not before the grace period")
	assert.Less(t, at.Sub(start), grace+5*time.Second, "soon after it")
	assert.True(t, resp.Close, "the connection is not kept for another request")
	msg, _ := io.ReadAll(resp.Body)
	assert.Contains(t, string(msg), "min_body_rate")
	h.assertRefused(map[string]int64{reasonTimeout: 1})
	assert.Zero(t, h.logs.LogRecordCount())
}

// TestTricklingBodyIsCutOffWhenItFallsBelowTheRate: bytes keep coming, but at 20 B/s
// against a minimum of 1000 B/s.
func TestTricklingBodyIsCutOffWhenItFallsBelowTheRate(t *testing.T) {
	const grace = 300 * time.Millisecond
	h := startHarness(t, withMinBodyRate(1000, grace))
	conn, br := slowPost(t, h.addr(), "/vitals", 10_000, "")
	done := make(chan struct{})
	go func() {
		defer close(done)
		for range 100 {
			if _, err := conn.Write([]byte(" ")); err != nil {
				return
			}
			time.Sleep(50 * time.Millisecond)
		}
	}()
	resp, _ := readStatus(t, br)
	assert.Equal(t, http.StatusRequestTimeout, resp.StatusCode)
	conn.Close()
	<-done
	h.assertRefused(map[string]int64{reasonTimeout: 1})
}

// TestSlowButSteadyBodyIsAccepted: a body that takes longer than the grace period but
// keeps above the rate all along is read whole.
func TestSlowButSteadyBodyIsAccepted(t *testing.T) {
	h := startHarness(t, withMinBodyRate(1000, 200*time.Millisecond))
	padding := strings.Repeat(" ", 1600)
	body := padding + lcpBeacon
	conn, br := slowPost(t, h.addr(), "/vitals", len(body), "")
	// 100 bytes every 40 ms: 2500 B/s for about 0.7 s.
	for i := 0; i < len(body); i += 100 {
		_, err := conn.Write([]byte(body[i:min(i+100, len(body))]))
		require.NoError(t, err)
		time.Sleep(40 * time.Millisecond)
	}
	resp, _ := readStatus(t, br)
	assert.Equal(t, http.StatusAccepted, resp.StatusCode)
	assert.Equal(t, 1, h.logs.LogRecordCount())
	h.assertRefused(map[string]int64{})
}

// TestReadTimeoutBoundsAFastEnoughBody: without a rate check, read_timeout still ends a
// body that never completes.
func TestReadTimeoutBoundsAFastEnoughBody(t *testing.T) {
	h := startHarness(t, withMinBodyRate(0, 0), withConfig(func(c *Config) { c.ReadTimeout = 400 * time.Millisecond }))
	start := time.Now()
	_, br := slowPost(t, h.addr(), "/vitals", 1000, "{")
	resp, at := readStatus(t, br)
	assert.Equal(t, http.StatusRequestTimeout, resp.StatusCode)
	assert.Less(t, at.Sub(start), 5*time.Second)
	h.assertRefused(map[string]int64{reasonTimeout: 1})
}

// slowEncodedPost is slowPost with a Content-Encoding: the body never comes, so confighttp's
// decompressor waits for its first bytes before the receiver's handler runs.
func slowEncodedPost(t *testing.T, addr, encoding string) (net.Conn, *bufio.Reader) {
	t.Helper()
	conn, err := net.Dial("tcp", addr)
	require.NoError(t, err)
	t.Cleanup(func() { conn.Close() })
	_, err = fmt.Fprintf(conn, "POST /vitals HTTP/1.1\r\nHost: %s\r\nContent-Type: text/plain\r\nContent-Encoding: %s\r\nContent-Length: 100000\r\n\r\n", addr, encoding)
	require.NoError(t, err)
	return conn, bufio.NewReader(conn)
}

// TestStalledCompressedBodyIsCutOffAndCounted: confighttp starts to decompress (the gzip or
// zlib header, the whole of a snappy block) before the receiver's handler runs. A
// compressed body that stalls there must still hold a slot of max_concurrent_requests and
// be cut off by min_body_rate with 408, not wait out read_timeout uncounted and be
// answered 400 as if it were malformed.
func TestStalledCompressedBodyIsCutOffAndCounted(t *testing.T) {
	const grace = 300 * time.Millisecond
	for _, encoding := range []string{"gzip", "zlib", "deflate", "snappy", "zstd"} {
		t.Run(encoding, func(t *testing.T) {
			h := startHarness(t, withMinBodyRate(1000, grace))
			start := time.Now()
			_, br := slowEncodedPost(t, h.addr(), encoding)
			require.Eventually(t, func() bool { return h.rcv.inFlight.n.Load() == 1 }, 5*time.Second, 5*time.Millisecond,
				"the stalled request holds a slot of max_concurrent_requests")
			resp, at := readStatus(t, br)
			assert.Equal(t, http.StatusRequestTimeout, resp.StatusCode)
			assert.Less(t, at.Sub(start), grace+10*time.Second, "cut off by min_body_rate, not by read_timeout")
			assert.True(t, resp.Close, "the connection is not kept for another request")
			h.assertRefused(map[string]int64{reasonTimeout: 1})
			require.Eventually(t, func() bool { return h.rcv.inFlight.n.Load() == 0 }, 5*time.Second, 5*time.Millisecond)
		})
	}
}

// TestRefusedRequestsUnreadBodyIsBoundedByTheRate: a request refused before its body was
// read (here for its origin) is answered once net/http has read and discarded the rest of
// the body, to keep the connection. A client that trickles that rest must not hold the
// connection, and keep its answer waiting, until read_timeout: min_body_rate applies to it
// too, and then the connection is closed.
func TestRefusedRequestsUnreadBodyIsBoundedByTheRate(t *testing.T) {
	const grace = 300 * time.Millisecond
	h := startHarness(t, withMinBodyRate(1000, grace), withAllowedOrigins("https://shop.example"))
	conn, err := net.Dial("tcp", h.addr())
	require.NoError(t, err)
	t.Cleanup(func() { conn.Close() })
	start := time.Now()
	_, err = fmt.Fprintf(conn, "POST /vitals HTTP/1.1\r\nHost: x\r\nOrigin: https://evil.example\r\nContent-Type: text/plain\r\nContent-Length: 1000\r\n\r\n{")
	require.NoError(t, err)
	require.NoError(t, conn.SetReadDeadline(time.Now().Add(grace+10*time.Second)))
	resp, at := readStatus(t, bufio.NewReader(conn))
	assert.Equal(t, http.StatusForbidden, resp.StatusCode)
	assert.Less(t, at.Sub(start), grace+10*time.Second)
	assert.True(t, resp.Close, "the rest of the body never came: the connection is not kept")
}

// TestBodyReadIntoABufferThatFitsUsesIt: a buffer that can take the first read is used,
// whatever it held before; one that cannot is left alone.
func TestBodyReadIntoABufferThatFitsUsesIt(t *testing.T) {
	big := make([]byte, 3, 2*initialBodyBuffer)
	copy(big, "old")
	req := httptest.NewRequest(http.MethodPost, pathTraces, strings.NewReader("new body"))
	got, err := readBodyInto(req, big)
	require.NoError(t, err)
	assert.Equal(t, "new body", string(got))
	assert.Same(t, &big[:1][0], &got[:1][0], "the body went into the given buffer")

	small := make([]byte, 0, 8)
	body := strings.Repeat("y", initialBodyBuffer+5)
	req = httptest.NewRequest(http.MethodPost, pathTraces, strings.NewReader(body))
	req.ContentLength = -1
	got, err = readBodyInto(req, small)
	require.NoError(t, err)
	assert.Equal(t, body, string(got))
	assert.Empty(t, small[:cap(small)][0], "a buffer too small for the first read is not written")
}

// TestPooledBodyBufferKeepsNoLargeBuffer: a buffer above maxPooledBody is not kept.
func TestPooledBodyBufferKeepsNoLargeBuffer(t *testing.T) {
	p := new([]byte)
	putBodyBuffer(p, make([]byte, 10, maxPooledBody+1))
	assert.Nil(t, *p)
	p = new([]byte)
	putBodyBuffer(p, make([]byte, 10, 100))
	assert.Empty(t, *p)
	assert.Equal(t, 100, cap(*p))
}
