// Copyright The otelcol-rum Authors
// SPDX-License-Identifier: Apache-2.0

package sourcemaps // import "github.com/otelcol-rum/otelcol-rum/internal/sourcemaps"

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
)

// maxRedirects bounds a chain of same-origin redirects (a CDN's trailing-slash or
// version redirects need one or two).
const maxRedirects = 3

var (
	errOffOrigin        = errors.New("redirect to another origin")
	errTooManyRedirects = errors.New("too many redirects")
	errTooLarge         = errors.New("over the size limit")
	errUnexpectedStatus = errors.New("unexpected HTTP status")
	errNotAllowedOrigin = errors.New("origin not on download.allowed_origins")
)

// newHTTPClient returns a copy of base (or of the default client) that follows
// redirects within the origin of the first request only: an allowed origin must not be
// able to send the collector anywhere else.
func newHTTPClient(base *http.Client) *http.Client {
	var c http.Client
	if base != nil {
		c = *base
	} else {
		c.Transport = http.DefaultTransport.(*http.Transport).Clone()
	}
	c.CheckRedirect = func(req *http.Request, via []*http.Request) error {
		if len(via) > maxRedirects {
			return errTooManyRedirects
		}
		first, _ := originOf(via[0].URL)
		if next, ok := originOf(req.URL); !ok || next != first {
			return fmt.Errorf("%w: %s", errOffOrigin, req.URL.Redacted())
		}
		return nil
	}
	return &c
}

// fetched is a response read whole.
type fetched struct {
	body   []byte
	url    *url.URL // after redirects
	header http.Header
}

// get reads u, at most maxSize bytes of body; the reason is empty on success.
func get(ctx context.Context, client *http.Client, u *url.URL, maxSize int64) (fetched, Reason, error) {
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, u.String(), http.NoBody)
	if err != nil {
		return fetched{}, ReasonRefused, err
	}
	resp, err := client.Do(req)
	if err != nil {
		return fetched{}, requestFailure(ctx, err), err
	}
	defer resp.Body.Close()
	switch {
	case resp.StatusCode == http.StatusNotFound || resp.StatusCode == http.StatusGone:
		return fetched{}, ReasonNotFound, fmt.Errorf("%s: %s", u.Redacted(), resp.Status)
	case resp.StatusCode < 200 || resp.StatusCode > 299:
		return fetched{}, ReasonFetchError, fmt.Errorf("%w: %s: %s", errUnexpectedStatus, u.Redacted(), resp.Status)
	case resp.ContentLength > maxSize:
		return fetched{}, ReasonTooLarge, fmt.Errorf("%w: %s: Content-Length %d", errTooLarge, u.Redacted(), resp.ContentLength)
	}
	body, reason, err := readBounded(resp.Body, maxSize)
	if err != nil {
		if reason == "" {
			reason = requestFailure(ctx, err)
		}
		return fetched{}, reason, fmt.Errorf("%s: %w", u.Redacted(), err)
	}
	return fetched{body: body, url: resp.Request.URL, header: resp.Header}, "", nil
}

// readBounded reads r whole, failing with too_large past maxSize bytes.
func readBounded(r io.Reader, maxSize int64) ([]byte, Reason, error) {
	b, err := io.ReadAll(io.LimitReader(r, maxSize+1))
	if err != nil {
		return nil, "", err
	}
	if int64(len(b)) > maxSize {
		return nil, ReasonTooLarge, fmt.Errorf("%w: more than %d bytes", errTooLarge, maxSize)
	}
	return b, "", nil
}

// requestFailure classifies the error of a request: out of time, refused by the redirect
// policy, or anything else.
func requestFailure(ctx context.Context, err error) Reason {
	var ue *url.Error
	switch {
	case errors.Is(err, errOffOrigin) || errors.Is(err, errTooManyRedirects):
		return ReasonRefused
	case ctx.Err() != nil || errors.Is(err, context.DeadlineExceeded) || errors.As(err, &ue) && ue.Timeout():
		return ReasonTimeout
	}
	return ReasonFetchError
}
