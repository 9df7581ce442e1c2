// Copyright The otelcol-rum Authors
// SPDX-License-Identifier: Apache-2.0

package main

import (
	"errors"
	"flag"
	"fmt"
	"io"
	"net/url"
	"os"
	"path/filepath"
	"strings"
)

// config is everything the shop can be told from the command line. Every flag
// also has an environment variable, so `make demo` or a container can set it
// without rewriting the command.
type config struct {
	Listen       string // address of the shop's own HTTP server
	OTLPEndpoint string // base URL of the collector's OTLP/HTTP receiver ("" = no export)
	RUMURL       string // base URL browsers send RUM data to (the rum receiver)
	AppKey       string // Faro app key / web-vitals app_key
	Assets       string // directory holding the esbuild bundles (tools/browser/dist)
}

// assetCandidates are tried, in order, when neither -assets nor SHOP_ASSETS is
// given: the first for `go run .` inside examples/shop, the second for a
// binary started from the repository root.
var assetCandidates = []string{
	filepath.Join("..", "..", "tools", "browser", "dist"),
	filepath.Join("tools", "browser", "dist"),
}

func parseConfig(args []string, getenv func(string) string, stderr io.Writer) (config, error) {
	envOr := func(key, def string) string {
		if v := getenv(key); v != "" {
			return v
		}
		return def
	}

	var c config
	fs := flag.NewFlagSet("shop", flag.ContinueOnError)
	fs.SetOutput(stderr)
	fs.StringVar(&c.Listen, "listen", envOr("SHOP_LISTEN", "127.0.0.1:8080"),
		"address the shop listens on (env SHOP_LISTEN)")
	// OTEL_EXPORTER_OTLP_ENDPOINT has the usual OTLP meaning: a base URL to
	// which /v1/traces is appended.
	fs.StringVar(&c.OTLPEndpoint, "otlp-endpoint", envOr("OTEL_EXPORTER_OTLP_ENDPOINT", "http://127.0.0.1:4318"),
		`collector OTLP/HTTP base URL, /v1/traces is appended; "" disables export (env OTEL_EXPORTER_OTLP_ENDPOINT)`)
	fs.StringVar(&c.RUMURL, "rum-url", envOr("SHOP_RUM_URL", "http://127.0.0.1:12347"),
		"base URL of the collector's rum receiver, as the browser must reach it (env SHOP_RUM_URL)")
	fs.StringVar(&c.AppKey, "app-key", envOr("SHOP_APP_KEY", "demo-key"),
		"app key the browser SDKs send (env SHOP_APP_KEY)")
	fs.StringVar(&c.Assets, "assets", getenv("SHOP_ASSETS"),
		"directory with the browser bundles built by tools/browser/build.mjs (env SHOP_ASSETS; default: "+
			strings.Join(assetCandidates, " or ")+", whichever exists)")
	if err := fs.Parse(args); err != nil {
		return config{}, err
	}
	if fs.NArg() > 0 {
		return config{}, fmt.Errorf("unexpected arguments: %q", fs.Args())
	}

	c.RUMURL = strings.TrimRight(c.RUMURL, "/")
	c.OTLPEndpoint = strings.TrimRight(c.OTLPEndpoint, "/")
	if err := checkHTTPURL("-rum-url", c.RUMURL); err != nil {
		return config{}, err
	}
	if c.OTLPEndpoint != "" {
		if err := checkHTTPURL("-otlp-endpoint", c.OTLPEndpoint); err != nil {
			return config{}, err
		}
	}
	if c.AppKey == "" {
		return config{}, errors.New("-app-key must not be empty")
	}
	if c.Assets == "" {
		c.Assets = defaultAssets()
	}
	// Absolute, so logs and /healthz say exactly where the bundles come from.
	if abs, err := filepath.Abs(c.Assets); err == nil {
		c.Assets = abs
	}
	return c, nil
}

func checkHTTPURL(name, raw string) error {
	u, err := url.Parse(raw)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		return fmt.Errorf("%s: want an http(s) URL, got %q", name, raw)
	}
	return nil
}

// defaultAssets picks the first candidate that exists. If none does (the
// bundles are not built yet) it still returns the first one: the bundles are
// read per request, so building them later works without a restart.
func defaultAssets() string {
	for _, dir := range assetCandidates {
		if st, err := os.Stat(dir); err == nil && st.IsDir() {
			return dir
		}
	}
	return assetCandidates[0]
}
