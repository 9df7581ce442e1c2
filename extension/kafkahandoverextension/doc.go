// Copyright The otelcol-rum Authors
// SPDX-License-Identifier: Apache-2.0

//go:generate go tool -modfile=../../internal/tools/go.mod mdatagen metadata.yaml

// Package kafkahandoverextension keeps the session processor's checkpoints in a compacted
// Kafka topic, so that the sessions of a data partition follow the partition from one
// collector of the session tier to the next (internal/handover is the contract).
package kafkahandoverextension // import "github.com/otelcol-rum/otelcol-rum/extension/kafkahandoverextension"
