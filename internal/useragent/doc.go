// Copyright The otelcol-rum Authors
// SPDX-License-Identifier: Apache-2.0

// Package useragent turns a User-Agent string into the browser, operating system and
// device a RUM dashboard slices by, with the regular expressions of the ua-parser
// project (github.com/ua-parser/uap-go, built into the binary) and an LRU cache in front
// of them: a parse runs hundreds of expressions (about a millisecond), while a page's
// records and the pages of one visitor repeat the same few strings.
package useragent // import "github.com/otelcol-rum/otelcol-rum/internal/useragent"
