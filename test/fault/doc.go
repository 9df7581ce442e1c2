// Copyright The otelcol-rum Authors
// SPDX-License-Identifier: Apache-2.0

// Package fault runs the built otelcol-rum binary, in its shipped configuration, through
// the faults production brings: SIGTERM under load, slow and hostile clients, a backend
// outage with a restart, kill -9 with open sessions, and for the two-tier deployment on
// Kafka (deploy/config) a broker down or frozen, bad records on the topics and a
// partition count change. Its tests carry the faults build tag;
// `make faults` runs them (and `make measure-faults` the memory measurements). See
// docs/reliability.md for what each test proves.
package fault
