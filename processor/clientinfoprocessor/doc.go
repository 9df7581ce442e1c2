// Copyright The otelcol-rum Authors
// SPDX-License-Identifier: Apache-2.0

//go:generate go tool -modfile=../../internal/tools/go.mod mdatagen metadata.yaml

// Package clientinfoprocessor says who the client of a resource is, in the dimensions
// RUM slices by: its browser, operating system and device type from the User-Agent
// string, and its country, region and city from its address in a geolocation database.
// It flags crawlers, can drop their data, and removes the address once it is located.
package clientinfoprocessor // import "github.com/otelcol-rum/otelcol-rum/processor/clientinfoprocessor"
