// Copyright The otelcol-rum Authors
// SPDX-License-Identifier: Apache-2.0

package rumreceiver // import "github.com/otelcol-rum/otelcol-rum/receiver/rumreceiver"

import (
	"context"
	"errors"
	"io"
	"net/http"
	"os"
	"sync"
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

// bodyGuard is the request body as it comes off the connection, under a read deadline that
// moves with the bytes that arrive: after the grace period the body must keep an average
// of at least the minimum rate since the request started, and it must be complete within
// read_timeout. It is put in place before confighttp's handlers, because their
// decompressors read the body (a gzip header, a whole snappy block) before the receiver's
// handler runs; the rate is thus that of the bytes on the wire. The deadline is set on the
// connection, so a stalled client is cut off by the network poller, not by a timer per
// request.
type bodyGuard struct {
	body     io.ReadCloser
	ctrl     *http.ResponseController
	start    time.Time
	hardStop time.Time // start + read_timeout; zero without one
	rate     float64   // bytes per second; 0 disables the rate check
	grace    time.Duration
	read     int64
	deadline time.Time // what is set on the connection now
	ended    bool      // the body was read to its end
	timedOut bool      // a read failed on the deadline
}

func newBodyGuard(w http.ResponseWriter, body io.ReadCloser, cfg *Config, start time.Time) *bodyGuard {
	g := &bodyGuard{
		body:  body,
		ctrl:  http.NewResponseController(w),
		start: start,
		rate:  cfg.MinBodyRate.BytesPerSecond,
		grace: cfg.MinBodyRate.GracePeriod,
	}
	if cfg.ReadTimeout > 0 {
		g.hardStop = start.Add(cfg.ReadTimeout)
	}
	return g
}

type bodyGuardKey struct{}

// guardBody puts a bodyGuard on the request body; the caller finishes it when the
// request was handled.
func (r *rumReceiver) guardBody(w http.ResponseWriter, req *http.Request) (*http.Request, *bodyGuard) {
	g := newBodyGuard(w, req.Body, r.cfg, time.Now())
	req = req.WithContext(context.WithValue(req.Context(), bodyGuardKey{}, g))
	req.Body = g
	return req, g
}

// bodyTimedOut reports whether the body of req was cut off by its deadline, whatever
// error the readers above it (a decompressor) made of that.
func bodyTimedOut(req *http.Request) bool {
	g, ok := req.Context().Value(bodyGuardKey{}).(*bodyGuard)
	return ok && g.timedOut
}

func (g *bodyGuard) Read(p []byte) (int, error) {
	if g.ended {
		return g.body.Read(p)
	}
	g.moveDeadline()
	n, err := g.body.Read(p)
	g.read += int64(n)
	switch {
	case err == io.EOF:
		// The deadline must not outlive the body: once it is read, net/http watches the
		// connection in the background, and a deadline passing then would cancel the
		// request's context while its data is being forwarded.
		g.ended = true
		g.clearDeadline()
	case errors.Is(err, os.ErrDeadlineExceeded):
		g.timedOut = true
		err = errBodyTooSlow
	}
	return n, err
}

func (g *bodyGuard) Close() error { return g.body.Close() }

// finish runs when the request was handled. A body that was not read to its end (the
// request was refused first) is read and discarded by net/http to keep the connection:
// that rest must come at the same rate, or the connection is closed.
func (g *bodyGuard) finish() {
	if !g.ended && !g.timedOut {
		g.moveDeadline()
	}
}

// moveDeadline sets the time by which the next bytes must come: when the average rate
// would fall below the minimum if nothing more arrived, but not before the grace period
// ends nor after read_timeout. A deadline already past makes the next read fail at once.
func (g *bodyGuard) moveDeadline() {
	d := g.hardStop
	if g.rate > 0 {
		allowed := max(g.grace, time.Duration(float64(g.read)/g.rate*float64(time.Second)))
		if byRate := g.start.Add(allowed); d.IsZero() || byRate.Before(d) {
			d = byRate
		}
	}
	if d.IsZero() || d.Equal(g.deadline) {
		return
	}
	// A writer that cannot set deadlines (a test recorder) leaves only read_timeout,
	// which net/http enforces on its own.
	if g.ctrl.SetReadDeadline(d) == nil {
		g.deadline = d
	}
}

func (g *bodyGuard) clearDeadline() {
	if !g.deadline.IsZero() {
		_ = g.ctrl.SetReadDeadline(time.Time{})
		g.deadline = time.Time{}
	}
}

// readBody reads the whole body into a buffer that grows with what arrived. By now
// confighttp has wrapped the guarded body in a decompressor and a MaxBytesReader, so the
// size limit holds after decompression too.
func readBody(req *http.Request) ([]byte, error) {
	return readBodyInto(req, nil)
}

// readBodyInto is readBody starting in buf when it can take the first read that readBody
// would make; the body may end up in buf or in a larger buffer.
func readBodyInto(req *http.Request, buf []byte) ([]byte, error) {
	if first := nextCapacity(req.ContentLength, 0); cap(buf) < first {
		buf = make([]byte, 0, first)
	} else {
		buf = buf[:0]
	}
	for {
		if len(buf) == cap(buf) {
			buf = append(make([]byte, 0, nextCapacity(req.ContentLength, cap(buf))), buf...)
		}
		n, err := req.Body.Read(buf[len(buf):cap(buf)])
		buf = buf[:len(buf)+n]
		switch {
		case err == io.EOF:
			return buf, nil
		case err != nil:
			return nil, err
		}
	}
}

// nextCapacity is the size of the buffer after one of size current is full: twice what
// arrived so far (initialBodyBuffer at first), but, while the body has not passed its
// declared length, no more than that length and one byte to see the end. Memory thus
// follows the bytes that came, never the claim. A body that passes its declared length
// (confighttp leaves none on a body it decompresses) makes the buffer double.
func nextCapacity(declared int64, current int) int {
	c := max(2*current, initialBodyBuffer)
	if declared >= int64(current) && declared < int64(c) {
		c = int(declared) + 1
	}
	return c
}

// maxPooledBody is the largest body buffer kept for reuse: the usual OTLP request from a
// browser is a few KiB, and one large request must not pin its buffer for good.
const maxPooledBody = 64 << 10

// bodyBuffers holds body buffers for decoders that keep no view of the body once they
// return: pdata's OTLP decoders copy every string and byte slice they read, and so do the
// Faro and beacon decoders and the normalizer (TestNormalizedDataKeepsNoViewOfTheBody).
var bodyBuffers = sync.Pool{New: func() any { return new([]byte) }}

func getBodyBuffer() *[]byte { return bodyBuffers.Get().(*[]byte) }

// putBodyBuffer gives back the buffer a body was read into, once nothing reads the body
// any more.
func putBodyBuffer(p *[]byte, body []byte) {
	if cap(body) > maxPooledBody {
		body = nil
	}
	*p = body[:0]
	bodyBuffers.Put(p)
}
