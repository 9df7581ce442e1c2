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

// readBodyInto is readBody starting in buf's room (a pooled buffer) where it has any.
func readBodyInto(req *http.Request, buf []byte) ([]byte, error) {
	if cap(buf) == 0 {
		buf = make([]byte, 0, nextCapacity(req.ContentLength, 0))
	}
	buf = buf[:0]
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

// Body buffers are pooled for the routes whose decoders keep no view of the body: the
// Faro and beacon decoders copy every string and raw value they keep
// (TestNormalizedDataKeepsNoViewOfTheBody), so once such a request was forwarded its
// buffer can take the next body. The OTLP route never gives its buffer back: pdata's
// unmarshalers are not ours to vouch for. A request thus allocates its body only while
// the pool is empty or when its body outgrows the buffer it got.
var bodyBuffers = sync.Pool{New: func() any { return new([]byte) }}

// maxPooledBody is the largest buffer kept in the pool, so that one large body does not
// stay in memory with the pool.
const maxPooledBody = 64 << 10

// pooledBody is a body buffer from bodyBuffers, kept by the request that read into it.
type pooledBody struct{ buf *[]byte }

func borrowBody() pooledBody { return pooledBody{buf: bodyBuffers.Get().(*[]byte)} }

// keep records body, the buffer readBodyInto ended with, as the one to give back.
func (p pooledBody) keep(body []byte) { *p.buf = body }

// release gives the buffer back. Nothing may read the body afterwards.
func (p pooledBody) release() {
	if p.buf == nil || cap(*p.buf) > maxPooledBody {
		return
	}
	*p.buf = (*p.buf)[:0]
	bodyBuffers.Put(p.buf)
}
