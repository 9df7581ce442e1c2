// Copyright The otelcol-rum Authors
// SPDX-License-Identifier: Apache-2.0

//go:generate go tool -modfile=../../internal/tools/go.mod mdatagen metadata.yaml

// Package sessionprocessor keeps user sessions as first-class state: it enriches every
// span, log record and metric point with its session, emits session.start and
// session.end events with a summary, links Web Vitals to the backend trace of their page
// view, samples whole sessions, and survives restarts through a storage extension.
package sessionprocessor // import "github.com/otelcol-rum/otelcol-rum/processor/sessionprocessor"
