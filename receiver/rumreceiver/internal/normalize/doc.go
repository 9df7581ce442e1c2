// Copyright The otelcol-rum Authors
// SPDX-License-Identifier: Apache-2.0

// Package normalize turns decoded browser payloads into OpenTelemetry data that follows
// the semantic conventions (see docs/design.md, The normalized model), so that nothing
// after the receiver needs to know a wire format. The names it writes are declared in
// internal/rumconv.
package normalize // import "github.com/otelcol-rum/otelcol-rum/receiver/rumreceiver/internal/normalize"
