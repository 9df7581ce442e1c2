// Copyright The otelcol-rum Authors
// SPDX-License-Identifier: Apache-2.0

// Package e2e runs the built otelcol-rum binary against real browser SDKs in headless
// Chromium, and as the two tiers of deploy/config on the test Kafka broker with replayed
// SDK sessions. Its tests carry the e2e build tag; `make e2e` builds what they need and
// runs them.
package e2e
