package rumreceiver // import "github.com/otelcol-rum/otelcol-rum/receiver/rumreceiver"

import (
	"errors"
	"io"
	"net/http"
	"os"
	"time"
)

// initialBodyBuffer covers a beacon and a typical Faro batch in one allocation. Larger
// bodies grow the buffer as their bytes arrive, never ahead of them: Content-Length is
// only what the client claims, and a claim of 1 MiB followed by silence must not make the
// collector hold 1 MiB. The claim only keeps a buffer from being larger than needed.
const initialBodyBuffer = 4 << 10

// errBodyTooSlow is returned when a body stalls or arrives slower than min_body_rate, or
// when read_timeout passes while it is read.
var errBodyTooSlow = errors.New("request body arrived too slowly")

// bodyReader reads a request body under a deadline that moves with the bytes that arrive:
// after the grace period the body must keep an average of at least the minimum rate since
// the request started, and it must be complete within read_timeout. The deadline is set on
// the connection, so a stalled client is cut off by the network poller, not by a timer
// per request.
type bodyReader struct {
	req      *http.Request
	ctrl     *http.ResponseController
	start    time.Time
	hardStop time.Time // start + read_timeout; zero without one
	rate     float64   // bytes per second; 0 disables the rate check
	grace    time.Duration
	read     int64
	deadline time.Time // what is set on the connection now
}

func newBodyReader(w http.ResponseWriter, req *http.Request, cfg *Config, start time.Time) *bodyReader {
	b := &bodyReader{
		req:   req,
		ctrl:  http.NewResponseController(w),
		start: start,
		rate:  cfg.MinBodyRate.BytesPerSecond,
		grace: cfg.MinBodyRate.GracePeriod,
	}
	if cfg.ReadTimeout > 0 {
		b.hardStop = start.Add(cfg.ReadTimeout)
	}
	return b
}

// readAll reads the whole body into a buffer that grows with what arrived. confighttp has
// already wrapped the body in a decompressor and a MaxBytesReader, so the size limit holds
// after decompression too.
func (b *bodyReader) readAll() ([]byte, error) {
	// The deadline must not outlive the body: once it is read, net/http watches the
	// connection in the background, and a deadline passing then would cancel the request's
	// context while its data is being forwarded.
	defer b.clearDeadline()
	buf := make([]byte, 0, b.nextCapacity(0))
	for {
		if len(buf) == cap(buf) {
			buf = append(make([]byte, 0, b.nextCapacity(cap(buf))), buf...)
		}
		b.moveDeadline()
		n, err := b.req.Body.Read(buf[len(buf):cap(buf)])
		buf = buf[:len(buf)+n]
		b.read += int64(n)
		switch {
		case err == io.EOF:
			return buf, nil
		case errors.Is(err, os.ErrDeadlineExceeded):
			return nil, errBodyTooSlow
		case err != nil:
			return nil, err
		}
	}
}

// nextCapacity is the size of the buffer after one of size current is full: twice what
// arrived so far (initialBodyBuffer at first), but, while the body has not passed its
// declared length, no more than that length and one byte to see the end. Memory thus
// follows the bytes that came, never the claim. A compressed body is read decompressed and
// passes its declared (compressed) length: from then on the buffer doubles.
func (b *bodyReader) nextCapacity(current int) int {
	c := max(2*current, initialBodyBuffer)
	if declared := b.req.ContentLength; declared >= int64(current) && declared < int64(c) {
		c = int(declared) + 1
	}
	return c
}

// moveDeadline sets the time by which the next bytes must come: when the average rate
// would fall below the minimum if nothing more arrived, but not before the grace period
// ends nor after read_timeout. A deadline already past makes the next read fail at once.
func (b *bodyReader) moveDeadline() {
	d := b.hardStop
	if b.rate > 0 {
		allowed := max(b.grace, time.Duration(float64(b.read)/b.rate*float64(time.Second)))
		if byRate := b.start.Add(allowed); d.IsZero() || byRate.Before(d) {
			d = byRate
		}
	}
	if d.IsZero() || d.Equal(b.deadline) {
		return
	}
	// A writer that cannot set deadlines (a test recorder, a wrapper without Unwrap)
	// leaves only read_timeout, which net/http enforces on its own.
	if b.ctrl.SetReadDeadline(d) == nil {
		b.deadline = d
	}
}

func (b *bodyReader) clearDeadline() {
	if !b.deadline.IsZero() {
		_ = b.ctrl.SetReadDeadline(time.Time{})
	}
}
