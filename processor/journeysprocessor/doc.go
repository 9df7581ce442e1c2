// Copyright The otelcol-rum Authors
// SPDX-License-Identifier: Apache-2.0

//go:generate go tool -modfile=../../internal/tools/go.mod mdatagen metadata.yaml

// Package journeysprocessor turns the views, session summaries, user actions and
// frustration signals of browser sessions into journey metrics: page views by route and
// kind, route-to-route transitions, entry and exit routes, views and duration per
// session, user action durations and frustration signals by route. It counts what the
// session processor emits (rum.view, rum.frustration, session.end) and the SDKs' user
// actions, and passes every record on, writing only the route templates of rum.view.
package journeysprocessor // import "github.com/otelcol-rum/otelcol-rum/processor/journeysprocessor"
