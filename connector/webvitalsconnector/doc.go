// Copyright The otelcol-rum Authors
// SPDX-License-Identifier: Apache-2.0

//go:generate go tool -modfile=../../internal/tools/go.mod mdatagen metadata.yaml

// Package webvitalsconnector derives the webvitals processor's histograms from logs and
// traces pipelines: browser.web_vital log records, page load timings of Faro navigation
// events and OTel documentLoad spans, and vitals sent as spans. It is for pipelines where
// the vitals come only as records, such as from the stock otlp receiver.
package webvitalsconnector // import "github.com/otelcol-rum/otelcol-rum/connector/webvitalsconnector"
