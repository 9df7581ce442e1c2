// Copyright The otelcol-rum Authors
// SPDX-License-Identifier: Apache-2.0

package store // import "github.com/otelcol-rum/otelcol-rum/processor/sessionprocessor/internal/store"

// A soft view has no backend request of its own when it starts (a route change renders
// without loading a document), so it has no trace until the app calls its backend: the
// first API call made in it gives the view its trace, the one the backend's spans are in.
// It is kept with the view's node (and saved with it), in the fields a hard view keeps
// its navigation's trace in.

// AdoptTrace gives a soft view without a trace the trace of a request made in it, and
// reports whether it did. A hard view keeps its navigation's trace, and a soft view the
// first trace it got.
func (v View) AdoptTrace(traceID [16]byte, spanID [8]byte) bool {
	n := v.st.pages.at(v.node)
	if !n.kind.soft() || n.traceID != [16]byte{} || traceID == [16]byte{} {
		return false
	}
	n.traceID, n.spanID = traceID, spanID
	return true
}

// SoftTrace returns the trace of a soft view, if it has one.
func (v View) SoftTrace() (traceID [16]byte, spanID [8]byte, ok bool) {
	n := v.st.pages.at(v.node)
	if !n.kind.soft() || n.traceID == [16]byte{} {
		return traceID, spanID, false
	}
	return n.traceID, n.spanID, true
}
