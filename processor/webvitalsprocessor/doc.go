// Copyright The otelcol-rum Authors
// SPDX-License-Identifier: Apache-2.0

//go:generate go tool -modfile=../../internal/tools/go.mod mdatagen metadata.yaml

// Package webvitalsprocessor turns the per-measurement Web Vitals points of the rum
// receiver into cumulative histograms by route, with exemplars that lead to the backend
// trace of the page, and annotates web-vital log records with the same route and rating.
package webvitalsprocessor // import "github.com/otelcol-rum/otelcol-rum/processor/webvitalsprocessor"
