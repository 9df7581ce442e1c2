// Copyright The otelcol-rum Authors
// SPDX-License-Identifier: Apache-2.0

package rumreceiver // import "github.com/otelcol-rum/otelcol-rum/receiver/rumreceiver"

import (
	"errors"
	"net/http"

	"go.uber.org/zap"
)

// recoverPanics answers 500 when handling a request panics, most likely in a component
// downstream. net/http would recover too, but only by dropping the connection without an
// answer and without a count; here the client learns it failed, the refusal is counted,
// and the log has the stack. http.ErrAbortHandler is net/http's own way to abort a
// response and is passed on.
func (r *rumReceiver) recoverPanics(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, req *http.Request) {
		defer func() {
			p := recover()
			if p == nil {
				return
			}
			if p == http.ErrAbortHandler { //nolint:errorlint // the panic value itself, compared as net/http compares it
				panic(p)
			}
			r.set.Logger.Error("panic while handling a request; answered 500",
				zap.String("path", req.URL.Path), zap.Any("panic", p), zap.StackSkip("stack", 1))
			r.refuse(w, req, formatOf(req), http.StatusInternalServerError, reasonInternalError,
				errors.New("internal error while handling the request"))
		}()
		next.ServeHTTP(w, req)
	})
}
